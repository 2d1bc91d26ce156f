package io.deltaplane.lineage;

import static io.deltaplane.lineage.Json.body;
import static io.deltaplane.lineage.Json.problem;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.JsonNode;

/**
 * {@code POST /api/v1/lineage/batch}: each event applied as alone, a bad one rejected, not the
 * batch; and a batch leaves exactly what its events sent one by one to {@code POST
 * /api/v1/lineage} leave (both are batches through one writer: this holds its following of runs
 * through a batch's events in memory to the database's, event by event).
 */
class OpenLineageBatchTest extends OpenLineageWriterTestBase {

    @Test
    void aBatchAppliesEveryEventInOrderAndRejectsOnlyTheBadOne() throws Exception {
        UUID runId = UUID.randomUUID();
        List<String> spark = sparkEvents(runId);
        String bad = "{\"eventType\": \"START\", \"eventTime\": \"not a time\", \"run\": {\"runId\": \""
                + UUID.randomUUID() + "\"}, \"job\": {\"namespace\": \"n\", \"name\": \"never\"}}";
        String batch = "[" + spark.get(0) + "," + bad + "," + spark.get(1) + "," + spark.get(2) + "]";
        long before = OpenLineageTest.count("SELECT count(*) FROM lineage.openlineage_events", null);

        JsonNode answer = body(http.post("/api/v1/lineage/batch", batch), 200);

        assertThat(answer.get("accepted").asInt()).isEqualTo(3);
        assertThat(answer.get("rejected").asInt()).isEqualTo(1);
        JsonNode results = answer.get("results");
        assertThat(results.get(0).get("status").asString()).isEqualTo("ACCEPTED");
        assertThat(results.get(0).get("state").asString()).isEqualTo("RUNNING");
        assertThat(results.get(1).get("status").asString()).isEqualTo("REJECTED");
        assertThat(results.get(1).get("error_code").asString()).isEqualTo("INVALID_OPENLINEAGE_EVENT");
        assertThat(results.get(3).get("state").asString()).isEqualTo("COMPLETED");
        assertThat(body(http.get("/api/v1/runs/" + runId), 200).get("state").asString())
                .isEqualTo("COMPLETED");
        assertThat(OpenLineageTest.count("SELECT count(*) FROM lineage.openlineage_events", null))
                .isEqualTo(before + 3);
        problem(http.get("/api/v1/jobs/never"), 404, "JOB_NOT_FOUND");
    }

    @Test
    void aBatchMustBeANonEmptyArrayOfAtMostAThousandEvents() throws Exception {
        long before = OpenLineageTest.count("SELECT count(*) FROM lineage.openlineage_events", null);
        problem(http.post("/api/v1/lineage/batch", "{}"), 400, "INVALID_OPENLINEAGE_EVENT");
        problem(http.post("/api/v1/lineage/batch", "[]"), 400, "INVALID_OPENLINEAGE_EVENT");
        String event = sparkEvents(UUID.randomUUID()).get(0);
        problem(
                http.post(
                        "/api/v1/lineage/batch",
                        "[" + String.join(",", java.util.Collections.nCopies(1001, event)) + "]"),
                400,
                "INVALID_OPENLINEAGE_EVENT");
        problem(http.post("/api/v1/lineage/batch", "[{\"eventType\": "), 400, "MALFORMED_JSON");
        problem(http.post("/api/v1/lineage/batch", "[" + event + ", 42]"), 400, "INVALID_OPENLINEAGE_EVENT");
        problem(
                http.post("/api/v1/lineage/batch", "[{\"eventType\": \"START\"}, {\"job\": 1}]"),
                400,
                "INVALID_OPENLINEAGE_EVENT");
        assertThat(OpenLineageTest.count("SELECT count(*) FROM lineage.openlineage_events", null))
                .isEqualTo(before);
    }

