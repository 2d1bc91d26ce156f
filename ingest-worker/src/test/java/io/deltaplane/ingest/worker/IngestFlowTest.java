package io.deltaplane.ingest.worker;

import static org.assertj.core.api.Assertions.assertThat;

import io.deltaplane.ingest.ConsumedOffsets;
import io.deltaplane.ingest.IngestSpringTest;
import io.deltaplane.ingest.TestKafka;
import io.deltaplane.ingest.TestMappings;
import io.deltaplane.ingest.sink.Warehouse;
import io.deltaplane.testing.TestHttp;
import java.nio.charset.StandardCharsets;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.stream.LongStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The worker as users drive it: mappings created, changed, paused, resumed and deleted through the
 * API are picked up without a restart; events produced to the embedded broker land in the DuckDB
 * file; status reports what happened.
 */
class IngestFlowTest extends IngestSpringTest {

    static final String PATH = "/api/v1/ingest/mappings";

    @LocalServerPort
    int port;

    @Autowired
    Warehouse warehouse;

    TestHttp http;
    final JsonMapper json = JsonMapper.builder().build();

    @BeforeEach
    void setUp() {
        http = TestHttp.local(port, ADMIN_KEY);
    }

    static String mapping(String name, String topic, String table, String columns, String extra) {
        return """
                {"name": "%s", "source": {"type": "kafka", "topic": "%s"},
                 "target": {"schema": "flow", "table": "%s"}, "columns": %s,
                 "batch": {"max_rows": 500, "max_wait_ms": 100}%s}""".formatted(name, topic, table, columns, extra);
    }

    static final String COLUMNS = """
            [{"name": "id", "type": "BIGINT"}, {"name": "device", "type": "VARCHAR"},
             {"name": "amount", "type": "DOUBLE"}, {"name": "ok", "type": "BOOLEAN"},
             {"name": "ts", "type": "TIMESTAMPTZ"}]""";

    @Test
    void aBatchEndsAtMaxBytesBeforeMaxRows() throws Exception {
        String topic = TestKafka.topic("flow-bytes");
        TestKafka.produce(topic, 0, 400, TestMappings::event);
        String bytes = mapping("flow-bytes", topic, "by_bytes", COLUMNS, "")
                .replace(
                        "\"max_rows\": 500, \"max_wait_ms\": 100",
                        "\"max_rows\": 500, \"max_wait_ms\": 100, \"max_bytes\": 2048");
        assertThat(http.post(PATH, bytes).statusCode()).isEqualTo(201);
        long bad = LongStream.range(0, 400).filter(TestMappings::isBad).count();

        await(() -> status("flow-bytes").get("rows_ingested").asLong() == 400 - bad);
        // 400 events of about 100 bytes, 4 partitions: one or a few batches by rows, many by bytes
        assertThat(status("flow-bytes").get("batches").asLong()).isGreaterThanOrEqualTo(10);
        assertThat(json.readTree(http.get(PATH + "/flow-bytes").body())
                        .get("batch")
                        .get("max_bytes")
                        .asLong())
                .isEqualTo(2048);
    }

