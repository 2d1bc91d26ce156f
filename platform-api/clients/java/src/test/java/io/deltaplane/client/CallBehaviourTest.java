package io.deltaplane.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.deltaplane.client.generated.metadata.api.CatalogsApi;
import io.deltaplane.client.model.Catalog;
import io.deltaplane.client.model.Job;
import io.deltaplane.client.model.Run;
import io.deltaplane.client.model.Table;
import java.net.ServerSocket;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * How the layer's calls (generated API operations run by {@code internal.Calls}) behave on the wire:
 * error mapping, retries, request ids and idempotency keys, the configured generated clients, the
 * streamed log upload. Against a scripted real HTTP server, because the platform cannot be made to
 * answer 503 or 429 on demand; {@code JavaClientEndToEndTest} (platform-api/e2e) runs the same layer
 * against the real apps.
 */
class CallBehaviourTest {

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
        "400, RESOURCE_ALREADY_EXISTS, ConflictException",
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

    @Test
    void listsFollowPageTokensToTheEndEachPageItsOwnRetriedCall() {
        // tokens as metadata-service makes them: base64, so '=' must survive the query string
        server.then(
                        200,
                        "{\"tables\":[{\"full_name\":\"c.s.a\"},{\"full_name\":\"c.s.b\"}],"
                                + "\"next_page_token\":\"cGFnZS0y\"}")
                .then(503, ScriptedServer.problem(503, "SERVICE_UNAVAILABLE", "x", null))
                .then(200, "{\"tables\":[{\"full_name\":\"c.s.c\"}],\"next_page_token\":\"cGFnZS0zMw==\"}")
                .then(200, "{\"tables\":[{\"full_name\":\"c.s.d\"}],\"next_page_token\":\"\"}");

        assertThat(client.tables().list("c", "s"))
                .extracting(Table::fullName)
                .containsExactly("c.s.a", "c.s.b", "c.s.c", "c.s.d");

        List<ScriptedServer.Request> requests = server.requests();
        assertThat(requests).hasSize(4).allSatisfy(r -> {
            assertThat(r.method()).isEqualTo("GET");
            assertThat(r.path()).startsWith("/api/v1/tables?");
            assertThat(query(r, "catalog_name")).isEqualTo("c");
            assertThat(query(r, "max_results")).isEqualTo("1000");
        });
        assertThat(requests)
                .extracting(r -> query(r, "page_token"))
                .containsExactly(null, "cGFnZS0y", "cGFnZS0y", "cGFnZS0zMw==");
        // the 503 was retried as the same call; each page is a call of its own
        assertThat(requests.get(1).header("X-Request-Id"))
                .isEqualTo(requests.get(2).header("X-Request-Id"));
        assertThat(List.of(requests.get(0), requests.get(2), requests.get(3)))
                .extracting(r -> r.header("X-Request-Id"))
                .doesNotContainNull()
                .doesNotHaveDuplicates();
    }

    @Test
    void aRepeatedPageTokenFailsInsteadOfLoopingForever() {
        server.then(200, "{\"catalogs\":[{\"name\":\"a\"}],\"next_page_token\":\"t1\"}")
                .then(200, "{\"catalogs\":[{\"name\":\"b\"}],\"next_page_token\":\"t2\"}")
                .then(200, "{\"catalogs\":[{\"name\":\"c\"}],\"next_page_token\":\"t1\"}");

        assertThatThrownBy(() -> client.catalogs().list())
                .isExactlyInstanceOf(DeltaplaneException.class)
                .hasMessageContaining("repeated page token t1")
                .satisfies(e -> assertThat(((DeltaplaneException) e).requestId())
                        .isEqualTo(server.requests().get(2).header("X-Request-Id")));
        assertThat(server.requests()).hasSize(3);
    }

    @Test
    void lineageListsArePagedToo() {
        server.then(200, "{\"jobs\":[{\"job_name\":\"a\"}],\"next_page_token\":\"j2\"}")
                .then(200, "{\"jobs\":[{\"job_name\":\"b\"}]}")
                .then(200, "{\"runs\":[{\"job_name\":\"a\",\"state\":\"COMPLETED\"}],\"next_page_token\":\"r2\"}")
                .then(200, "{\"runs\":[{\"job_name\":\"a\",\"state\":\"RUNNING\"}]}");

        assertThat(client.jobs().list()).extracting(Job::name).containsExactly("a", "b");
        assertThat(client.jobs().runs("a")).extracting(Run::state).containsExactly("COMPLETED", "RUNNING");
        assertThat(server.requests()).extracting(r -> query(r, "page_token")).containsExactly(null, "j2", null, "r2");
    }

