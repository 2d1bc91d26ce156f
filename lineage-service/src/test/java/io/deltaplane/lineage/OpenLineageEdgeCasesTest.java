package io.deltaplane.lineage;

import static io.deltaplane.lineage.Json.body;
import static io.deltaplane.lineage.Json.problem;
import static org.assertj.core.api.Assertions.assertThat;

import io.deltaplane.testing.TestDatabase;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.JsonNode;

/**
 * OpenLineage events the one ingestion path answers itself, alone ({@code POST /api/v1/lineage}) as
 * in a batch: an end that conflicts with the completion a run was given, event times outside years
 * 1–9999, and an event whose run another request is starting at the same moment.
 */
class OpenLineageEdgeCasesTest extends OpenLineageWriterTestBase {

    @Test
    void anEndConflictingWithTheCompletionARunWasGivenIsAConflictAloneAndInABatch() throws Exception {
        // The REST API completed the run with more than an OpenLineage end says: a COMPLETE is no
        // repeat of that outcome, and nothing of it is stored.
        String runId = body(http.post("/api/v1/jobs/olb_given/runs", "{}"), 201)
                .get("run_id")
                .asString();
        body(
                http.put(
                        "/api/v1/jobs/olb_given/runs/" + runId + "/complete",
                        "{\"success\": true, \"extra\": {\"rows\": 42}}"),
                200);
        String complete = OpenLineageTest.event("COMPLETE", UUID.fromString(runId), "n", "olb_given", "[]", "[]");

        var alone = http.post("/api/v1/lineage", complete);

        problem(alone, 409, "RUN_ALREADY_COMPLETED");
        JsonNode refused = Json.MAPPER.readTree(alone.body());
        assertThat(refused.get("state").asString()).isEqualTo("COMPLETED");
        assertThat(refused.get("detail").asString()).contains("with a different outcome");
        String other = OpenLineageTest.event("START", UUID.randomUUID(), "n", "olb_given", "[]", "[]");
        JsonNode answer = body(http.post("/api/v1/lineage/batch", "[" + other + "," + complete + "]"), 200);
        assertThat(answer.get("accepted").asInt()).isEqualTo(1);
        assertThat(answer.get("results").get(1).get("error_code").asString()).isEqualTo("RUN_ALREADY_COMPLETED");
        assertThat(answer.get("results").get(1).get("detail").asString())
                .isEqualTo(refused.get("detail").asString());
        assertThat(OpenLineageTest.count(
                        "SELECT count(*) FROM lineage.openlineage_events WHERE run_id = ?", UUID.fromString(runId)))
                .isZero();
    }

    @Test
    void anEventTimeBeyondYear9999OrBeforeYear1IsStoredAloneAndInABatch() throws Exception {
        // Postgres holds 4713 BC to 294276 AD: such times are stored as the JDBC driver would bind
        // them, not refused, whether the event comes alone or in a batch.
        UUID alone = UUID.randomUUID();
        UUID inBatch = UUID.randomUUID();
        body(http.post("/api/v1/lineage", timed("START", alone, "+20000-01-01T00:00:00Z")), 201);
        body(http.post("/api/v1/lineage", timed("COMPLETE", alone, "+20000-01-01T01:00:00.123456Z")), 201);
        String batch = "[" + timed("START", inBatch, "-0100-03-01T10:00:00Z") + ","
                + timed("COMPLETE", inBatch, "0000-03-01T10:00:00Z") + "]";
        assertThat(body(http.post("/api/v1/lineage/batch", batch), 200)
                        .get("accepted")
                        .asInt())
                .isEqualTo(2);

        String times = "SELECT r.started_at::text || ' / ' || r.ended_at::text || ' / ' || (SELECT string_agg("
                + "e.event_time::text, ' / ' ORDER BY e.id) FROM lineage.openlineage_events e WHERE e.run_id = r.id)"
                + " FROM lineage.runs r WHERE r.id = ?";
        assertThat(text(times, alone))
                .isEqualTo("20000-01-01 00:00:00+00 / 20000-01-01 01:00:00.123456+00 / 20000-01-01 00:00:00+00"
                        + " / 20000-01-01 01:00:00.123456+00");
        assertThat(text(times, inBatch))
                .isEqualTo("0101-03-01 10:00:00+00 BC / 0001-03-01 10:00:00+00 BC / 0101-03-01 10:00:00+00 BC"
                        + " / 0001-03-01 10:00:00+00 BC");
    }

    @Test
    void anEventWhoseRunAnotherRequestIsStartingIsAppliedOnceThatOneCommits() throws Exception {
        // Both see no run and both store it: the second waits for the first, meets the run's key,
        // and its transaction is run again, which finds the run (it used to be a 500).
        UUID runId = UUID.randomUUID();
        body(
                http.post(
                        "/api/v1/lineage",
                        OpenLineageTest.event("START", UUID.randomUUID(), "r", "olb_race", "[]", "[]")),
                201); // the job exists: the race is on the run alone
        JsonNode start = Json.MAPPER.readTree(OpenLineageTest.event("START", runId, "r", "olb_race", "[]", "[]"));
        String running = OpenLineageTest.event("RUNNING", runId, "r", "olb_race", "[]", "[]");
        CountDownLatch applied = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        ExecutorService threads = Executors.newFixedThreadPool(2);
        try {
            Future<?> first = threads.submit(() -> new TransactionTemplate(transactions).executeWithoutResult(t -> {
                writer.apply(List.of(start));
                applied.countDown();
                try {
                    release.await(30, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }));
            assertThat(applied.await(30, TimeUnit.SECONDS)).isTrue();
            Future<HttpResponse<String>> second = threads.submit(() -> http.post("/api/v1/lineage", running));
            String waiting = "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database()"
                    + " AND wait_event_type = 'Lock'";
            for (int i = 0; i < 300 && OpenLineageTest.count(waiting, null) == 0; i++) {
                Thread.sleep(100);
            }
            assertThat(OpenLineageTest.count(waiting, null)).isPositive();
            release.countDown();
            first.get(30, TimeUnit.SECONDS);

            assertThat(body(second.get(30, TimeUnit.SECONDS), 201).get("state").asString())
                    .isEqualTo("RUNNING");
        } finally {
            release.countDown();
            threads.shutdownNow();
        }
        assertThat(OpenLineageTest.count("SELECT count(*) FROM lineage.openlineage_events WHERE run_id = ?", runId))
                .isEqualTo(2);
    }

    private static String timed(String type, UUID runId, String time) {
        return "{\"eventType\": \"" + type + "\", \"eventTime\": \"" + time + "\", \"run\": {\"runId\": \"" + runId
                + "\"}, \"job\": {\"namespace\": \"n\", \"name\": \"olb_time\"}}";
    }

    private static String text(String sql, Object param) throws Exception {
        try (Connection c = TestDatabase.get().connect();
                PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setObject(1, param);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getString(1);
            }
        }
    }
}
