package io.deltaplane.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Gigabyte bodies pass through the gateway without being held in memory: the gateway runs in its own
 * JVM with a 128 MB heap, so buffering a 1 GiB body there would fail with OutOfMemoryError. The
 * lineage service is stood in for by a {@link RecordingBackend} that checksums what it receives.
 */
class StreamingThroughGatewayTest {

    static final long ONE_GIB = 1024L * 1024 * 1024;
    static final String ADMIN_KEY = "gateway-streaming-admin-key-01";

    static RecordingBackend lineage;
    static ForkedGateway gateway;
    final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @BeforeAll
    static void start() throws Exception {
        lineage = RecordingBackend.start("lineage");
        gateway = ForkedGateway.start(
                List.of("-Xmx128m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1"),
                Map.of(
                        "deltaplane.security.admin-api-key",
                        ADMIN_KEY,
                        "deltaplane.gateway.backends.lineage.url",
                        lineage.url(),
                        "deltaplane.gateway.backends.metadata.url",
                        "http://127.0.0.1:9",
                        "deltaplane.gateway.backends.ingest.url",
                        "http://127.0.0.1:9"));
    }

    @AfterAll
    static void stop() {
        if (gateway != null) {
            gateway.close();
        }
        if (lineage != null) {
            lineage.close();
        }
    }

    @Test
    void oneGibUploadStreamsThroughA128MbGateway() throws Exception {
        HttpRequest request = HttpRequest.newBuilder(
                        URI.create("http://localhost:" + gateway.port() + "/api/v1/datasets/artifacts/run-1/big.bin"))
                .header("Authorization", "Bearer " + ADMIN_KEY)
                .header("Content-Type", "application/octet-stream")
                .timeout(Duration.ofMinutes(5))
                .PUT(HttpRequest.BodyPublishers.fromPublisher(
                        HttpRequest.BodyPublishers.ofInputStream(() -> new StreamData(ONE_GIB)), ONE_GIB))
                .build();

        HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());

        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        RecordingBackend.Received received = lineage.last();
        assertThat(received.path()).isEqualTo("/api/v1/datasets/artifacts/run-1/big.bin");
        assertThat(received.bodyBytes()).isEqualTo(ONE_GIB);
        assertThat(received.bodySha256()).isEqualTo(StreamData.sha256(ONE_GIB));
        assertThat(gateway.alive()).isTrue();
        assertThat(gateway.logText()).doesNotContain("OutOfMemoryError");
    }

    @Test
    void oneGibDownloadStreamsBack() throws Exception {
        lineage.respondWith(r -> RecordingBackend.Reply.download(ONE_GIB));
        try {
            HttpRequest request = HttpRequest.newBuilder(URI.create(
                            "http://localhost:" + gateway.port() + "/api/v1/datasets/artifacts/run-1/big.bin"))
                    .header("Authorization", "Bearer " + ADMIN_KEY)
                    .timeout(Duration.ofMinutes(5))
                    .GET()
                    .build();
            HttpResponse<InputStream> response = http.send(request, HttpResponse.BodyHandlers.ofInputStream());
            assertThat(response.statusCode()).isEqualTo(200);
            MessageDigest sha = StreamData.newSha256();
            long total = 0;
            byte[] buffer = new byte[StreamData.BLOCK];
            try (InputStream in = response.body()) {
                int n;
                while ((n = in.read(buffer)) > 0) {
                    sha.update(buffer, 0, n);
                    total += n;
                }
            }
            assertThat(total).isEqualTo(ONE_GIB);
            assertThat(HexFormat.of().formatHex(sha.digest())).isEqualTo(StreamData.sha256(ONE_GIB));
            assertThat(gateway.alive()).isTrue();
        } finally {
            lineage.reset();
        }
    }
}
