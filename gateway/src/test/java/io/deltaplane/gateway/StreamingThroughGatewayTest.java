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
 * Bodies larger than the gateway's heap pass through it without being held in memory: the gateway
 * runs in its own JVM with a 128 MB heap, so buffering a body of twice that ({@link #SIZE}, 256 MiB;
 * {@code -Dgateway.streaming.bytes=1073741824} for a gigabyte) would fail with OutOfMemoryError. The
 * lineage service is stood in for by a {@link RecordingBackend} that checksums what it receives.
 */
class StreamingThroughGatewayTest {

    static final long SIZE = Long.getLong("gateway.streaming.bytes", 256L * 1024 * 1024);
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
    void twiceTheHeapUploadsThroughA128MbGateway() throws Exception {
        HttpRequest request = HttpRequest.newBuilder(
                        URI.create("http://localhost:" + gateway.port() + "/api/v1/datasets/artifacts/run-1/big.bin"))
                .header("Authorization", "Bearer " + ADMIN_KEY)
                .header("Content-Type", "application/octet-stream")
                .timeout(Duration.ofMinutes(5))
                .PUT(HttpRequest.BodyPublishers.fromPublisher(
                        HttpRequest.BodyPublishers.ofInputStream(() -> new StreamData(SIZE)), SIZE))
                .build();

        HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());

        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        RecordingBackend.Received received = lineage.last();
        assertThat(received.path()).isEqualTo("/api/v1/datasets/artifacts/run-1/big.bin");
        assertThat(received.bodyBytes()).isEqualTo(SIZE);
        assertThat(received.bodySha256()).isEqualTo(StreamData.sha256(SIZE));
        assertThat(gateway.alive()).isTrue();
        assertThat(gateway.logText()).doesNotContain("OutOfMemoryError");
    }

    @Test
    void twiceTheHeapDownloadsBack() throws Exception {
        lineage.respondWith(r -> RecordingBackend.Reply.download(SIZE));
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
            assertThat(total).isEqualTo(SIZE);
            assertThat(HexFormat.of().formatHex(sha.digest())).isEqualTo(StreamData.sha256(SIZE));
            assertThat(gateway.alive()).isTrue();
        } finally {
            lineage.reset();
        }
    }
}
