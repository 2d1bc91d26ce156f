package io.deltaplane.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import io.deltaplane.support.security.ApiKeyStore;
import io.deltaplane.support.security.Scope;
import io.deltaplane.testing.TestHttp;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.http.HttpResponse;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;

/**
 * Rate limits, circuit breakers, timeouts and retries, against real HTTP backends: metadata is a
 * {@link RecordingBackend} whose answers the tests script, lineage is a port nobody listens on (a
 * stopped service), ingest is a backend that accepts requests and never answers in time.
 */
@SpringBootTest(
        classes = GatewayApplication.class,
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {
            "deltaplane.gateway.rate-limit.requests-per-period=5",
            "deltaplane.gateway.rate-limit.period=30s",
            "deltaplane.gateway.resilience.minimum-calls=4",
            "deltaplane.gateway.resilience.sliding-window-size=4",
            "deltaplane.gateway.resilience.open-duration=60s",
            "deltaplane.gateway.resilience.retry-backoff=20ms",
            "deltaplane.gateway.backends.ingest.response-timeout=500ms"
        })
class ResilienceTest {

    static final RecordingBackend METADATA = RecordingBackend.start("metadata");
    static final RecordingBackend SLOW_INGEST = RecordingBackend.start("ingest");
    static final int STOPPED_PORT = unusedPort();

    @LocalServerPort
    int port;

    @Autowired
    ApiKeyStore keys;

    @Autowired
    io.deltaplane.support.http.ProblemExceptionHandler problems;

    @DynamicPropertySource
    static void backends(DynamicPropertyRegistry registry) {
        registry.add("deltaplane.gateway.backends.metadata.url", METADATA::url);
        registry.add("deltaplane.gateway.backends.lineage.url", () -> "http://127.0.0.1:" + STOPPED_PORT);
        registry.add("deltaplane.gateway.backends.ingest.url", SLOW_INGEST::url);
    }

    @AfterAll
    static void stopBackends() {
        METADATA.close();
        SLOW_INGEST.close();
    }

    @BeforeEach
    void reset() {
        METADATA.reset();
        SLOW_INGEST.reset();
    }

    /** A fresh key per test: the rate limit is per key, so tests do not spend each other's budget. */
    private TestHttp client() {
        return TestHttp.local(port, keys.create("resilience-test", Scope.WRITE).key());
    }

    @Test
    void burstOverTheLimitIs429WithRetryAfter() {
        TestHttp client = client();
        for (int i = 0; i < 5; i++) {
            assertThat(client.get("/api/v1/catalogs").statusCode()).isEqualTo(200);
        }
        HttpResponse<String> limited = client.get("/api/v1/catalogs");
        GatewayTestBase.assertProblem(limited, 429, "RATE_LIMITED");
        long retryAfter =
                Long.parseLong(limited.headers().firstValue("Retry-After").orElseThrow());
        assertThat(retryAfter).isBetween(1L, 30L);
        assertThat(METADATA.received()).hasSize(5);

        // another key is not affected
        assertThat(client().get("/api/v1/catalogs").statusCode()).isEqualTo(200);
    }

    @Test
    void stoppedServiceIs503ProblemWithinTwoSecondsAndTheBreakerOpens() {
        TestHttp client = client();
        for (int i = 0; i < 4; i++) {
            long start = System.nanoTime();
            HttpResponse<String> response = client.get("/api/v1/jobs");
            long millis = (System.nanoTime() - start) / 1_000_000;
            JsonNode problem = GatewayTestBase.assertProblem(response, 503, "SERVICE_UNAVAILABLE");
            assertThat(problem.path("backend").asString()).isEqualTo("lineage");
            assertThat(response.headers().firstValue("Retry-After")).isPresent();
            assertThat(millis).as("answered in %d ms", millis).isLessThan(2000);
        }
        // enough failures: the breaker is open and answers without trying the backend
        HttpResponse<String> open = client.post("/api/v1/jobs/j/runs", "{}");
        JsonNode problem = GatewayTestBase.assertProblem(open, 503, "SERVICE_UNAVAILABLE");
        assertThat(problem.path("detail").asString()).contains("stops calling it");
        assertThat(open.headers().firstValue("Retry-After")).hasValue("60");
    }

    @Test
    void silentServiceTimesOutWith504() {
        SLOW_INGEST.respondWith(r -> {
            sleep(3000);
            return RecordingBackend.Reply.json(200, "{}");
        });
        long start = System.nanoTime();
        HttpResponse<String> response = client().post("/api/v1/ingest/validate", "{}");
        long millis = (System.nanoTime() - start) / 1_000_000;
        GatewayTestBase.assertProblem(response, 504, "UPSTREAM_TIMEOUT");
        assertThat(millis).as("answered in %d ms", millis).isLessThan(2000);
        assertThat(SLOW_INGEST.received()).hasSize(1); // a POST is never retried
    }

    @Test
    void idempotentRequestsAreRetriedOthersAreNot() {
        AtomicInteger calls = new AtomicInteger();
        METADATA.respondWith(r -> calls.incrementAndGet() == 1
                ? RecordingBackend.Reply.json(503, "{\"error_code\":\"SERVICE_UNAVAILABLE\"}")
                : RecordingBackend.Reply.json(200, "{\"ok\":true}"));
        TestHttp client = client();

        HttpResponse<String> get = client.get("/api/v1/tables/main.s.t");
        assertThat(get.statusCode()).isEqualTo(200);
        assertThat(METADATA.received()).hasSize(2);

        METADATA.clear();
        calls.set(0);
        HttpResponse<String> post = client.post("/api/v1/tables/main.s.t/commits", "{\"expected_version\":0}");
        assertThat(post.statusCode()).isEqualTo(503);
        assertThat(METADATA.received()).hasSize(1);
    }

    @Test
    void aServiceThatDiesMidRequestIs503OutcomeUnknownNotA500() {
        METADATA.respondWith(r -> RecordingBackend.Reply.hangUp());
        HttpResponse<String> post = client().post("/api/v1/tables/main.s.t/commits", "{\"expected_version\":0}");
        JsonNode problem = GatewayTestBase.assertProblem(post, 503, "SERVICE_UNAVAILABLE");
        assertThat(problem.path("backend").asString()).isEqualTo("metadata");
        assertThat(problem.path("detail").asString()).contains("may or may not have taken effect");
        assertThat(post.headers().firstValue("Retry-After")).isPresent();
        assertThat(METADATA.received()).hasSize(1); // a POST is not retried: it may have landed
    }

    @Test
    void aServiceThatDiesWhileAnsweringIs503NotA500() {
        // What the gateway's proxy throws when a backend dies mid-body (seen in PlatformUnderFaultsTest:
        // lineage-service killed while answering a POST); it surfaces after the resilience filter, while
        // the response is written, so the conventions' handler answers it.
        var response = problems.handleUnexpected(new org.springframework.web.client.ResourceAccessException(
                "I/O error",
                new org.apache.hc.core5.http.ConnectionClosedException(
                        "Premature end of chunk coded message body: closing chunk expected")));
        assertThat(response.getStatusCode().value()).isEqualTo(503);
        assertThat(response.getHeaders().getFirst("Retry-After")).isEqualTo("1");
        assertThat(response.getBody().getProperties()).containsEntry("error_code", "SERVICE_UNAVAILABLE");
        assertThat(response.getBody().getDetail()).contains("may or may not have taken effect");
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static int unusedPort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
