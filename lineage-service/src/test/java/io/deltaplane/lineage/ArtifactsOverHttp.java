package io.deltaplane.lineage;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Random;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;

/**
 * What the artifact tests on each object store do over HTTP, in one place: upload and download as
 * an admin, and check what an upload answers. Each store's base class ({@link
 * ArtifactsOnS3TestBase}, {@link ArtifactsOnAzureTestBase}) says where the artifacts live.
 */
abstract class ArtifactsOverHttp {

    @LocalServerPort
    int port;

    final HttpClient http = HttpClient.newHttpClient();

    /** Uploads {@code content} to the artifact at {@code path} as an admin. */
    HttpResponse<String> put(String path, byte[] content) throws Exception {
        return http.send(
                request(path)
                        .header("Content-Type", "application/octet-stream")
                        .PUT(HttpRequest.BodyPublishers.ofByteArray(content))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<byte[]> get(String path) throws Exception {
        return http.send(request(path).GET().build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
                .header("Authorization", "Bearer " + LineageServiceTest.ADMIN_KEY);
    }

    /** A failing store is a 503 the client may retry, not an "unexpected" 500. */
    static void assertStoreFailed(HttpResponse<String> response) {
        Json.problem(response, 503, "SERVICE_UNAVAILABLE");
    }

    /** What a successful upload answers: the size and SHA-256 of what was sent. */
    static void assertUploaded(JsonNode artifact, byte[] content) throws Exception {
        assertThat(artifact.get("size").asLong()).isEqualTo(content.length);
        assertThat(artifact.get("sha256").asString())
                .isEqualTo(HexFormat.of()
                        .formatHex(MessageDigest.getInstance("SHA-256").digest(content)));
    }

    static byte[] random(int size, long seed) {
        byte[] bytes = new byte[size];
        new Random(seed).nextBytes(bytes);
        return bytes;
    }
}
