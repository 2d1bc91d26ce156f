package io.deltaplane.metadata.lineage;

import static org.assertj.core.api.Assertions.assertThat;

import io.deltaplane.metadata.lineage.FakeLineageService.Fault;
import io.deltaplane.metadata.maintenance.MaintenanceTestBase;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Every OPTIMIZE, VACUUM and log cleanup that ran becomes a lineage run of job {@code
 * maintenance:<table>} with what it did, delivered at least once and idempotently. Lineage is a
 * {@link FakeLineageService} here (another application); the docs tests' walk-through of
 * maintenance.md reads the run back from the real lineage-service.
 */
class MaintenanceRunRelayTest extends MaintenanceTestBase {

    private static final String SERVICE_KEY = "test-service-key-maintenance-runs";
    private static FakeLineageService lineage;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    JsonMapper json;

    @Autowired
    Clock clock;

    private MaintenanceRunRelay relay;

    @BeforeAll
    static void startLineage() throws Exception {
        lineage = new FakeLineageService();
    }

    @AfterAll
    static void stopLineage() {
        lineage.close();
    }

    @BeforeEach
    void relayToTheFake() {
        lineage.reset();
        // other tests' runs wait in the shared outbox (no relay delivers them there): a round here
        // takes only this test's, as LineageOutboxTest does with its outbox
        jdbc.sql("DELETE FROM maintenance_run_outbox").update();
        LineageRelayProperties properties = lineage.relayProperties(SERVICE_KEY);
        relay = new MaintenanceRunRelay(jdbc, new LineageCalls(properties), properties, json, clock);
    }

    @Test
    void anOptimizeOnRequestReachesLineageAsARunOfItsTablesMaintenanceJob() {
        Lake lake = lake("local");
        for (int i = 0; i < 4; i++) {
            append(lake, "2026-11-01", i * 10L, 10);
        }
        Instant before = Instant.now();
        JsonNode optimized = ok(http.post("/api/v1/tables/" + lake.table() + "/optimize", "{}"), 200);

        relay.relayDue();

        List<JsonNode> events = eventsOf(lake.table());
        assertThat(events).extracting(e -> e.get("eventType").asString()).containsExactly("START", "COMPLETE");
        JsonNode start = events.get(0);
        assertThat(start.at("/job/namespace").asString()).isEqualTo("deltaplane");
        assertThat(start.at("/run/runId").asString())
                .isEqualTo(events.get(1).at("/run/runId").asString());
        JsonNode facet = start.at("/run/facets/deltaplane_maintenance");
        assertThat(facet.get("operation").asString()).isEqualTo("OPTIMIZE");
        assertThat(facet.get("trigger").asString()).isEqualTo("request");
        assertThat(facet.at("/result/files_removed").asInt()).isEqualTo(4);
        assertThat(facet.at("/result/files_added").asInt()).isEqualTo(1);
        assertThat(facet.at("/result/bytes_added").asLong()).isPositive();
        assertThat(facet.at("/result/version").asLong())
                .isEqualTo(optimized.get("version").asLong());
        Instant started = Instant.parse(start.get("eventTime").asString());
        Instant ended = Instant.parse(events.get(1).get("eventTime").asString());
        assertThat(started).isAfterOrEqualTo(before.minusSeconds(1)).isBeforeOrEqualTo(ended);
        assertThat(lineage.received().get(0).authorization()).isEqualTo("Bearer " + SERVICE_KEY);
        assertThat(waiting(lake.table())).as("delivered runs leave the outbox").isZero();
    }

