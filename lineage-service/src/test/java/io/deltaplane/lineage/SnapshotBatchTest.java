package io.deltaplane.lineage;

import static io.deltaplane.lineage.Json.body;
import static io.deltaplane.lineage.Json.problem;
import static io.deltaplane.lineage.OpenLineageTest.count;
import static org.assertj.core.api.Assertions.assertThat;

import io.deltaplane.support.security.ApiKeyStore;
import io.deltaplane.support.security.Scope;
import io.deltaplane.testing.TestDatabase;
import io.deltaplane.testing.TestHttp;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;

/**
 * {@code POST /api/v1/snapshots/batch} over HTTP against the running service and real Postgres:
 * many versions in one request, idempotent per (table, version), each item checked on its own; a
 * body that cannot be read as a batch stores nothing.
 */
@LineageServiceTest
class SnapshotBatchTest {

    private static final String BATCH = "/api/v1/snapshots/batch";

    @LocalServerPort
    int port;

    @Autowired
    ApiKeyStore keys;

    private TestHttp http;
    private String prefix;

    @BeforeEach
    void setUp() {
        http = TestHttp.local(port, LineageServiceTest.ADMIN_KEY);
        // One app and database serve every test class: each test uses tables of its own.
        prefix = "b" + UUID.randomUUID().toString().substring(0, 8);
    }

    @Test
    void storesEveryVersionAndARepeatIsAlreadyRecordedNotAnError() throws Exception {
        String orders = prefix + ".sales.orders";
        String returns = prefix + ".sales.returns";
        // v2 of orders came earlier through the single endpoint (its body is a batch item's, less the name).
        JsonNode single = body(
                http.post(
                        "/api/v1/tables/" + orders + "/snapshots",
                        item(orders, 2).replace("\"table_name\": \"" + orders + "\", ", "")),
                201);

        List<String> items = new ArrayList<>();
        for (int v = 0; v < 4; v++) {
            items.add(item(orders, v));
        }
        items.add(item(returns, 0));
        items.add(item(returns, 1));
        items.add(item(returns, 1)); // listed twice: stored once
        JsonNode first = body(http.post(BATCH, batch(items)), 200);

        assertThat(first.get("recorded").asInt()).isEqualTo(5);
        assertThat(first.get("already_recorded").asInt()).isEqualTo(2);
        assertThat(first.get("rejected").asInt()).isZero();
        assertThat(outcomes(first))
                .containsExactly(
                        "RECORDED",
                        "RECORDED",
                        "ALREADY_RECORDED",
                        "RECORDED",
                        "RECORDED",
                        "RECORDED",
                        "ALREADY_RECORDED");
        JsonNode results = first.get("results");
        for (int i = 0; i < items.size(); i++) {
            assertThat(results.get(i).get("index").asInt()).isEqualTo(i);
            assertThat(results.get(i).has("snapshot_id")).isTrue();
        }
        assertThat(results.get(2).get("snapshot_id")).isEqualTo(single.get("snapshot_id"));
        assertThat(results.get(6).get("snapshot_id")).isEqualTo(results.get(5).get("snapshot_id"));
        assertThat(results.get(0).get("table_name").asString()).isEqualTo(orders);
        assertThat(results.get(0).get("version").asLong()).isZero();

        // Stored as the single endpoint stores them: history and latest show the versions.
        JsonNode history = body(http.get("/api/v1/tables/" + orders + "/snapshots"), 200);
        assertThat(history.get("snapshots")).hasSize(4);
        JsonNode latestReturn = body(http.get("/api/v1/tables/" + returns + "/snapshots/latest"), 200);
        assertThat(latestReturn.get("version").asLong()).isEqualTo(1);
        assertThat(latestReturn.get("uri").asString()).isEqualTo("file:/warehouse/" + returns);
        assertThat(latestReturn.get("format").asString()).isEqualTo("delta");
        assertThat(latestReturn.get("created_at").asString()).isEqualTo("2026-03-01T10:00:01Z");

        // The whole batch again (a lost acknowledgement): all already recorded, the same snapshots.
        JsonNode repeat = body(http.post(BATCH, batch(items)), 200);
        assertThat(repeat.get("recorded").asInt()).isZero();
        assertThat(repeat.get("already_recorded").asInt()).isEqualTo(7);
        for (int i = 0; i < items.size(); i++) {
            assertThat(repeat.get("results").get(i).get("snapshot_id"))
                    .isEqualTo(results.get(i).get("snapshot_id"));
        }
        assertThat(snapshotsOf(orders)).isEqualTo(4);
        assertThat(snapshotsOf(returns)).isEqualTo(2);
    }

