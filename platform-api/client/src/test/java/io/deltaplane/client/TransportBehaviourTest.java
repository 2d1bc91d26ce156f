package io.deltaplane.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.deltaplane.client.model.Catalog;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Error mapping, retries, request ids and idempotency keys, against a scripted real HTTP server. */
class TransportBehaviourTest {

    ScriptedServer server;
    Deltaplane client;

    @BeforeEach
    void start() throws Exception {
        server = new ScriptedServer();
        client = Deltaplane.builder()
                .url(server.url())
                .apiKey("dp_test-key")
                .maxAttempts(3)
                .build();
    }

    @AfterEach
    void stop() {
        client.close();
        server.close();
    }

    @ParameterizedTest(name = "{0} {1} -> {2}")
    @CsvSource({
        "401, UNAUTHENTICATED,  AuthException",
        "403, FORBIDDEN,        AuthException",
        "404, CATALOG_NOT_FOUND, NotFoundException",
        "409, ALREADY_EXISTS,   ConflictException",
        "400, INVALID_NAME,     InvalidRequestException",
        "413, PAYLOAD_TOO_LARGE, InvalidRequestException",
        "500, INTERNAL_ERROR,   ServerException",
    })
    void errorsBecomeTypedExceptionsWithTheRequestId(int status, String code, String type) {
        server.then(status, ScriptedServer.problem(status, code, "req-" + status, null));
        assertThatThrownBy(() -> client.catalogs().get("main"))
                .isInstanceOf(DeltaplaneException.class)
                .satisfies(e -> {
                    DeltaplaneException d = (DeltaplaneException) e;
                    assertThat(d.getClass().getSimpleName()).isEqualTo(type);
                    assertThat(d.status()).isEqualTo(status);
                    assertThat(d.errorCode()).isEqualTo(code);
                    assertThat(d.requestId()).isEqualTo("req-" + status);
                    assertThat(d.getMessage()).contains("req-" + status);
                });
        assertThat(server.requests()).hasSize(1); // none of these is retried
    }

    @Test
    void versionConflictCarriesTheCurrentVersion() {
        server.then(409, ScriptedServer.problem(409, "VERSION_CONFLICT", "r1", "\"current_version\":7"));
        assertThatThrownBy(() -> client.tables().commit("c.s.t", 3, List.of()))
                .isInstanceOfSatisfying(
                        ConflictException.class,
                        e -> assertThat(e.currentVersion()).hasValue(7));
    }

    @Test
    void unavailableServiceIsRetriedWithTheSameRequestIdAndIdempotencyKey() {
        server.then(503, ScriptedServer.problem(503, "SERVICE_UNAVAILABLE", "x", null))
                .then(201, "{\"name\":\"main\",\"created_at\":\"2026-01-01T00:00:00Z\"}");
        Catalog created = client.catalogs().create("main");
        assertThat(created.name()).isEqualTo("main");
        List<ScriptedServer.Request> requests = server.requests();
        assertThat(requests).hasSize(2);
        assertThat(requests.get(0).header("Idempotency-Key"))
                .isNotBlank()
                .isEqualTo(requests.get(1).header("Idempotency-Key"));
        assertThat(requests.get(0).header("X-Request-Id"))
                .isEqualTo(requests.get(1).header("X-Request-Id"));
        assertThat(requests.get(0).header("Authorization")).isEqualTo("Bearer dp_test-key");
        assertThat(requests.get(0).body()).contains("\"name\":\"main\"");
    }

    @Test
    void rateLimitedCallsWaitAndRetry() {
        server.then(429, ScriptedServer.problem(429, "RATE_LIMITED", "x", null), Map.of("Retry-After", "1"))
                .then(200, "{\"name\":\"main\"}");
        long start = System.nanoTime();
        assertThat(client.catalogs().get("main").name()).isEqualTo("main");
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(900));
    }

    @Test
    void givesUpAfterMaxAttemptsWithTheLastError() {
        for (int i = 0; i < 3; i++) {
            server.then(429, ScriptedServer.problem(429, "RATE_LIMITED", "last", null), Map.of("Retry-After", "0"));
        }
        assertThatThrownBy(() -> client.catalogs().list())
                .isInstanceOfSatisfying(
                        RateLimitedException.class,
                        e -> assertThat(e.requestId()).isEqualTo("last"));
        assertThat(server.requests()).hasSize(3);
    }

    @Test
    void unreachableServerIsATransientNetworkErrorWithARequestId() throws Exception {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        try (Deltaplane nowhere = Deltaplane.builder()
                .url("http://127.0.0.1:" + port)
                .apiKey("k")
                .maxAttempts(2)
                .build()) {
            assertThatThrownBy(() -> nowhere.catalogs().list())
                    .isInstanceOfSatisfying(
                            TransientNetworkException.class,
                            e -> assertThat(e.requestId()).isNotBlank());
            assertThatThrownBy(() -> nowhere.catalogs().listAsync().join())
                    .isInstanceOf(CompletionException.class)
                    .hasCauseInstanceOf(TransientNetworkException.class);
        }
    }

    @Test
    void onlyPostsCarryAnIdempotencyKeyAndEveryCallARequestId() {
        server.then(200, "{\"name\":\"main\"}").then(204, null).then(201, "{\"name\":\"x\"}");
        client.catalogs().get("main");
        client.catalogs().delete("main");
        client.catalogs().create("x");
        List<ScriptedServer.Request> requests = server.requests();
        assertThat(requests).extracting(ScriptedServer.Request::method).containsExactly("GET", "DELETE", "POST");
        assertThat(requests.get(0).header("Idempotency-Key")).isNull();
        assertThat(requests.get(1).header("Idempotency-Key")).isNull();
        assertThat(requests.get(2).header("Idempotency-Key")).isNotBlank();
        assertThat(requests)
                .extracting(r -> r.header("X-Request-Id"))
                .doesNotContainNull()
                .doesNotHaveDuplicates();
    }

    @Test
    void asyncCallsComplete() {
        server.then(200, "{\"catalogs\":[{\"name\":\"a\"},{\"name\":\"b\"}]}");
        assertThat(client.catalogs().listAsync().join())
                .extracting(Catalog::name)
                .containsExactly("a", "b");
    }
}
