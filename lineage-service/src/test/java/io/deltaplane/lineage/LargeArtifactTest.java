package io.deltaplane.lineage;

import static io.deltaplane.lineage.Json.body;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;

/**
 * A 50 MB artifact goes up and comes back down with the service's heap capped at 256 MB: surefire
 * runs this class alone in a JVM started with {@code -Xmx256m} (execution {@code capped-heap} in the
 * pom), and the test checks the cap is really in place. Client and server both stream.
 */
@LineageServiceTest
class LargeArtifactTest {

    private static final long SIZE = 50L * 1024 * 1024;
    static final long HEAP_CAP = 256L * 1024 * 1024;

    @LocalServerPort
    int port;

    @Test
    void fiftyMegabytesUpAndDownWithA256MegabyteHeap() throws Exception {
        assertThat(Runtime.getRuntime().maxMemory())
                .as("this test must run in the capped-heap surefire execution (-Xmx256m)")
                .isLessThanOrEqualTo(HEAP_CAP);

        Path file = Files.createTempFile(Path.of("target"), "large-artifact", ".bin");
        try {
            MessageDigest local = MessageDigest.getInstance("SHA-256");
            Random random = new Random(42);
            byte[] chunk = new byte[1024 * 1024];
            try (OutputStream out = Files.newOutputStream(file)) {
                for (long written = 0; written < SIZE; written += chunk.length) {
                    random.nextBytes(chunk);
                    local.update(chunk);
                    out.write(chunk);
                }
            }
            String expected = HexFormat.of().formatHex(local.digest());

            HttpClient client = HttpClient.newHttpClient();
            HttpResponse<String> uploaded = client.send(
                    HttpRequest.newBuilder(URI.create(url("/api/v1/datasets/big/runs/2026/large.bin")))
                            .header("Authorization", "Bearer " + LineageServiceTest.ADMIN_KEY)
                            .header("Content-Type", "application/octet-stream")
                            .PUT(HttpRequest.BodyPublishers.ofFile(file))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            JsonNode artifact = body(uploaded, 201);
            assertThat(artifact.get("size").asLong()).isEqualTo(SIZE);
            assertThat(artifact.get("sha256").asString()).isEqualTo(expected);

            HttpResponse<InputStream> download = client.send(
                    HttpRequest.newBuilder(URI.create(url(artifact.get("uri").asString())))
                            .header("Authorization", "Bearer " + LineageServiceTest.ADMIN_KEY)
                            .build(),
                    HttpResponse.BodyHandlers.ofInputStream());
            assertThat(download.statusCode()).isEqualTo(200);
            assertThat(download.headers().firstValueAsLong("Content-Length")).hasValue(SIZE);
            MessageDigest remote = MessageDigest.getInstance("SHA-256");
            long received = 0;
            try (InputStream in = download.body()) {
                byte[] buffer = new byte[64 * 1024];
                for (int n; (n = in.read(buffer)) >= 0; ) {
                    remote.update(buffer, 0, n);
                    received += n;
                }
            }
            assertThat(received).isEqualTo(SIZE);
            assertThat(HexFormat.of().formatHex(remote.digest())).isEqualTo(expected);
        } finally {
            Files.deleteIfExists(file);
        }
    }

    private String url(String path) {
        return "http://localhost:" + port + path;
    }
}
