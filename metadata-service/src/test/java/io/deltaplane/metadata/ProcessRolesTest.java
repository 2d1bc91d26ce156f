package io.deltaplane.metadata;

import static org.assertj.core.api.Assertions.assertThat;

import io.deltaplane.support.idempotency.IdempotencyLeases;
import io.deltaplane.testing.TestDatabase;
import io.deltaplane.testing.TestHttp;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.SmartLifecycle;
import tools.jackson.databind.json.JsonMapper;

/**
 * The chart's split of metadata-service into API pods and {@code metadata-worker} pods, as two
 * processes of the application over one database and one warehouse: the API pod
 * ({@code deltaplane.process.background-jobs=false}) answers and commits but runs none of the
 * platform's background loops — only what serves its own requests (its idempotency leases) — and
 * the worker pod ({@code deltaplane.process.api=false}) runs them all, publishes what the API pod
 * committed, answers its health probe and refuses the API with a 404 problem. Every running
 * lifecycle of the platform's own is listed, so a loop added later that forgets the role fails here.
 */
class ProcessRolesTest {

    private static final String KEY = "test-admin-key-roles-000001";
    private static final JsonMapper JSON = JsonMapper.builder().build();
    /** What an API pod runs for its own requests: everything else is a background job. */
    private static final Set<Class<?>> PER_PROCESS = Set.of(IdempotencyLeases.class);

    private final TestDatabase db = TestDatabase.createAnother();
    private ConfigurableApplicationContext api;
    private ConfigurableApplicationContext worker;

    @AfterEach
    void stop() {
        if (worker != null) {
            worker.close();
        }
        if (api != null) {
            api.close();
        }
    }

    @Test
    void apiPodsRunNoBackgroundJobAndWorkerPodsRunThemAllAndServeNoApi() throws Exception {
        Path warehouse = Files.createTempDirectory("roles-warehouse");
        api = start(warehouse, Map.of("deltaplane.process.background-jobs", "false"));
        TestHttp http = TestHttp.local(port(api), KEY);
        assertThat(running(api).keySet())
                .as("the platform's lifecycles running on an API pod")
                .containsExactlyInAnyOrderElementsOf(
                        PER_PROCESS.stream().map(Class::getSimpleName).toList());

        ok(http.post("/api/v1/catalogs", "{\"name\":\"roles\"}"), 201);
        ok(http.post("/api/v1/schemas", "{\"catalog_name\":\"roles\",\"name\":\"s\"}"), 201);
        ok(http.post("/api/v1/tables", MetadataTestBase.tableBody("roles", Map.of())), 201);
        ok(
                http.post(
                        "/api/v1/tables/roles.s.t/commits",
                        MetadataTestBase.commitBody(0, java.util.List.of(MetadataTestBase.add("a.parquet", 10)))),
                201);
        assertThat(published(http)).as("nothing publishes on the API pod alone").isLessThan(1);

        worker = start(warehouse, Map.of("deltaplane.process.api", "false"));
        Map<String, Boolean> jobs = running(worker);
        assertThat(jobs.keySet())
                .as("the platform's lifecycles running on a worker pod")
                .contains(
                        "PublishScheduler",
                        "IcebergPublisher",
                        "HealthEvaluator",
                        "WebhookSender",
                        "MaintenanceWorker",
                        "DroppedTablePurge",
                        "AuditChainer",
                        "RelayLoop");
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (published(http) < 1) {
            assertThat(System.nanoTime()).as("the worker publishes version 1").isLessThan(deadline);
            Thread.sleep(50);
        }
        String location = JSON.readTree(ok(http.get("/api/v1/tables/roles.s.t"), 200))
                .path("location")
                .asString();
        Path table = location.startsWith("file:") ? Path.of(java.net.URI.create(location)) : Path.of(location);
        assertThat(Files.exists(table.resolve("_delta_log/00000000000000000001.json")))
                .as("version 1 in %s", location)
                .isTrue();

        TestHttp onWorker = TestHttp.local(port(worker), KEY);
        HttpResponse<String> refused = onWorker.get("/api/v1/tables/roles.s.t");
        assertThat(refused.statusCode()).isEqualTo(404);
        assertThat(JSON.readTree(refused.body()).path("error_code").asString()).isEqualTo("NOT_FOUND");
        assertThat(onWorker.get("/api/v1/tables/nope.s.t").statusCode())
                .as("not even a 401: nothing is served")
                .isEqualTo(404);
        assertThat(onWorker.get("/actuator/health").statusCode()).isEqualTo(200);
    }

    private long published(TestHttp http) {
        return JSON.readTree(ok(http.get("/api/v1/tables/roles.s.t/publish"), 200))
                .path("published_version")
                .asLong(-1);
    }

    /** The running lifecycles of the platform's own classes, by simple class name. */
    private static Map<String, Boolean> running(ConfigurableApplicationContext context) {
        Map<String, Boolean> running = new TreeMap<>();
        context.getBeansOfType(SmartLifecycle.class).values().stream()
                .filter(l -> l.getClass().getName().startsWith("io.deltaplane."))
                .filter(SmartLifecycle::isRunning)
                .forEach(l -> running.put(l.getClass().getSimpleName(), true));
        return running;
    }

    private ConfigurableApplicationContext start(Path warehouse, Map<String, String> role) {
        Map<String, String> properties = new LinkedHashMap<>(role);
        properties.put("server.port", "0");
        properties.put("deltaplane.db.url", db.url());
        properties.put("deltaplane.db.user", db.user());
        properties.put("deltaplane.db.password", db.password() == null ? "" : db.password());
        properties.put("deltaplane.security.admin-api-key", KEY);
        properties.put("deltaplane.warehouse.root", warehouse.toString());
        properties.put("deltaplane.lineage.enabled", "true");
        // as arguments: default properties lose to application.yml's port
        return new SpringApplicationBuilder(MetadataServiceApplication.class)
                .run(properties.entrySet().stream()
                        .map(p -> "--" + p.getKey() + "=" + p.getValue())
                        .toArray(String[]::new));
    }

    private static int port(ConfigurableApplicationContext context) {
        return ((WebServerApplicationContext) context).getWebServer().getPort();
    }

    private static String ok(HttpResponse<String> response, int status) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        return response.body();
    }
}