    @Test
    void createdMappingIngestsAndStatusReportsIt() throws Exception {
        String topic = TestKafka.topic("flow");
        TestKafka.produce(topic, 0, 2_000, TestMappings::event);
        assertThat(http.post(PATH, mapping("flow", topic, "devices", COLUMNS, ""))
                        .statusCode())
                .isEqualTo(201);
        long bad = LongStream.range(0, 2_000).filter(TestMappings::isBad).count();

        await(() -> status("flow").get("rows_ingested").asLong() == 2_000 - bad);
        JsonNode status = status("flow");
        assertThat(status.get("state").asString()).isEqualTo("RUNNING");
        assertThat(status.get("rows_dead_lettered").asLong()).isEqualTo(bad);
        assertThat(status.get("last_batch_at").isNull()).isFalse();
        assertThat(status.get("last_batch_duration_ms").asDouble()).isPositive();
        await(() -> status("flow").get("lag").asLong() == 0);
        JsonNode partitions = status("flow").get("partitions");
        assertThat(partitions).hasSize(4);
        for (JsonNode p : partitions) {
            assertThat(p.get("sink_offset").asLong()).isEqualTo(500);
            assertThat(p.get("lag").asLong()).isZero();
        }
        assertThat(count("SELECT count(DISTINCT (_partition, _offset)) FROM flow.devices"))
                .isEqualTo(2_000 - bad);
        assertThat(count("SELECT count(*) FROM flow.devices_dead_letters")).isEqualTo(bad);

        // What people and the console see while the worker holds the DuckDB file: rows and dead letters.
        JsonNode rows = json.readTree(http.get(PATH + "/flow/rows?limit=5").body());
        assertThat(rows.get("mapping").asString()).isEqualTo("flow");
        assertThat(rows.get("rows")).hasSize(5);
        List<String> names = new java.util.ArrayList<>();
        rows.get("columns").forEach(c -> names.add(c.get("name").asString()));
        assertThat(names).contains("_partition", "_offset", "_ingested_at");
        assertThat(rows.get("rows").get(0)).hasSize(names.size());
        JsonNode dead =
                json.readTree(http.get(PATH + "/flow/dead-letters?limit=500").body());
        assertThat(dead.get("items")).hasSize((int) bad);
        assertThat(dead.get("items").get(0).get("error").asString()).isNotBlank();
        assertThat(http.get(PATH + "/flow/rows?limit=501").statusCode()).isEqualTo(400);
        assertThat(http.get(PATH + "/nope/rows").statusCode()).isEqualTo(404);

        JsonNode report = json.readTree(http.post("/api/v1/ingest/validate", "").body());
        JsonNode flow = null;
        for (JsonNode r : report.get("mappings")) {
            if (r.get("name").asString().equals("flow")) {
                flow = r;
            }
        }
        assertThat(flow).isNotNull();
        assertThat(flow.get("source").get("ok").asBoolean()).isTrue();
        assertThat(flow.get("source").get("detail").asString()).isEqualTo("topic " + topic + " has 4 partitions");
        assertThat(flow.get("sink").get("ok").asBoolean()).isTrue();

        String metrics = http.get("/actuator/prometheus").body();
        assertThat(metrics).contains("deltaplane_ingest_rows_total{application=\"ingest-worker\",mapping=\"flow\"}");
        assertThat(metrics).contains("deltaplane_ingest_lag{");
        assertThat(metrics).contains("deltaplane_ingest_lag_seconds{");
        assertThat(http.delete(PATH + "/flow").statusCode()).isEqualTo(204);
    }

    @Test
    void changedMappingIsPickedUpAtRuntimeAndContinuesWhereItStopped() throws Exception {
        String topic = TestKafka.topic("change");
        TestKafka.produce(topic, 0, 400, TestMappings::good);
        assertThat(http.post(PATH, mapping("change", topic, "changing", COLUMNS, ""))
                        .statusCode())
                .isEqualTo(201);
        await(() -> status("change").get("rows_ingested").asLong() == 400);

        String more = COLUMNS.replace(
                "]",
                ", {\"name\": \"site\", \"type\": \"VARCHAR\", \"path\": \"$.meta.site\"," + " \"required\": false}]");
        assertThat(http.put(PATH + "/change", mapping("change", topic, "changing", more, ""))
                        .statusCode())
                .isEqualTo(200);
        await(() -> status("change").get("state").asString().equals("RUNNING") && columnExists("changing", "site"));
        TestKafka.produce(
                topic,
                400,
                400,
                i -> new String(TestMappings.good(i), StandardCharsets.UTF_8)
                        .replace("}", ",\"meta\":{\"site\":\"s-" + i % 3 + "\"}}")
                        .getBytes(StandardCharsets.UTF_8));
        await(() -> count("SELECT count(*) FROM flow.changing") == 800);
        // the worker's own offsets (written with the rows) say all 800 are consumed: nothing is left
        // that could land again
        assertThat(ConsumedOffsets.of(warehouse, "change")).isEqualTo(800);
        assertThat(count("SELECT count(*) FROM flow.changing")).isEqualTo(800);
        assertThat(count("SELECT count(DISTINCT (_partition, _offset)) FROM flow.changing"))
                .isEqualTo(800);
        assertThat(count("SELECT count(*) FROM flow.changing WHERE site IS NOT NULL"))
                .isEqualTo(400);
        assertThat(count("SELECT count(*) FROM flow.changing WHERE site IS NOT NULL AND id < 400"))
                .isZero();
        assertThat(http.delete(PATH + "/change").statusCode()).isEqualTo(204);
    }