    @Test
    void aNulCharacterAnywhereRefusesTheWholeBatchBeforeAnythingLands() throws Exception {
        // Postgres cannot store \u0000 in text or jsonb: the request is refused as a whole (400
        // naming the field) before any event is applied, the good one included.
        UUID runId = UUID.randomUUID();
        String good = sparkEvents(runId).get(0);
        String nul = "{\"eventType\": \"START\", \"eventTime\": \"2026-11-22T10:00:00Z\", \"run\": {\"runId\": \""
                + UUID.randomUUID() + "\", \"facets\": {\"x\": {\"v\": \"a\\u0000b\"}}},"
                + " \"job\": {\"namespace\": \"n\", \"name\": \"nul_job\"}}";
        long before = OpenLineageTest.count("SELECT count(*) FROM lineage.openlineage_events", null);

        var refused = http.post("/api/v1/lineage/batch", "[" + good + "," + nul + "]");

        problem(refused, 400, "VALIDATION_FAILED");
        assertThat(refused.body()).contains("\"field\":\"1.run.facets.x.v\"");
        assertThat(OpenLineageTest.count("SELECT count(*) FROM lineage.openlineage_events", null))
                .isEqualTo(before);
        problem(http.get("/api/v1/runs/" + runId), 404, "RUN_NOT_FOUND");
    }

    @Test
    void anEventTimePostgresCannotStoreIsRejectedAndTheOthersStillLand() throws Exception {
        // Year 300000 is a valid ISO-8601 instant for Java but out of Postgres's timestamptz range: the
        // one-transaction attempt fails in the database, and applied event by event the batch must reject
        // only that event (it used to answer 400 for the batch after committing the good one).
        UUID runId = UUID.randomUUID();
        String good = sparkEvents(runId).get(0);
        String far = "{\"eventType\": \"START\", \"eventTime\": \"+300000-01-01T00:00:00Z\", \"run\": {\"runId\": \""
                + UUID.randomUUID() + "\"}, \"job\": {\"namespace\": \"n\", \"name\": \"far_job\"}}";
        long before = OpenLineageTest.count("SELECT count(*) FROM lineage.openlineage_events", null);

        JsonNode answer = body(http.post("/api/v1/lineage/batch", "[" + good + "," + far + "]"), 200);

        assertThat(answer.get("accepted").asInt()).isEqualTo(1);
        assertThat(answer.get("results").get(1).get("status").asString()).isEqualTo("REJECTED");
        assertThat(answer.get("results").get(1).get("error_code").asString()).isEqualTo("BAD_REQUEST");
        assertThat(OpenLineageTest.count("SELECT count(*) FROM lineage.openlineage_events", null))
                .isEqualTo(before + 1);
        problem(http.get("/api/v1/jobs/far_job"), 404, "JOB_NOT_FOUND");
        problem(http.post("/api/v1/lineage", far), 400, "BAD_REQUEST"); // what it gets alone
    }

    @Test
    void anEventWhoseDatasetsAreNotArraysIsRejectedAndTheOthersStillLand() throws Exception {
        UUID good = UUID.randomUUID();
        UUID bad = UUID.randomUUID();
        String dataset = "{\"namespace\": \"s3://lake\", \"name\": \"olb_shape.table\"}";
        String batch = "[" + OpenLineageTest.event("START", good, "b", "olb_shape_ok", "[]", "[]") + ","
                + OpenLineageTest.event("START", bad, "b", "olb_shape_bad", dataset, "[]") + ","
                + OpenLineageTest.event("START", bad, "b", "olb_shape_bad", "[]", "\"olb_shape.table\"") + ","
                + OpenLineageTest.event("START", bad, "b", "olb_shape_bad", "[]", "[" + dataset + ", 42]") + "]";
        long before = OpenLineageTest.count("SELECT count(*) FROM lineage.openlineage_events", null);

        JsonNode answer = body(http.post("/api/v1/lineage/batch", batch), 200);

        assertThat(answer.get("accepted").asInt()).isEqualTo(1);
        assertThat(answer.get("rejected").asInt()).isEqualTo(3);
        for (int i = 1; i <= 3; i++) {
            assertThat(answer.get("results").get(i).get("error_code").asString())
                    .isEqualTo("INVALID_OPENLINEAGE_EVENT");
        }
        assertThat(answer.get("results").get(3).get("detail").asString()).contains("outputs[1]");
        assertThat(OpenLineageTest.count("SELECT count(*) FROM lineage.openlineage_events", null))
                .isEqualTo(before + 1);
        problem(http.get("/api/v1/runs/" + bad), 404, "RUN_NOT_FOUND");
        problem(http.get("/api/v1/jobs/olb_shape_bad"), 404, "JOB_NOT_FOUND");
        problem(http.get("/api/v1/tables/olb_shape.table/snapshots/latest"), 404, "TABLE_NOT_FOUND");
        // Alone, and as a batch of only bad events, the same events are 400s.
        problem(
                http.post("/api/v1/lineage", OpenLineageTest.event("START", bad, "b", "olb_shape_bad", "{}", "[]")),
                400,
                "INVALID_OPENLINEAGE_EVENT");
        problem(
                http.post(
                        "/api/v1/lineage/batch",
                        "[" + OpenLineageTest.event("START", bad, "b", "olb_shape_bad", "[]", "7") + "]"),
                400,
                "INVALID_OPENLINEAGE_EVENT");
    }