    @Test
    void aBadItemIsRejectedOnItsOwnWithTheSingleEndpointsCodeAndTheOthersAreRecorded() throws Exception {
        String good = prefix + ".s.good";
        String badName = prefix + ".s.bad name";
        UUID ghostRun = UUID.randomUUID();
        List<String> items = List.of(
                item(good, 0),
                item(badName, 0),
                "{\"table_name\": \"" + good + "\", \"uri\": \"file:/w\", \"format\": \"delta\", \"version\": -1}",
                "{\"table_name\": \"" + good + "\", \"format\": \"delta\", \"version\": 5}",
                "{\"table_name\": \"" + good + "\", \"uri\": \"file:/w\", \"format\": \"delta\"}",
                "{\"table_name\": \"" + good + "\", \"uri\": \"file:/w\", \"format\": \"delta\", \"version\": 6,"
                        + " \"run_id\": \"" + ghostRun + "\"}",
                item(good, 1));
        JsonNode answer = body(http.post(BATCH, batch(items)), 200);

        assertThat(outcomes(answer))
                .containsExactly("RECORDED", "REJECTED", "REJECTED", "REJECTED", "REJECTED", "REJECTED", "RECORDED");
        JsonNode results = answer.get("results");
        assertThat(results.get(1).get("error_code").asString()).isEqualTo("INVALID_NAME");
        assertThat(results.get(2).get("error_code").asString()).isEqualTo("VALIDATION_FAILED");
        assertThat(results.get(2).get("detail").asString()).startsWith("version:");
        assertThat(results.get(3).get("error_code").asString()).isEqualTo("VALIDATION_FAILED");
        assertThat(results.get(3).get("detail").asString()).startsWith("uri:");
        assertThat(results.get(4).get("error_code").asString()).isEqualTo("VALIDATION_FAILED");
        assertThat(results.get(4).get("detail").asString()).startsWith("version:");
        assertThat(results.get(5).get("error_code").asString()).isEqualTo("RUN_NOT_FOUND");
        for (int i = 1; i <= 5; i++) {
            assertThat(results.get(i).has("snapshot_id")).isFalse();
        }
        assertThat(answer.get("recorded").asInt()).isEqualTo(2);
        assertThat(answer.get("rejected").asInt()).isEqualTo(5);

        // Only the two good versions were stored; the bad name was not even registered as a table.
        assertThat(versionsOf(good)).containsExactly(0L, 1L);
        assertThat(count("SELECT count(*) FROM lineage.tracked_tables WHERE name = ?", badName))
                .isZero();
    }

    @Test
    void aBodyThatIsNotABatchIs400AndStoresNothing() throws Exception {
        String table = prefix + ".s.t";
        String good = item(table, 0);
        problem(http.post(BATCH, "{\"snapshots\": [" + good), 400, "MALFORMED_JSON");
        // One item of the wrong shape: the body cannot be read, so the good item is not stored either.
        problem(
                http.post(
                        BATCH,
                        batch(List.of(
                                good,
                                "{\"table_name\": \"" + table + "\", \"uri\": \"u\", \"format\": \"delta\","
                                        + " \"version\": \"seven\"}"))),
                400,
                "MALFORMED_JSON");
        problem(
                http.post(BATCH, batch(List.of(good, "{\"table_name\": \"" + table + "\", \"created_at\": \"soon\"}"))),
                400,
                "MALFORMED_JSON");
        problem(http.post(BATCH, "{}"), 400, "VALIDATION_FAILED");
        problem(http.post(BATCH, "{\"snapshots\": []}"), 400, "VALIDATION_FAILED");
        problem(http.post(BATCH, "{\"snapshots\": [" + good + ", null]}"), 400, "VALIDATION_FAILED");
        List<String> tooMany = new ArrayList<>();
        for (int v = 0; v <= 1000; v++) {
            tooMany.add(item(table, v));
        }
        problem(http.post(BATCH, batch(tooMany)), 400, "VALIDATION_FAILED");
        assertThat(count("SELECT count(*) FROM lineage.tracked_tables WHERE name = ?", table))
                .isZero();

        // 1,000 is allowed.
        JsonNode full = body(http.post(BATCH, batch(tooMany.subList(0, 1000))), 200);
        assertThat(full.get("recorded").asInt()).isEqualTo(1000);
        assertThat(snapshotsOf(table)).isEqualTo(1000);
    }

    @Test
    void recordingNeedsWriteScope() throws Exception {
        String table = prefix + ".s.scoped";
        String body = batch(List.of(item(table, 0)));
        problem(http.withKey(keys.create("batch-reader", Scope.READ).key()).post(BATCH, body), 403, "FORBIDDEN");
        problem(http.withKey("no-such-key-0000").post(BATCH, body), 401, "UNAUTHENTICATED");
        assertThat(count("SELECT count(*) FROM lineage.tracked_tables WHERE name = ?", table))
                .isZero();

        JsonNode written = body(
                http.withKey(keys.create("batch-writer", Scope.WRITE).key()).post(BATCH, body), 200);
        assertThat(written.get("recorded").asInt()).isEqualTo(1);
    }

