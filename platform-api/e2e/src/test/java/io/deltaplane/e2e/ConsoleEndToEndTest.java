package io.deltaplane.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.deltaplane.testing.TestHttp;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The console in real headless Chromium against the real platform ({@link EndToEndPlatform}: the app
 * jars, Postgres, an embedded KRaft broker): this test makes real data through the API, then {@code console.mjs}
 * (playwright-core driving {@code /usr/bin/chromium}) signs in, checks every page shows it, presses
 * the buttons, checks a read key can change nothing, and saves a screenshot of each page under
 * {@code target/screenshots}.
 */
@ExtendWith(EndToEndPlatform.Shared.class)
class ConsoleEndToEndTest {

    static final String TOPIC = "console-orders";
    static final String MAPPING = "console_orders";
    static final String TABLE = "shop.sales.orders";
    static final int GOOD_EVENTS = 20;
    static final int BAD_EVENTS = 3;
    static final JsonMapper JSON = JsonMapper.builder().build();

    static final String SSO_PRINCIPAL = "console-sso@example.com";

    static EndToEndPlatform platform;
    static TestHttp admin;

    @BeforeAll
    static void data(EndToEndPlatform shared) throws Exception {
        platform = shared;
        Files.deleteIfExists(Path.of("target", "console-e2e.log"));
        shared.broker().addTopics(new NewTopic(TOPIC, 2, (short) 1));
        admin = new TestHttp(shared.gatewayUrl(), shared.adminKey());
    }

    @Test
    void consoleShowsTheRealPlatformInChromium() throws Exception {
        tableWithVersions();
        mappingWithRowsAndDeadLetters();
        String lastRun = lineageChainOfThreeJobs();
        lateChain();
        String readKey = json(ok(
                        admin.post("/api/v1/admin/api-keys", "{\"name\":\"console-reader\",\"scope\":\"read\"}")))
                .path("key")
                .asString();
        // the team the single sign-on user is in: readers, as the admin sets it up before their first sign-in
        ok(admin.post("/api/v1/admin/principals", "{\"name\":\"" + SSO_PRINCIPAL + "\",\"type\":\"user\"}"));
        ok(admin.put("/api/v1/admin/groups/legacy_readers/members/" + SSO_PRINCIPAL, null));

        Path screenshots =
                Files.createDirectories(Path.of("target", "screenshots").toAbsolutePath());
        Path log = Path.of("target", "console-e2e.log").toAbsolutePath();
        ProcessBuilder node = new ProcessBuilder("node", "src/test/js/console.mjs")
                .redirectErrorStream(true)
                .redirectOutput(log.toFile());
        Map<String, String> env = node.environment();
        env.put("GATEWAY_URL", platform.gatewayUrl());
        env.put("ADMIN_KEY", platform.adminKey());
        env.put("READ_KEY", readKey);
        env.put("TABLE", TABLE);
        env.put("MAPPING", MAPPING);
        env.put("RUN_ID", lastRun);
        env.put("SSO_PRINCIPAL", SSO_PRINCIPAL);
        platform.oidc().nextSignIn(SSO_PRINCIPAL, Map.of("email", SSO_PRINCIPAL));
        env.put("SCREENSHOTS", screenshots.toString());
        Process process = node.start();
        boolean finished = process.waitFor(240, TimeUnit.SECONDS);
        if (!finished) {
            process.destroyForcibly();
        }
        String output = Files.readString(log);
        assertThat(finished).as(output).isTrue();
        assertThat(process.exitValue()).as(output).isZero();
        assertThat(output).contains("console e2e: ok");
        for (String page : new String[] {
            "overview",
            "tables",
            "table",
            "ingest",
            "mapping",
            "runs",
            "run",
            "health",
            "health-table",
            "lineage-late",
            "lineage",
            "api-keys"
        }) {
            assertThat(screenshots.resolve("console-" + page + ".png")).as(page).isNotEmptyFile();
        }

        // The read key's session pressed nothing that changed state; the admin's pause was undone.
        JsonNode mapping = json(ok(admin.get("/api/v1/ingest/mappings/" + MAPPING)));
        assertThat(mapping.path("paused").asBoolean()).isFalse();
        JsonNode keys = json(ok(admin.get("/api/v1/admin/api-keys")));
        assertThat(keys.path("api_keys").toString()).contains("console-created").contains("console-reader");
    }