    @Test
    void anotherJobsRunAndNewsForAnEndedRunAreRejectedAsAloneAndTheRestLands() throws Exception {
        UUID runId = UUID.randomUUID();
        List<String> events = List.of(
                OpenLineageTest.event("START", runId, "b", "olb_owner", "[]", "[]"),
                OpenLineageTest.event("COMPLETE", runId, "b", "olb_thief", "[]", "[]"),
                OpenLineageTest.event("COMPLETE", runId, "b", "olb_owner", "[]", "[]"),
                OpenLineageTest.event("RUNNING", runId, "b", "olb_owner", "[]", "[]"),
                OpenLineageTest.event("FAIL", runId, "b", "olb_owner", "[]", "[]"),
                OpenLineageTest.event("COMPLETE", runId, "b", "olb_owner", "[]", "[]"),
                OpenLineageTest.event("OTHER", runId, "b", "olb_owner", "[]", "[]"));

        JsonNode answer = body(http.post("/api/v1/lineage/batch", "[" + String.join(",", events) + "]"), 200);

        assertThat(answer.get("accepted").asInt()).isEqualTo(4);
        assertThat(answer.get("rejected").asInt()).isEqualTo(3);
        JsonNode results = answer.get("results");
        assertThat(results.get(1).get("error_code").asString()).isEqualTo("ALREADY_EXISTS");
        assertThat(results.get(2).get("state").asString()).isEqualTo("COMPLETED");
        assertThat(results.get(3).get("error_code").asString()).isEqualTo("RUN_NOT_RUNNING");
        assertThat(results.get(3).get("detail").asString()).contains("COMPLETED");
        assertThat(results.get(4).get("error_code").asString()).isEqualTo("RUN_ALREADY_COMPLETED");
        assertThat(results.get(5).get("status").asString()).isEqualTo("ACCEPTED");
        assertThat(results.get(6).get("status").asString()).isEqualTo("ACCEPTED");
        JsonNode view = body(http.get("/api/v1/runs/" + runId), 200);
        assertThat(view.get("job_name").asString()).isEqualTo("olb_owner");
        assertThat(view.get("state").asString()).isEqualTo("COMPLETED");
        assertThat(OpenLineageTest.count("SELECT count(*) FROM lineage.openlineage_events WHERE run_id = ?", runId))
                .isEqualTo(4);
        problem(http.get("/api/v1/jobs/olb_thief"), 404, "JOB_NOT_FOUND");
    }