    @Test
    void aRunGivenForAnItemBecomesTheWriterOfWhatIsRecorded() {
        String table = prefix + ".s.by_run";
        String runId = body(http.post("/api/v1/jobs/" + prefix + "_job/runs", "{}"), 201)
                .get("run_id")
                .asString();
        String withRun = "{\"table_name\": \"" + table + "\", \"uri\": \"file:/w/r\", \"format\": \"delta\","
                + " \"version\": 0, \"run_id\": \"" + runId + "\"}";
        JsonNode answer = body(http.post(BATCH, batch(List.of(withRun))), 200);
        assertThat(outcomes(answer)).containsExactly("RECORDED");

        JsonNode run = body(http.get("/api/v1/runs/" + runId), 200);
        assertThat(run.get("outputs")).hasSize(1);
        assertThat(run.get("outputs").get(0).get("table_name").asString()).isEqualTo(table);
        JsonNode graph = body(http.get("/api/v1/lineage?node=table:" + table + "&direction=upstream"), 200);
        assertThat(graph.get("edges").toString()).contains("write");
    }

    @Test
    void aVersionCommittedWhenItsRunWasNotRunningIsRefusedItsWriter() {
        String table = prefix + ".s.claimed";
        String runId = body(http.post("/api/v1/jobs/" + prefix + "_other_team/runs", "{}"), 201)
                .get("run_id")
                .asString();
        String before = "{\"table_name\": \"" + table + "\", \"uri\": \"file:/w/c\", \"format\": \"delta\","
                + " \"version\": 1, \"created_at\": \"2020-01-01T00:00:00Z\", \"run_id\": \"" + runId + "\"}";
        String during = "{\"table_name\": \"" + table + "\", \"uri\": \"file:/w/c\", \"format\": \"delta\","
                + " \"version\": 2, \"created_at\": \"" + java.time.Instant.now() + "\", \"run_id\": \"" + runId
                + "\"}";
        JsonNode answer = body(http.post(BATCH, batch(List.of(before, during))), 200);
        assertThat(outcomes(answer)).containsExactly("REJECTED", "RECORDED");
        assertThat(answer.get("results").get(0).get("error_code").asString()).isEqualTo("RUN_NOT_RUNNING");
        JsonNode run = body(http.get("/api/v1/runs/" + runId), 200);
        assertThat(run.get("outputs")).hasSize(1);
        assertThat(run.get("outputs").get(0).get("version").asLong()).isEqualTo(2);
    }

    @Test
    void aTableMadeAgainAtAnotherLocationHasVersionsOfItsOwn() throws Exception {
        // ./platform demo on another storage drops demo.sales.daily_revenue and makes it again on the
        // new storage: versions 0 and 1 again, at another location, written by another run.
        String table = prefix + ".sales.daily_revenue";
        String oldRun = runOf(prefix + "_old_pipeline");
        String newRun = runOf(prefix + "_new_pipeline");
        List<String> old = new ArrayList<>();
        for (int v = 0; v <= 3; v++) {
            old.add(located(table, "file:/old/daily_revenue", v, "2026-03-01T10:00:0" + v + "Z"));
        }
        body(http.post(BATCH, batch(old)), 200);
        body(http.post("/api/v1/jobs/register-snapshot", """
                {"table_name": "%s", "uri": "file:/old/daily_revenue", "format": "delta", "version": 1,
                 "job_name": "%s_old_pipeline", "run_id": "%s"}""".formatted(table, prefix, oldRun)), 201);

        // The new table's versions: recorded, not "already recorded" as the old table's.
        JsonNode made = body(
                http.post(
                        BATCH,
                        batch(List.of(
                                located(table, "s3://lake/daily_revenue", 0, "2026-03-02T10:00:00Z"),
                                located(table, "s3://lake/daily_revenue", 1, "2026-03-02T10:00:01Z")))),
                200);
        assertThat(outcomes(made)).containsExactly("RECORDED", "RECORDED");
        // Its pipeline registers version 1 as its write: the new table's version 1, not a conflict with
        // the old pipeline's.
        JsonNode registered =
                body(http.post("/api/v1/jobs/register-snapshot", """
                {"table_name": "%s", "uri": "s3://lake/daily_revenue", "format": "delta", "version": 1,
                 "job_name": "%s_new_pipeline", "run_id": "%s"}""".formatted(table, prefix, newRun)), 201);
        assertThat(registered.get("snapshot_id"))
                .isEqualTo(made.get("results").get(1).get("snapshot_id"));
        // A late repeat of the old table's version 1 changes nothing.
        JsonNode late = body(
                http.post(BATCH, batch(List.of(located(table, "file:/old/daily_revenue", 1, "2026-03-01T10:00:01Z")))),
                200);
        assertThat(outcomes(late)).containsExactly("ALREADY_RECORDED");

        // The table's latest snapshot is the new table's, though the old one reached version 3.
        JsonNode latest = body(http.get("/api/v1/tables/" + table + "/snapshots/latest"), 200);
        assertThat(latest.get("uri").asString()).isEqualTo("s3://lake/daily_revenue");
        assertThat(latest.get("version").asLong()).isEqualTo(1);
        // Version 1's writer is the new pipeline's run; the old table's versions stay in the history.
        JsonNode v1 = body(http.get("/api/v1/lineage/tables/" + table + "/versions/1"), 200);
        assertThat(v1.get("produced_by").get("run_id").asString()).isEqualTo(newRun);
        assertThat(snapshotsOf(table)).isEqualTo(6);
    }

