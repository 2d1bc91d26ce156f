package io.deltaplane.metadata;

import static org.assertj.core.api.Assertions.assertThat;

import io.deltaplane.testing.FaultyConnections;
import io.deltaplane.testing.TestDatabase;
import io.deltaplane.testing.TestHttp;
import java.net.http.HttpResponse;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import tools.jackson.databind.JsonNode;

/**
 * Postgres restarting or failing over, as a replica sees it: every connection of its pool is reset
 * and new ones are refused (a TCP proxy between the replica and Postgres). Callers get a 503 with
 * {@code Retry-After} they can act on — never a 500, never a 401 for a good key — nothing half
 * done is left, and the same request succeeds once the database is back, with no manual step.
 */
class DatabaseOutageTest extends MetadataTestBase {

    private static FaultyConnections postgres;
    private static ConfigurableApplicationContext replica;
    private static TestHttp throughProxy;

    @BeforeAll
    static void startReplicaBehindProxy() {
        TestDatabase db = TestDatabase.get();
        postgres = FaultyConnections.inFrontOf(5432);
        Map<String, Object> properties = new LinkedHashMap<>();
        properties.put("server.port", "0");
        properties.put("deltaplane.db.url", db.url().replaceFirst("//[^/]+/", "//127.0.0.1:" + postgres.port() + "/"));
        properties.put("deltaplane.db.user", db.user());
        properties.put("deltaplane.db.password", db.password() == null ? "" : db.password());
        properties.put("deltaplane.db.connect-timeout", "1s");
        properties.put("deltaplane.security.admin-api-key", ADMIN_KEY);
        properties.put("deltaplane.warehouse.root", "target/test-warehouse-outage");
        // As arguments: default properties lose to application.yml (server.port 8081), and two
        // test JVMs then raced for that port.
        replica = new SpringApplicationBuilder(MetadataServiceApplication.class)
                .run(properties.entrySet().stream()
                        .map(p -> "--" + p.getKey() + "=" + p.getValue())
                        .toArray(String[]::new));
        int port = ((WebServerApplicationContext) replica).getWebServer().getPort();
        throughProxy = TestHttp.local(port, ADMIN_KEY);
    }

    @AfterAll
    static void stop() {
        if (replica != null) {
            replica.close();
        }
        postgres.close();
    }

    @Test
    void anOutageIsA503WithRetryAfterAndTheSameRequestSucceedsOnceTheDatabaseIsBack() throws InterruptedException {
        String table = newTable();
        String path = "/api/v1/tables/" + table + "/commits";
        ok(throughProxy.post(path, commitBody(0, List.of(add("before.parquet", 10)))), 201);

        postgres.unreachable();
        try {
            String during = commitBody(1, List.of(add("during.parquet", 10)));
            assertUnavailable(throughProxy.post(path, during));
            assertUnavailable(throughProxy.get("/api/v1/tables/" + table + "/snapshot"));
            // A key the replica has not seen cannot be looked up: unavailable, not "unknown key".
            assertUnavailable(
                    TestHttp.local(port(), "a-key-never-seen-before-0001").get("/api/v1/catalogs"));
        } finally {
            postgres.heal();
        }

        // The same commit, retried as a client retries a 503, lands at the version it asked for once
        // the pool has connections again; until then every answer is a 503, never anything else.
        HttpResponse<String> retried;
        long healed = System.nanoTime();
        long deadline = System.nanoTime() + java.time.Duration.ofSeconds(30).toNanos();
        while ((retried = throughProxy.post(path, commitBody(1, List.of(add("during.parquet", 10))))).statusCode()
                != 201) {
            assertUnavailable(retried);
            assertThat(System.nanoTime()).as("the replica recovers on its own").isLessThan(deadline);
            Thread.sleep(100);
        }
        JsonNode landed = ok(retried, 201);
        System.out.printf(
                "database outage: commits again %d ms after Postgres was back%n",
                (System.nanoTime() - healed) / 1_000_000);
        assertThat(landed.path("version").asLong()).isEqualTo(2);
        JsonNode history = get("/api/v1/tables/" + table + "/history");
        List<Long> versions = new java.util.ArrayList<>();
        history.path("commits").forEach(c -> versions.add(c.path("version").asLong()));
        assertThat(versions).as("contiguous, nothing half done").containsExactly(2L, 1L, 0L);
        assertThat(livePaths(table, null, 100)).containsExactlyInAnyOrder("before.parquet", "during.parquet");
    }

    private static int port() {
        return ((WebServerApplicationContext) replica).getWebServer().getPort();
    }

    private static void assertUnavailable(HttpResponse<String> response) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(503);
        assertThat(response.headers().firstValue("Retry-After")).isPresent();
        assertThat(response.headers().firstValue("Content-Type"))
                .hasValueSatisfying(type -> assertThat(type).startsWith("application/problem+json"));
        JsonNode problem = JSON.readTree(response.body());
        assertThat(problem.path("error_code").asString()).isEqualTo("SERVICE_UNAVAILABLE");
        assertThat(problem.path("request_id").asString()).isNotBlank();
    }
}