    @Test
    void pausedMappingStopsConsumingAndResumesWhereItStopped() throws Exception {
        String topic = TestKafka.topic("pause");
        TestKafka.produce(topic, 0, 300, TestMappings::good);
        assertThat(http.post(PATH, mapping("pause", topic, "paused", COLUMNS, ""))
                        .statusCode())
                .isEqualTo(201);
        await(() -> count("SELECT count(*) FROM flow.paused") == 300);

        JsonNode paused = json.readTree(http.post(PATH + "/pause/pause", "").body());
        assertThat(paused.get("paused").asBoolean()).isTrue();
        await(() -> status("pause").get("state").asString().equals("PAUSED"));
        // paused: its consumer has left the group, so no one reads what comes next
        await(() -> TestKafka.groupMembers("deltaplane-ingest-pause") == 0);
        TestKafka.produce(topic, 300, 300, TestMappings::good);
        assertThat(TestKafka.groupMembers("deltaplane-ingest-pause")).isZero();
        assertThat(count("SELECT count(*) FROM flow.paused")).isEqualTo(300);

        assertThat(json.readTree(http.post(PATH + "/pause/resume", "").body())
                        .get("paused")
                        .asBoolean())
                .isFalse();
        // right after the resume, before the reconciler has started it, it is starting (not PAUSED)
        assertThat(status("pause").get("state").asString()).isIn("STARTING", "RUNNING");
        await(() -> count("SELECT count(*) FROM flow.paused") == 600);
        assertThat(status("pause").get("state").asString()).isEqualTo("RUNNING");
        assertThat(ConsumedOffsets.of(warehouse, "pause")).isEqualTo(600);
        assertThat(count("SELECT count(DISTINCT (_partition, _offset)) FROM flow.paused"))
                .isEqualTo(600);
        assertThat(count("SELECT count(*) FROM flow.paused")).isEqualTo(600);
        assertThat(http.delete(PATH + "/pause").statusCode()).isEqualTo(204);
    }

    @Test
    void dryRunParsesAndReportsButWritesNothing() throws Exception {
        String topic = TestKafka.topic("dry");
        TestKafka.produce(topic, 0, 1_000, TestMappings::event);
        long bad = LongStream.range(0, 1_000).filter(TestMappings::isBad).count();
        assertThat(http.post(PATH, mapping("dry", topic, "dry_events", COLUMNS, ", \"dry_run\": true"))
                        .statusCode())
                .isEqualTo(201);
        await(() -> status("dry").path("rows_would_write").asLong() == 1_000 - bad);
        JsonNode status = status("dry");
        assertThat(status.get("dry_run").asBoolean()).isTrue();
        assertThat(status.get("rows_would_dead_letter").asLong()).isEqualTo(bad);
        assertThat(status.get("rows_ingested").asLong()).isZero();
        assertThat(count("SELECT count(*) FROM duckdb_tables() WHERE table_name LIKE 'dry_events%'"))
                .isZero();
        assertThat(count("SELECT count(*) FROM duckdb_tables() WHERE table_name = '_deltaplane_offsets'"
                        + " AND (SELECT count(*) FROM main._deltaplane_offsets WHERE mapping = 'dry') > 0"))
                .isZero();
        assertThat(http.delete(PATH + "/dry").statusCode()).isEqualTo(204);
    }

    @Test
    void deletedMappingStopsItsConsumer() throws Exception {
        String topic = TestKafka.topic("delete");
        TestKafka.produce(topic, 0, 100, TestMappings::good);
        assertThat(http.post(PATH, mapping("deleted", topic, "deleted", COLUMNS, ""))
                        .statusCode())
                .isEqualTo(201);
        await(() -> count("SELECT count(*) FROM flow.deleted") == 100);
        assertThat(http.delete(PATH + "/deleted").statusCode()).isEqualTo(204);
        // deleted: its consumer has left the group, so no one reads what comes next
        await(() -> TestKafka.groupMembers("deltaplane-ingest-deleted") == 0);
        TestKafka.produce(topic, 100, 100, TestMappings::good);
        assertThat(TestKafka.groupMembers("deltaplane-ingest-deleted")).isZero();
        assertThat(count("SELECT count(*) FROM flow.deleted")).isEqualTo(100);
        assertThat(http.get(PATH + "/deleted/status").statusCode()).isEqualTo(404);
    }

    private JsonNode status(String name) {
        var response = http.get(PATH + "/" + name + "/status");
        assertThat(response.statusCode()).isEqualTo(200);
        return json.readTree(response.body());
    }

    private boolean columnExists(String table, String column) {
        return count("SELECT count(*) FROM duckdb_columns() WHERE table_name = '" + table + "' AND column_name = '"
                        + column + "'")
                == 1;
    }

    private long count(String sql) {
        try (var c = warehouse.connect();
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            long n = rs.getLong(1);
            c.rollback();
            return n;
        } catch (SQLException e) {
            if (e.getMessage().contains("does not exist")) {
                return -1;
            }
            throw new IllegalStateException(e);
        }
    }

    static void await(BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("condition not met within 60 s");
            }
            Thread.sleep(50);
        }
    }
}