    @Test
    void aRunWaitsOutALineageOutageAndARepeatedDeliveryIsTheSameRun() {
        Lake lake = lake("local");
        for (int i = 0; i < 3; i++) {
            append(lake, "2026-11-02", i * 10L, 10);
        }
        ok(http.post("/api/v1/tables/" + lake.table() + "/optimize", "{}"), 200);

        lineage.failNext(Fault.UNAVAILABLE);
        relay.relayDue();
        assertThat(waiting(lake.table())).as("kept while lineage is down").isEqualTo(1);
        assertThat(jdbc.sql("SELECT last_error FROM maintenance_run_outbox WHERE full_name = ?")
                        .param(lake.table())
                        .query(String.class)
                        .single())
                .contains("503");

        // lineage takes the START and the COMPLETE but the answer to the COMPLETE is lost
        backOffPassed(lake.table());
        lineage.failNext(Fault.NONE, Fault.ACK_LOST);
        relay.relayDue();
        assertThat(waiting(lake.table())).isEqualTo(1);

        // delivered again: lineage has the run already ended (409 to the START), the same end again
        backOffPassed(lake.table());
        relay.relayDue();
        assertThat(waiting(lake.table())).isZero();
        List<JsonNode> events = eventsOf(lake.table());
        assertThat(events.stream().map(e -> e.at("/run/runId").asString()).distinct())
                .as("one run, however often delivered")
                .hasSize(1);
        assertThat(lineage.runs()).containsValue("COMPLETED");
    }

    @Test
    void aFailedOptimizeIsAFailedRunAndNeitherADryRunNorARefusedRequestIsARun() {
        // the log names files the storage does not have: OPTIMIZE fails (422), a run that failed
        String ghost = newTable();
        ok(commit(ghost, 0, add("gone-1.parquet", 100), add("gone-2.parquet", 100)), 201);
        assertProblem(http.post("/api/v1/tables/" + ghost + "/optimize", "{}"), 422, "DATA_FILE_MISSING");
        // a dry run deletes nothing, and a request refused before anything ran does nothing
        ok(http.post("/api/v1/tables/" + ghost + "/vacuum", "{\"dry_run\":true}"), 200);
        assertProblem(
                http.post("/api/v1/tables/" + ghost + "/optimize", "{\"target_file_size_bytes\":10}"),
                400,
                "VALIDATION_FAILED");
        assertThat(waiting(ghost)).isEqualTo(1);
        // a VACUUM that ran (deleting nothing here) is a run
        ok(http.post("/api/v1/tables/" + ghost + "/vacuum", "{}"), 200);

        relay.relayDue();

        List<JsonNode> events = eventsOf(ghost);
        assertThat(events)
                .extracting(e -> e.get("eventType").asString())
                .containsExactly("START", "FAIL", "START", "COMPLETE");
        assertThat(events.get(0)
                        .at("/run/facets/deltaplane_maintenance/operation")
                        .asString())
                .isEqualTo("OPTIMIZE");
        assertThat(events.get(1).at("/run/facets/errorMessage/message").asString())
                .contains("DATA_FILE_MISSING");
        JsonNode vacuum = events.get(2).at("/run/facets/deltaplane_maintenance");
        assertThat(vacuum.get("operation").asString()).isEqualTo("VACUUM");
        assertThat(vacuum.at("/result/file_count").asLong()).isZero();
        assertThat(vacuum.at("/result/paths").isMissingNode())
                .as("a VACUUM's run has its counts, not its file list")
                .isTrue();
    }

    private List<JsonNode> eventsOf(String table) {
        return lineage.received().stream()
                .filter(r -> r.path().equals(FakeLineageService.OPENLINEAGE_PATH))
                .map(FakeLineageService.Received::body)
                .filter(e -> e.at("/job/name").asString().equals(MaintenanceRun.JOB_PREFIX + table))
                .toList();
    }

    private long waiting(String table) {
        return jdbc.sql("SELECT count(*) FROM maintenance_run_outbox WHERE full_name = ?")
                .param(table)
                .query(Long.class)
                .single();
    }

    /** As if the row's back-off had passed. */
    private void backOffPassed(String table) {
        jdbc.sql("UPDATE maintenance_run_outbox SET next_attempt_at = :now WHERE full_name = :table")
                .params(Map.of("now", java.time.OffsetDateTime.now().minusSeconds(1), "table", table))
                .update();
    }
}