    @Test
    void aRunTheDatabaseHasKeepsItsJobAndItsEndAgainstABatch() throws Exception {
        UUID running = UUID.randomUUID();
        UUID completed = UUID.randomUUID();
        body(http.post("/api/v1/lineage", OpenLineageTest.event("START", running, "n1", "olb_known", "[]", "[]")), 201);
        body(
                http.post("/api/v1/lineage", OpenLineageTest.event("START", completed, "n1", "olb_known", "[]", "[]")),
                201);
        body(
                http.post(
                        "/api/v1/lineage", OpenLineageTest.event("COMPLETE", completed, "n1", "olb_known", "[]", "[]")),
                201);
        String output = "[{\"namespace\": \"s3://lake\", \"name\": \"olb_known.out\"}]";
        List<String> events = List.of(
                // the job's name in another namespace is another job
                OpenLineageTest.event("RUNNING", running, "n2", "olb_known", "[]", output),
                OpenLineageTest.event("START", completed, "n1", "olb_known", "[]", output),
                OpenLineageTest.event("COMPLETE", completed, "n1", "olb_known", "[]", "[]"),
                OpenLineageTest.event("COMPLETE", running, "n1", "olb_known", "[]", "[]"));

        JsonNode answer = body(http.post("/api/v1/lineage/batch", "[" + String.join(",", events) + "]"), 200);

        assertThat(answer.get("results").get(0).get("error_code").asString()).isEqualTo("ALREADY_EXISTS");
        assertThat(answer.get("results").get(1).get("error_code").asString()).isEqualTo("RUN_NOT_RUNNING");
        assertThat(answer.get("results").get(2).get("state").asString()).isEqualTo("COMPLETED");
        assertThat(answer.get("results").get(3).get("state").asString()).isEqualTo("COMPLETED");
        for (UUID runId : List.of(running, completed)) {
            JsonNode view = body(http.get("/api/v1/runs/" + runId), 200);
            assertThat(view.get("job_name").asString()).isEqualTo("olb_known");
            assertThat(view.get("state").asString()).isEqualTo("COMPLETED");
            assertThat(view.get("outputs")).isEmpty();
        }
    }

    @Test
    void aRunTheRestApiStartedTakesItsNamespaceFromTheBatchsFirstEventAsAlone() throws Exception {
        String runId = body(http.post("/api/v1/jobs/olb_rest/runs", "{}"), 201)
                .get("run_id")
                .asString();
        UUID run = UUID.fromString(runId);
        List<String> events = List.of(
                OpenLineageTest.event("RUNNING", run, "na", "olb_rest", "[]", "[]"),
                OpenLineageTest.event("RUNNING", run, "nb", "olb_rest", "[]", "[]"));

        JsonNode answer = body(http.post("/api/v1/lineage/batch", "[" + String.join(",", events) + "]"), 200);

        assertThat(answer.get("results").get(0).get("status").asString()).isEqualTo("ACCEPTED");
        assertThat(answer.get("results").get(1).get("error_code").asString()).isEqualTo("ALREADY_EXISTS");
    }

    @Test
    void aBatchLeavesWhatItsEventsSentOneByOneLeave() throws Exception {
        Map<String, UUID> one = Map.of("A", UUID.randomUUID());
        Map<String, UUID> all = Map.of("A", UUID.randomUUID());
        for (String event : sparkEvents("eqone", one.get("A"))) {
            body(http.post("/api/v1/lineage", event), 201);
        }
        List<String> batch = sparkEvents("eqall", all.get("A"));
        assertThat(body(http.post("/api/v1/lineage/batch", "[" + String.join(",", batch) + "]"), 200)
                        .get("accepted")
                        .asInt())
                .isEqualTo(batch.size());

        for (String query : LineageRows.QUERIES) {
            List<String> oneByOne = LineageRows.of(query, "eqone", one);
            assertThat(oneByOne).as(query).isNotEmpty();
            assertThat(LineageRows.of(query, "eqall", all)).as(query).isEqualTo(oneByOne);
        }
    }