    private String runOf(String job) {
        return body(http.post("/api/v1/jobs/" + job + "/runs", "{}"), 201)
                .get("run_id")
                .asString();
    }

    private static String located(String table, String uri, long version, String createdAt) {
        return "{\"table_name\": \"" + table + "\", \"uri\": \"" + uri + "\", \"format\": \"delta\"," + " \"version\": "
                + version + ", \"created_at\": \"" + createdAt + "\"}";
    }

    @Test
    void latestIsTheHighestVersionNotTheNewestUnversionedRegistration() throws Exception {
        String orders = prefix + ".sales.orders";
        // v1 is delivered before v0, and both before a job registers the same write without a version.
        body(http.post(BATCH, batch(List.of(item(orders, 1), item(orders, 0)))), 200);
        body(
                http.post(
                        "/api/v1/tables/" + orders + "/snapshots",
                        "{\"uri\": \"file:/warehouse/unversioned\", \"format\": \"delta\"}"),
                201);

        JsonNode latest = body(http.get("/api/v1/tables/" + orders + "/snapshots/latest"), 200);

        assertThat(latest.get("version").asLong()).isEqualTo(1);
        assertThat(latest.get("uri").asString()).isEqualTo("file:/warehouse/" + orders);
    }

    @Test
    void latestOfATableWithoutVersionsIsItsNewestRegistration() throws Exception {
        String notes = prefix + ".notes";
        body(http.post("/api/v1/tables/" + notes + "/snapshots", "{\"uri\": \"file:/n/1\", \"format\": \"csv\"}"), 201);
        body(http.post("/api/v1/tables/" + notes + "/snapshots", "{\"uri\": \"file:/n/2\", \"format\": \"csv\"}"), 201);

        JsonNode latest = body(http.get("/api/v1/tables/" + notes + "/snapshots/latest"), 200);

        assertThat(latest.get("uri").asString()).isEqualTo("file:/n/2");
    }

    /** A batch item: version {@code version} of {@code table} at its location. */
    private static String item(String table, long version) {
        String created = "\"2026-03-01T10:00:0" + Math.min(version, 9) + "Z\"";
        return "{\"table_name\": \"" + table + "\", \"uri\": \"file:/warehouse/" + table
                + "\", \"format\": \"delta\", \"version\": " + version + ", \"created_at\": " + created
                + ", \"request_id\": \"commit-" + version + "\"}";
    }

    private static String batch(List<String> items) {
        return "{\"snapshots\": [" + String.join(", ", items) + "]}";
    }

    private static List<String> outcomes(JsonNode answer) {
        List<String> outcomes = new ArrayList<>();
        answer.get("results").forEach(r -> outcomes.add(r.get("outcome").asString()));
        return outcomes;
    }

    private static List<Long> versionsOf(String table) throws Exception {
        try (Connection c = TestDatabase.get().connect();
                PreparedStatement ps = c.prepareStatement("SELECT s.version FROM lineage.snapshots s"
                        + " JOIN lineage.tracked_tables t ON t.id = s.table_id WHERE t.name = ? ORDER BY s.version")) {
            ps.setString(1, table);
            try (ResultSet rs = ps.executeQuery()) {
                List<Long> versions = new ArrayList<>();
                while (rs.next()) {
                    versions.add(rs.getLong(1));
                }
                return versions;
            }
        }
    }

    private static long snapshotsOf(String table) throws Exception {
        return count(
                "SELECT count(*) FROM lineage.snapshots s JOIN lineage.tracked_tables t ON t.id = s.table_id"
                        + " WHERE t.name = ?",
                table);
    }
}