    private static void tableWithVersions() {
        ok(admin.post("/api/v1/catalogs", "{\"name\":\"shop\"}"));
        ok(admin.post("/api/v1/schemas", "{\"catalog_name\":\"shop\",\"name\":\"sales\"}"));
        ok(admin.post("/api/v1/tables", """
                {"catalog_name": "shop", "schema_name": "sales", "name": "orders", "partition_columns": ["day"],
                 "schema": {"type": "struct", "fields": [
                   {"name": "id", "type": "long", "nullable": false, "metadata": {}},
                   {"name": "amount", "type": "double", "nullable": true, "metadata": {}},
                   {"name": "day", "type": "string", "nullable": true, "metadata": {}}]}}"""));
        // A volume beside the tables (Unity Catalog's), which the Tables page lists with them.
        ok(admin.post("/api/2.1/unity-catalog/volumes", """
                {"catalog_name": "shop", "schema_name": "sales", "name": "landing", "volume_type": "MANAGED"}"""));
        // a registered model beside them, and a storage credential of the metastore (both Unity Catalog's)
        ok(admin.post("/api/2.1/unity-catalog/models", """
                {"catalog_name": "shop", "schema_name": "sales", "name": "churn"}"""));
        ok(admin.post("/api/2.1/unity-catalog/credentials", """
                {"name": "lake_role", "purpose": "STORAGE",
                 "aws_iam_role": {"role_arn": "arn:aws:iam::123456789012:role/lake"}}"""));
        // A second table for the script to commit to while it watches the Overview's charts.
        ok(admin.post("/api/v1/tables", """
                {"catalog_name": "shop", "schema_name": "sales", "name": "clicks",
                 "schema": {"type": "struct", "fields": [{"name": "id", "type": "long", "nullable": false, "metadata": {}}]}}"""));
        for (int v = 0; v < 3; v++) {
            ok(admin.post("/api/v1/tables/" + TABLE + "/commits", """
                    {"expected_version": %d, "operation": "WRITE",
                     "actions": [{"add": {"path": "day=2026-01-0%d/part-%05d.parquet",
                       "partitionValues": {"day": "2026-01-0%d"}, "size": %d,
                       "modificationTime": 1767225600000, "dataChange": true, "stats": "{\\"numRecords\\": 3}"}}]}""".formatted(v, v + 1, v, v + 1, 1024 * (v + 1))));
        }
    }