    /**
     * What only a batch has: events of one run before and after its end (a repeated COMPLETE, an
     * OTHER naming datasets, which adds none), a read of a table an earlier event of the batch wrote
     * (and of one a version already stands for), a run the database already had, a run's second
     * write of a table. The writer applies it whole (nothing refused, one transaction) and leaves
     * what the events sent one by one leave, answering the same states.
     */
    @Test
    void aBatchThatDependsOnItsOwnEarlierEventsIsAppliedWholeAsOneByOne() throws Exception {
        OpenLineageScenario seq = new OpenLineageScenario("eqseq");
        OpenLineageScenario bat = new OpenLineageScenario("eqbat");
        for (OpenLineageScenario copy : List.of(seq, bat)) {
            // Known before the batch: a version of one table, and a run started alone.
            body(
                    http.post(
                            "/api/v1/tables/" + copy.prefix + "_ver/snapshots",
                            "{\"uri\":\"file:/v\",\"format\":\"delta\",\"version\":3}"),
                    201);
            body(http.post("/api/v1/lineage", copy.event("START", "D", "job3", "[]", "[]")), 201);
        }
        List<String> states = new ArrayList<>();
        for (String event : seq.events()) {
            states.add(
                    body(http.post("/api/v1/lineage", event), 201).get("state").asString());
        }

        List<JsonNode> batch = bat.events().stream().map(Json.MAPPER::readTree).toList();
        var applied = new TransactionTemplate(transactions).execute(status -> writer.apply(batch));

        assertThat(applied.stream().map(a -> a.state().name()).toList()).isEqualTo(states);
        for (String query : LineageRows.QUERIES) {
            List<String> oneByOne = LineageRows.of(query, seq.prefix, seq.runs);
            assertThat(oneByOne).as(query).isNotEmpty();
            assertThat(LineageRows.of(query, bat.prefix, bat.runs)).as(query).isEqualTo(oneByOne);
        }
    }

    /** Events a run refuses (an end with the other outcome, news after its end) are the 409s they get alone. */
    @Test
    void aBatchWithRefusedEventsLeavesWhatTheEventsSentOneByOneLeave() throws Exception {
        OpenLineageScenario seq = new OpenLineageScenario("eqrefa");
        OpenLineageScenario bat = new OpenLineageScenario("eqrefb");
        List<String> statuses = new ArrayList<>();
        for (String event : seq.refused()) {
            var response = http.post("/api/v1/lineage", event);
            statuses.add(response.statusCode() == 201 ? "ACCEPTED" : "REJECTED " + response.statusCode());
        }
        assertThat(statuses).containsExactly("ACCEPTED", "ACCEPTED", "REJECTED 409", "REJECTED 409");

        JsonNode answer = body(http.post("/api/v1/lineage/batch", "[" + String.join(",", bat.refused()) + "]"), 200);

        assertThat(answer.get("rejected").asInt()).isEqualTo(2);
        assertThat(answer.get("results").get(2).get("error_code").asString()).isEqualTo("RUN_ALREADY_COMPLETED");
        assertThat(answer.get("results").get(3).get("error_code").asString()).isEqualTo("RUN_NOT_RUNNING");
        for (String query : LineageRows.QUERIES) {
            assertThat(LineageRows.of(query, bat.prefix, bat.runs))
                    .as(query)
                    .isEqualTo(LineageRows.of(query, seq.prefix, seq.runs));
        }
    }

    /** The recorded Spark event set, under its own job and dataset names when {@code prefix} is given. */
    private static List<String> sparkEvents(String prefix, UUID runId) throws Exception {
        return sparkEvents(runId).stream()
                .map(e -> e.replace("\"name\":\"daily_revenue", "\"name\":\"" + prefix + "_daily_revenue")
                        .replace("/warehouse/demo/", "/warehouse/" + prefix + "_demo/"))
                .toList();
    }

    private static List<String> sparkEvents(UUID runId) throws Exception {
        try (InputStream in =
                OpenLineageBatchTest.class.getResourceAsStream("/openlineage/spark-daily-revenue.jsonl")) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8)
                    .replace("0193a7c2-5b1e-7c3d-9f2a-3d4e5f6a7b8c", runId.toString())
                    .lines()
                    .filter(l -> !l.isBlank())
                    .toList();
        }
    }
}
