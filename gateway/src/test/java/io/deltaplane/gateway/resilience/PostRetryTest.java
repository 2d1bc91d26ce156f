package io.deltaplane.gateway.resilience;

import static org.assertj.core.api.Assertions.assertThat;

import io.deltaplane.gateway.GatewayApplication;
import io.deltaplane.gateway.RecordingBackend;
import io.deltaplane.support.security.ApiKeyStore;
import io.deltaplane.support.security.Scope;
import io.deltaplane.testing.TestHttp;
import io.github.resilience4j.retry.RetryRegistry;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.http.HttpResponse;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * A POST is retried only when nothing was sent: the gateway's first connection to the backend is
 * refused (the port is closed, as a pod that just stopped), the backend comes up before the retry
 * (started by the retry's own event, so no timing is guessed), and the POST reaches it once, body
 * intact — where it used to be a 503 for the client to retry.
 */
@SpringBootTest(
        classes = GatewayApplication.class,
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"deltaplane.gateway.resilience.retry-backoff=20ms"})
class PostRetryTest {

    static final int LINEAGE_PORT = unusedPort();
    static final RecordingBackend METADATA = RecordingBackend.start("metadata");
    static final RecordingBackend INGEST = RecordingBackend.start("ingest");
    static final AtomicReference<RecordingBackend> LINEAGE = new AtomicReference<>();

    @LocalServerPort
    int port;

    @Autowired
    ApiKeyStore keys;

    @Autowired
    RetryRegistry retries;

    @DynamicPropertySource
    static void backends(DynamicPropertyRegistry registry) {
        registry.add("deltaplane.gateway.backends.metadata.url", METADATA::url);
        registry.add("deltaplane.gateway.backends.lineage.url", () -> "http://127.0.0.1:" + LINEAGE_PORT);
        registry.add("deltaplane.gateway.backends.ingest.url", INGEST::url);
    }

    @AfterAll
    static void stopBackends() {
        METADATA.close();
        INGEST.close();
        if (LINEAGE.get() != null) {
            LINEAGE.get().close();
        }
    }

    @Test
    void aPostWhoseConnectionWasRefusedIsSentOnceTheBackendIsUp() {
        AtomicInteger retried = new AtomicInteger();
        retries.retry(BackendResilience.connectRetryName("lineage"))
                .getEventPublisher()
                .onRetry(event -> {
                    retried.incrementAndGet();
                    LINEAGE.compareAndSet(null, RecordingBackend.startOn("lineage", LINEAGE_PORT));
                });
        TestHttp client =
                TestHttp.local(port, keys.create("post-retry", Scope.WRITE).key());

        HttpResponse<String> response = client.post("/api/v1/jobs/j/runs", "{\"probe\":1}");

        assertThat(retried.get())
                .as("the refused connection was retried (the fault fired)")
                .isEqualTo(1);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        assertThat(LINEAGE.get().received()).hasSize(1);
        assertThat(LINEAGE.get().last().smallBody()).isEqualTo("{\"probe\":1}");
    }

    private static int unusedPort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