    private static void mappingWithRowsAndDeadLetters() throws Exception {
        ok(admin.post("/api/v1/ingest/mappings", """
                {"name": "%s", "source": {"type": "kafka", "topic": "%s", "start_from": "earliest"},
                 "target": {"schema": "shop_stream", "table": "orders"}, "format": "json",
                 "columns": [{"name": "id", "type": "BIGINT"}, {"name": "amount", "type": "DOUBLE"},
                             {"name": "customer", "type": "VARCHAR"}],
                 "batch": {"max_rows": 1000, "max_wait_ms": 200}, "enabled": true}""".formatted(MAPPING, TOPIC)));
        Map<String, Object> props = new HashMap<>();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, platform.kafkaBootstrapServers());
        props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
        props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(props)) {
            for (int i = 1; i <= GOOD_EVENTS; i++) {
                producer.send(new ProducerRecord<>(
                        TOPIC,
                        i % 2,
                        null,
                        "{\"id\": %d, \"amount\": %d.5, \"customer\": \"customer-%d\"}".formatted(i, i, i)));
            }
            producer.send(new ProducerRecord<>(TOPIC, 0, null, "this is not json"));
            producer.send(new ProducerRecord<>(TOPIC, 1, null, "{\"amount\": 1.0, \"customer\": \"no-id\"}"));
            producer.send(new ProducerRecord<>(
                    TOPIC, 0, null, "{\"id\": \"twelve\", \"amount\": 2.0, \"customer\": \"bad-id\"}"));
            producer.flush();
        }
        // Waits for the worker's own report that it wrote them (a signal, not a sleep).
        Instant deadline = Instant.now().plus(Duration.ofSeconds(60));
        JsonNode status;
        do {
            status = json(ok(admin.get("/api/v1/ingest/mappings/" + MAPPING + "/status")));
            if (status.path("rows_ingested").asLong()
                            + status.path("rows_dead_lettered").asLong()
                    >= GOOD_EVENTS + BAD_EVENTS) {
                break;
            }
            Thread.sleep(100); // between polls of the worker's status
        } while (Instant.now().isBefore(deadline));
        assertThat(status.path("rows_ingested").asLong()).as(status.toString()).isEqualTo(GOOD_EVENTS);
        assertThat(status.path("rows_dead_lettered").asLong())
                .as(status.toString())
                .isEqualTo(BAD_EVENTS);
    }

    /** extract_orders → raw.orders → clean_orders → clean.orders → daily_revenue → mart.daily_revenue. */
    /**
     * Two tables of a catalog expected every second, the second made from the first by a job: both
     * late within seconds, one incident (late.s.src's) with late.s.out affected, for the Health page.
     */
    private static void lateChain() {
        ok(admin.post("/api/v1/catalogs", "{\"name\":\"late\"}"));
        ok(admin.post("/api/v1/schemas", "{\"catalog_name\":\"late\",\"name\":\"s\"}"));
        for (String table : new String[] {"src", "out"}) {
            ok(admin.post("/api/v1/tables", """
                    {"catalog_name": "late", "schema_name": "s", "name": "%s",
                     "schema": {"type": "struct", "fields": [{"name": "id", "type": "long", "nullable": false, "metadata": {}}]}}""".formatted(table)));
            ok(admin.post("/api/v1/tables/late.s." + table + "/commits", """
                    {"actions": [{"add": {"path": "part-0.parquet", "partitionValues": {}, "size": 1000,
                      "modificationTime": 1767225600000, "dataChange": true, "stats": "{\\"numRecords\\": 100}"}}]}"""));
        }
        String run = json(ok(admin.post("/api/v1/jobs/late_rollup/runs", "{}")))
                .path("run_id")
                .asString();
        ok(admin.get("/api/v1/tables/late.s.src/snapshots/latest?run_id=" + run));
        ok(admin.post("/api/v1/jobs/register-snapshot", """
                {"table_name": "late.s.out", "uri": "file:/warehouse/late/s/out", "format": "delta",
                 "job_name": "late_rollup", "run_id": "%s"}""".formatted(run)));
        ok(admin.send("PUT", "/api/v1/jobs/late_rollup/runs/" + run + "/complete", "{\"success\": true}"));
        ok(admin.send(
                "PATCH",
                "/api/2.1/unity-catalog/catalogs/late",
                "{\"properties\": {\"deltaplane.freshness.sla\": \"interval 1 second\"}}"));
    }

    private static String lineageChainOfThreeJobs() {
        String[][] chain = {
            {"extract_orders", null, "raw.orders"},
            {"clean_orders", "raw.orders", "clean.orders"},
            {"daily_revenue", "clean.orders", "mart.daily_revenue"}
        };
        String run = null;
        for (String[] step : chain) {
            String job = step[0];
            run = json(ok(
                            admin.post(
                                    "/api/v1/jobs/" + job + "/runs",
                                    "{\"metadata\": {\"owner\": \"console-e2e\"}, \"nominal_time\": \"2026-01-02T00:00:00Z\"}")))
                    .path("run_id")
                    .asString();
            if (step[1] != null) {
                ok(admin.get("/api/v1/tables/" + step[1] + "/snapshots/latest?run_id=" + run));
            }
            ok(admin.post(
                    "/api/v1/jobs/register-snapshot", """
                    {"table_name": "%s", "uri": "file:/warehouse/%s", "format": "parquet",
                     "schema": {"columns": ["day", "revenue"]}, "job_name": "%s", "run_id": "%s"}""".formatted(step[2], step[2].replace('.', '/'), job, run)));
            ok(admin.post(
                    "/api/v1/events/broadcast",
                    "{\"event_type\": \"metric\", \"data\": {\"rows_written\": 42}, \"job_name\": \"%s\", \"run_id\": \"%s\"}"
                            .formatted(job, run)));
            String log = json(ok(admin.send(
                            "PUT",
                            "/api/v1/datasets/logs/" + job + "/" + run + "/run.log",
                            "wrote 42 rows of " + step[2] + "\n",
                            "Content-Type",
                            "text/plain")))
                    .path("uri")
                    .asString();
            ok(admin.send(
                    "PUT",
                    "/api/v1/jobs/" + job + "/runs/" + run + "/complete",
                    "{\"success\": true, \"artifacts\": [{\"type\": \"log\", \"uri\": \"" + log + "\"}]}"));
        }
        // And one failed run, for the state filter.
        String failed = json(ok(admin.post("/api/v1/jobs/daily_revenue/runs", "{}")))
                .path("run_id")
                .asString();
        ok(admin.send("PUT", "/api/v1/jobs/daily_revenue/runs/" + failed + "/complete", "{\"success\": false}"));
        return run;
    }

    private static HttpResponse<String> ok(HttpResponse<String> response) {
        assertThat(response.statusCode())
                .as(response.request().method() + " " + response.request().uri() + ": " + response.body())
                .isBetween(200, 299);
        return response;
    }

    private static JsonNode json(HttpResponse<String> response) {
        return JSON.readTree(new String(response.body().getBytes(StandardCharsets.UTF_8), StandardCharsets.UTF_8));
    }
}
