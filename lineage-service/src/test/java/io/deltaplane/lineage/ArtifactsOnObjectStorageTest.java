package io.deltaplane.lineage;

import static io.deltaplane.lineage.Json.body;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Random;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * Artifacts on S3 ({@code DELTAPLANE_ARTIFACTS_URI}; S3Proxy, a real S3 protocol server in this JVM):
 * {@code PUT/GET /api/v1/datasets/{bucket}/…} keep their contract — size and SHA-256 on upload, the
 * same bytes back, 409 for a path that would make one artifact the folder of another — and the
 * objects are in the bucket, configured only by the AWS variables an operator would set.
 */
class ArtifactsOnObjectStorageTest extends ArtifactsOnS3TestBase {

    @Test
    void anArtifactGoesUpToTheBucketAndComesBackTheSame() throws Exception {
        byte[] content = new byte[12 * 1024 * 1024]; // several parts of a multipart upload
        new Random(7).nextBytes(content);
        String sha =
                HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content));

        JsonNode artifact = body(put("/api/v1/datasets/reports/daily/2026-11-23.bin", content), 201);
        assertThat(artifact.get("size").asLong()).isEqualTo(content.length);
        assertThat(artifact.get("sha256").asString()).isEqualTo(sha);
        assertThat(client.headObject(b -> b.bucket("lake").key("artifacts/reports/daily/2026-11-23.bin"))
                        .contentLength())
                .isEqualTo(content.length);

        HttpResponse<byte[]> download = http.send(
                request(artifact.get("uri").asString()).GET().build(), HttpResponse.BodyHandlers.ofByteArray());
        assertThat(download.statusCode()).isEqualTo(200);
        assertThat(download.body()).isEqualTo(content);

        // A new upload replaces it whole.
        body(put("/api/v1/datasets/reports/daily/2026-11-23.bin", "v2".getBytes()), 201);
        HttpResponse<String> again = http.send(
                request("/api/v1/datasets/reports/daily/2026-11-23.bin").GET().build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(again.body()).isEqualTo("v2");
    }

    @Test
    void oneArtifactCannotBeTheFolderOfAnotherAndAMissingOneIs404() throws Exception {
        body(put("/api/v1/datasets/logs/run-1", "a file".getBytes()), 201);
        assertThat(put("/api/v1/datasets/logs/run-1/stdout.txt", "x".getBytes()).statusCode())
                .isEqualTo(409);
        body(put("/api/v1/datasets/logs/run-2/stdout.txt", "x".getBytes()), 201);
        assertThat(put("/api/v1/datasets/logs/run-2", "x".getBytes()).statusCode())
                .isEqualTo(409);
        assertThat(client.listObjectsV2(b -> b.bucket("lake").prefix("artifacts/logs/"))
                        .contents())
                .extracting(o -> o.key())
                .containsExactlyInAnyOrder("artifacts/logs/run-1", "artifacts/logs/run-2/stdout.txt");

        assertThat(http.send(
                                request("/api/v1/datasets/logs/missing.txt")
                                        .GET()
                                        .build(),
                                HttpResponse.BodyHandlers.ofString())
                        .statusCode())
                .isEqualTo(404);
    }
}