    private static String query(ScriptedServer.Request request, String name) {
        String path = request.path();
        int q = path.indexOf('?');
        if (q < 0) {
            return null;
        }
        for (String pair : path.substring(q + 1).split("&")) {
            int eq = pair.indexOf('=');
            if (URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8).equals(name)) {
                return URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            }
        }
        return null;
    }

    @Test
    void generatedClientsCarryTheKeyTheUserAgentAndARequestId() throws Exception {
        assertThat(client.generated().metadata()).isSameAs(client.generated().metadata());
        server.then(200, "{\"name\":\"main\"}").then(200, "{\"name\":\"main\"}");
        CatalogsApi catalogs = new CatalogsApi(client.generated().metadata());

        assertThat(catalogs.getCatalogsByName("main").getName()).isEqualTo("main");
        catalogs.getCatalogsByName("main", Map.of("X-Request-Id", "mine"));

        List<ScriptedServer.Request> requests = server.requests();
        assertThat(requests.get(0).header("Authorization")).isEqualTo("Bearer dp_test-key");
        assertThat(requests.get(0).header("User-Agent")).startsWith("deltaplane-java-client/");
        assertThat(requests.get(0).header("X-Request-Id")).isNotBlank();
        assertThat(requests.get(1).values("X-Request-Id")).containsExactly("mine");
    }

    @Test
    void tableAnswersWithJsonObjectFieldsAreRead() {
        // metadata-service sends schema and properties as JSON objects, as the contract declares them
        server.then(200, """
                {"table_id":"0b3c2a53-54a3-4c0e-8e0e-3c0a6f0f7b11","full_name":"c.s.t","version":3,
                 "schema":{"type":"struct","fields":[{"name":"id","type":"long","nullable":false,"metadata":{}}]},
                 "properties":{"delta.appendOnly":"true"},"partition_columns":[],
                 "publish":{"published_version":3,"lag_versions":0}}
                """);
        Table table = client.tables().get("c.s.t");
        assertThat(table.version()).isEqualTo(3);
        assertThat(table.schema().path("fields").path(0).path("name").asText()).isEqualTo("id");
        assertThat(table.properties()).containsEntry("delta.appendOnly", "true");
        assertThat(table.publish().publishedVersion()).isEqualTo(3);
    }

    @Test
    void anUnreadableAnswerIsReportedAndNotRetried() {
        server.then(200, "{\"name\": [1, 2");
        assertThatThrownBy(() -> client.catalogs().get("main"))
                .isExactlyInstanceOf(DeltaplaneException.class)
                .hasMessageContaining("Unreadable answer")
                .satisfies(
                        e -> assertThat(((DeltaplaneException) e).requestId()).isNotBlank());
        assertThat(server.requests()).hasSize(1);
    }

    @Test
    void aGeneratedCallFailsAsTheResourceManagersDo() {
        server.then(403, ScriptedServer.problem(403, "FORBIDDEN", "req-gen", null));
        var admin = new io.deltaplane.client.generated.gateway.api.AdminApi(
                client.generated().gateway());
        assertThatThrownBy(() -> client.generated().call(() -> admin.getAdminApiKeys()))
                .isInstanceOfSatisfying(AuthException.class, e -> {
                    assertThat(e.status()).isEqualTo(403);
                    assertThat(e.errorCode()).isEqualTo("FORBIDDEN");
                    assertThat(e.requestId()).isEqualTo("req-gen");
                });
        assertThat(server.requests()).singleElement().satisfies(request -> {
            assertThat(request.path()).isEqualTo("/api/v1/admin/api-keys");
            assertThat(request.header("Authorization")).isEqualTo("Bearer dp_test-key");
        });
    }

    @Test
    void anUnavailableServiceIsRetriedThenReportedAsAServerException() {
        for (int attempt = 0; attempt < 3; attempt++) {
            server.then(503, ScriptedServer.problem(503, "SERVICE_UNAVAILABLE", "req-503", null));
        }
        assertThatThrownBy(() -> client.ingestMappings().list()).isInstanceOfSatisfying(ServerException.class, e -> {
            assertThat(e.status()).isEqualTo(503);
            assertThat(e.errorCode()).isEqualTo("SERVICE_UNAVAILABLE");
        });
        assertThat(server.requests()).hasSize(3); // maxAttempts
    }

    @Test
    void attachedLogIsStreamedRetriedWithTheSameRequestIdAndLinked(@TempDir Path dir) throws Exception {
        String runId = "5d1d4f0e-3b7a-4c89-9a52-0c5d2b7e8f10";
        Path log = Files.writeString(dir.resolve("etl.log"), "line 1\nline 2\n");
        server.then(
                        201,
                        "{\"run_id\":\"" + runId
                                + "\",\"job_name\":\"etl\",\"state\":\"RUNNING\",\"started_at\":\"2026-01-01T00:00:00Z\"}")
                .then(503, ScriptedServer.problem(503, "SERVICE_UNAVAILABLE", "x", null))
                .then(201, "{\"uri\":\"s3://artifacts/etl/" + runId + "/etl.log\",\"size\":14,\"sha256\":\"abc\"}")
                .then(
                        200,
                        "{\"run_id\":\"" + runId + "\",\"state\":\"COMPLETED\",\"ended_at\":\"2026-01-01T00:01:00Z\"}");

        try (JobContext job = client.startJob("etl")) {
            job.attachLog(log);
        }

        List<ScriptedServer.Request> requests = server.requests();
        assertThat(requests).extracting(ScriptedServer.Request::method).containsExactly("POST", "PUT", "PUT", "PUT");
        assertThat(requests.get(0).header("Idempotency-Key")).isNotBlank();
        ScriptedServer.Request upload = requests.get(1);
        assertThat(upload.path()).isEqualTo("/api/v1/datasets/artifacts/etl/" + runId + "/etl.log");
        assertThat(upload.body()).isEqualTo("line 1\nline 2\n");
        assertThat(upload.header("Content-Type")).isEqualTo("text/plain");
        assertThat(upload.header("Authorization")).isEqualTo("Bearer dp_test-key");
        assertThat(upload.header("Idempotency-Key")).isNull();
        assertThat(requests.get(2).header("X-Request-Id")).isEqualTo(upload.header("X-Request-Id"));
        assertThat(requests.get(2).body()).isEqualTo(upload.body());
        ScriptedServer.Request complete = requests.get(3);
        assertThat(complete.path()).isEqualTo("/api/v1/jobs/etl/runs/" + runId + "/complete");
        assertThat(complete.body()).contains("\"success\":true").contains("s3://artifacts/etl/" + runId + "/etl.log");
    }

    @Test
    void heartbeatsCarryARequestIdButNoIdempotencyKey() throws Exception {
        String runId = "7a0c1e8e-2f59-4f0e-b1a4-0d6c5e1f2a3b";
        server.then(201, "{\"run_id\":\"" + runId + "\",\"job_name\":\"etl\",\"state\":\"RUNNING\"}");
        try (Deltaplane beating = Deltaplane.builder()
                .url(server.url())
                .apiKey("k")
                .heartbeatInterval(Duration.ofMillis(50))
                .build()) {
            try (JobContext job = beating.startJob("etl")) {
                Thread.sleep(400);
            }
        }
        List<ScriptedServer.Request> beats = server.requests().stream()
                .filter(r -> r.path().endsWith("/heartbeat"))
                .toList();
        assertThat(beats).hasSizeGreaterThanOrEqualTo(2).allSatisfy(beat -> {
            assertThat(beat.method()).isEqualTo("POST");
            assertThat(beat.path()).isEqualTo("/api/v1/jobs/etl/runs/" + runId + "/heartbeat");
            assertThat(beat.header("Idempotency-Key")).isNull();
        });
        assertThat(beats)
                .extracting(r -> r.header("X-Request-Id"))
                .doesNotContainNull()
                .doesNotHaveDuplicates();
    }
}
