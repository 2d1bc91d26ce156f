package io.deltaplane.lineage;

import static io.deltaplane.lineage.Json.body;
import static io.deltaplane.lineage.Json.problem;
import static org.assertj.core.api.Assertions.assertThat;

import io.deltaplane.testing.TestDatabase;
import io.deltaplane.testing.TestHttp;
import io.openlineage.client.OpenLineage;
import io.openlineage.client.OpenLineage.RunEvent.EventType;
import io.openlineage.client.OpenLineageClient;
import io.openlineage.client.OpenLineageClientUtils;
import io.openlineage.client.transports.HttpTransport;
import java.net.URI;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;

/**
 * RunEvents built with the official OpenLineage Java client's model classes and serialised by the
 * client itself, POSTed as its HTTP transport does, land as jobs, runs and snapshots.
 */
@LineageServiceTest
class OpenLineageTest {

    private static final URI PRODUCER =
            URI.create("https://github.com/OpenLineage/OpenLineage/tree/1.55.0/client/java");

    @LocalServerPort
    int port;

    private TestHttp http;
    private final OpenLineage ol = new OpenLineage(PRODUCER);

    @BeforeEach
    void setUp() {
        http = TestHttp.local(port, LineageServiceTest.ADMIN_KEY);
    }

    @Test
    void startAndCompleteLandAsACompletedRunWithItsDatasets() throws Exception {
        UUID runId = UUID.randomUUID();
        ZonedDateTime startTime = ZonedDateTime.of(2026, 3, 1, 10, 0, 0, 0, ZoneOffset.UTC);
        ZonedDateTime endTime = startTime.plusMinutes(5);

        OpenLineage.InputDataset input = ol.newInputDatasetBuilder()
                .namespace("s3://lake")
                .name("raw.clicks")
                .facets(ol.newDatasetFacetsBuilder()
                        .schema(schema("user_id", "STRING", "ts", "TIMESTAMP"))
                        .build())
                .build();
        OpenLineage.OutputDataset output = ol.newOutputDatasetBuilder()
                .namespace("s3://lake")
                .name("analytics.sessions")
                .facets(ol.newDatasetFacetsBuilder()
                        .schema(schema("session_id", "STRING", "clicks", "BIGINT"))
                        .build())
                .build();
        OpenLineage.Job job =
                ol.newJobBuilder().namespace("spark-prod").name("sessionize").build();
        OpenLineage.Run run = ol.newRunBuilder().runId(runId).build();

        OpenLineage.RunEvent start = ol.newRunEventBuilder()
                .eventType(EventType.START)
                .eventTime(startTime)
                .run(run)
                .job(job)
                .inputs(List.of(input))
                .outputs(List.of())
                .build();
        OpenLineage.RunEvent complete = ol.newRunEventBuilder()
                .eventType(EventType.COMPLETE)
                .eventTime(endTime)
                .run(run)
                .job(job)
                .inputs(List.of(input))
                .outputs(List.of(output))
                .build();

        JsonNode started = body(http.post("/api/v1/lineage", OpenLineageClientUtils.toJson(start)), 201);
        assertThat(started.get("state").asString()).isEqualTo("RUNNING");
        JsonNode running = body(http.get("/api/v1/runs/" + runId), 200);
        assertThat(running.get("state").asString()).isEqualTo("RUNNING");

        JsonNode completed = body(http.post("/api/v1/lineage", OpenLineageClientUtils.toJson(complete)), 201);
        assertThat(completed.get("state").asString()).isEqualTo("COMPLETED");

        JsonNode view = body(http.get("/api/v1/runs/" + runId), 200);
        assertThat(view.get("job_name").asString()).isEqualTo("sessionize");
        assertThat(view.get("state").asString()).isEqualTo("COMPLETED");
        assertThat(view.get("source").asString()).isEqualTo("openlineage");
        assertThat(view.get("started_at").asString()).isEqualTo("2026-03-01T10:00:00Z");
        assertThat(view.get("ended_at").asString()).isEqualTo("2026-03-01T10:05:00Z");
        // START and COMPLETE both list the input: it is recorded once.
        assertThat(view.get("inputs")).hasSize(1);
        assertThat(view.get("inputs").get(0).get("table_name").asString()).isEqualTo("raw.clicks");
        assertThat(view.get("outputs")).hasSize(1);
        JsonNode out = view.get("outputs").get(0);
        assertThat(out.get("table_name").asString()).isEqualTo("analytics.sessions");
        assertThat(out.get("uri").asString()).isEqualTo("s3://lake/analytics.sessions");
        assertThat(out.get("schema").get("fields").get(0).get("name").asString())
                .isEqualTo("session_id");
        assertThat(out.get("schema").get("fields").get(1).get("type").asString())
                .isEqualTo("BIGINT");

        JsonNode latest = body(http.get("/api/v1/tables/analytics.sessions/snapshots/latest"), 200);
        assertThat(latest.get("run_id").asString()).isEqualTo(runId.toString());

        JsonNode graph = body(http.get("/api/v1/lineage?node=job:sessionize&depth=1"), 200);
        assertThat(graph.get("edges")).hasSize(2);

        assertThat(count("SELECT count(*) FROM lineage.openlineage_events WHERE run_id = ?", runId))
                .isEqualTo(2);
        assertThat(rawEventType(runId)).containsExactly("START", "COMPLETE");
    }

    @Test
    void theOfficialClientsHttpTransportWorksUnchanged() throws Exception {
        UUID runId = UUID.randomUUID();
        OpenLineage.Job job =
                ol.newJobBuilder().namespace("dbt").name("stg_customers").build();
        OpenLineage.Run run = ol.newRunBuilder().runId(runId).build();
        OpenLineage.OutputDataset output = ol.newOutputDatasetBuilder()
                .namespace("postgres://warehouse:5432")
                .name("analytics.stg_customers")
                .build();
        // The client's own HTTP transport with its defaults (POST <url>/api/v1/lineage, Bearer key).
        try (OpenLineageClient client = OpenLineageClient.builder()
                .transport(HttpTransport.builder()
                        .uri("http://localhost:" + port)
                        .apiKey(LineageServiceTest.ADMIN_KEY)
                        .build())
                .build()) {
            for (EventType type : List.of(EventType.START, EventType.COMPLETE)) {
                client.emit(ol.newRunEventBuilder()
                        .eventType(type)
                        .eventTime(ZonedDateTime.now(ZoneOffset.UTC))
                        .run(run)
                        .job(job)
                        .inputs(List.of())
                        .outputs(List.of(output))
                        .build());
            }
        }
        JsonNode view = body(http.get("/api/v1/runs/" + runId), 200);
        assertThat(view.get("state").asString()).isEqualTo("COMPLETED");
        assertThat(view.get("outputs").get(0).get("uri").asString())
                .isEqualTo("postgres://warehouse:5432/analytics.stg_customers");
    }

    @Test
    void failEndsTheRunAsFailed() {
        UUID runId = UUID.randomUUID();
        OpenLineage.Job job =
                ol.newJobBuilder().namespace("airflow").name("dag.load_task").build();
        OpenLineage.Run run = ol.newRunBuilder().runId(runId).build();
        ZonedDateTime now = ZonedDateTime.now(ZoneOffset.UTC);
        for (EventType type : List.of(EventType.START, EventType.FAIL)) {
            String event = OpenLineageClientUtils.toJson(ol.newRunEventBuilder()
                    .eventType(type)
                    .eventTime(now)
                    .run(run)
                    .job(job)
                    .inputs(List.of())
                    .outputs(List.of())
                    .build());
            body(http.post("/api/v1/lineage", event), 201);
        }
        assertThat(body(http.get("/api/v1/runs/" + runId), 200).get("state").asString())
                .isEqualTo("FAILED");
    }

    @Test
    void anEventWithoutARunIdIsRejectedAndNothingIsKept() throws Exception {
        long before = count("SELECT count(*) FROM lineage.openlineage_events", null);
        problem(
                http.post(
                        "/api/v1/lineage",
                        "{\"eventType\": \"START\", \"eventTime\": \"2026-01-01T00:00:00Z\","
                                + " \"run\": {}, \"job\": {\"namespace\": \"n\", \"name\": \"ghost\"}}"),
                400,
                "INVALID_OPENLINEAGE_EVENT");
        problem(
                http.post(
                        "/api/v1/lineage",
                        "{\"eventType\": \"EXPLODE\", \"eventTime\": \"2026-01-01T00:00:00Z\", \"run\": {\"runId\":"
                                + " \"" + UUID.randomUUID()
                                + "\"}, \"job\": {\"namespace\": \"n\", \"name\": \"ghost\"}}"),
                400,
                "INVALID_OPENLINEAGE_EVENT");
        problem(http.post("/api/v1/lineage", "{\"eventType\": "), 400, "MALFORMED_JSON");
        assertThat(count("SELECT count(*) FROM lineage.openlineage_events", null))
                .isEqualTo(before);
        problem(http.get("/api/v1/jobs/ghost"), 404, "JOB_NOT_FOUND");
    }

    @Test
    void inputsAndOutputsThatAreNotArraysOfDatasetsAreRejectedAndNothingIsKept() throws Exception {
        UUID runId = UUID.randomUUID();
        long before = count("SELECT count(*) FROM lineage.openlineage_events", null);
        String dataset = "{\"namespace\": \"s3://lake\", \"name\": \"shape.table\"}";
        for (String field : List.of("inputs", "outputs")) {
            for (String notAnArray : List.of(dataset, "\"shape.table\"", "42", "true")) {
                String inputs = field.equals("inputs") ? notAnArray : "[]";
                String outputs = field.equals("outputs") ? notAnArray : "[]";
                var refused =
                        http.post("/api/v1/lineage", event("START", runId, "shape", "shape_job", inputs, outputs));
                problem(refused, 400, "INVALID_OPENLINEAGE_EVENT");
                assertThat(field(refused)).isEqualTo(field);
            }
            for (String notADataset : List.of("\"shape.table\"", "7", "[]", "null")) {
                String list = "[" + dataset + ", " + notADataset + "]";
                String inputs = field.equals("inputs") ? list : "[]";
                String outputs = field.equals("outputs") ? list : "[]";
                var refused =
                        http.post("/api/v1/lineage", event("START", runId, "shape", "shape_job", inputs, outputs));
                problem(refused, 400, "INVALID_OPENLINEAGE_EVENT");
                assertThat(field(refused)).isEqualTo(field + "[1]");
            }
        }
        assertThat(count("SELECT count(*) FROM lineage.openlineage_events", null))
                .isEqualTo(before);
        problem(http.get("/api/v1/runs/" + runId), 404, "RUN_NOT_FOUND");
        problem(http.get("/api/v1/jobs/shape_job"), 404, "JOB_NOT_FOUND");
        problem(http.get("/api/v1/tables/shape.table/snapshots/latest"), 404, "TABLE_NOT_FOUND");

        // Of a running run too: the event is refused whole, nothing of it lands.
        body(http.post("/api/v1/lineage", event("START", runId, "shape", "shape_job", "[]", "[]")), 201);
        problem(
                http.post("/api/v1/lineage", event("RUNNING", runId, "shape", "shape_job", "[]", dataset)),
                400,
                "INVALID_OPENLINEAGE_EVENT");
        JsonNode view = body(http.get("/api/v1/runs/" + runId), 200);
        assertThat(view.get("outputs")).isEmpty();
        assertThat(rawEventType(runId)).containsExactly("START");
        // null, like absent, is no datasets
        body(http.post("/api/v1/lineage", event("RUNNING", runId, "shape", "shape_job", "null", "null")), 201);
    }

    @Test
    void anEventNamingAnotherJobForAnExistingRunIsAConflictAndTheRunKeepsItsJob() throws Exception {
        UUID runId = UUID.randomUUID();
        body(http.post("/api/v1/lineage", event("START", runId, "spark-prod", "owner_job", "[]", "[]")), 201);

        var otherName = http.post("/api/v1/lineage", event("COMPLETE", runId, "spark-prod", "thief_job", "[]", "[]"));
        problem(otherName, 409, "ALREADY_EXISTS");
        assertThat(Json.MAPPER.readTree(otherName.body()).get("job_name").asString())
                .isEqualTo("owner_job");
        // Same job name in another namespace: another OpenLineage job, so not this run's either.
        problem(
                http.post("/api/v1/lineage", event("RUNNING", runId, "spark-dev", "owner_job", "[]", "[]")),
                409,
                "ALREADY_EXISTS");

        JsonNode view = body(http.get("/api/v1/runs/" + runId), 200);
        assertThat(view.get("job_name").asString()).isEqualTo("owner_job");
        assertThat(view.get("state").asString()).isEqualTo("RUNNING");
        assertThat(rawEventType(runId)).containsExactly("START");
        problem(http.get("/api/v1/jobs/thief_job"), 404, "JOB_NOT_FOUND");

        // The run's own job still completes it.
        body(http.post("/api/v1/lineage", event("COMPLETE", runId, "spark-prod", "owner_job", "[]", "[]")), 201);
        assertThat(body(http.get("/api/v1/runs/" + runId), 200).get("state").asString())
                .isEqualTo("COMPLETED");
    }

    @Test
    void aCompletedRunTakesOnlyARepeatOfItsEndOrMetadata() throws Exception {
        UUID runId = UUID.randomUUID();
        String late = "[{\"namespace\": \"s3://lake\", \"name\": \"late.table\"}]";
        body(http.post("/api/v1/lineage", event("START", runId, "ended", "ended_job", "[]", "[]")), 201);
        body(http.post("/api/v1/lineage", event("COMPLETE", runId, "ended", "ended_job", "[]", "[]")), 201);
        JsonNode ended = body(http.get("/api/v1/runs/" + runId), 200);

        for (String type : List.of("START", "RUNNING")) {
            var refused = http.post("/api/v1/lineage", event(type, runId, "ended", "ended_job", late, late));
            problem(refused, 409, "RUN_NOT_RUNNING");
            assertThat(Json.MAPPER.readTree(refused.body()).get("state").asString())
                    .isEqualTo("COMPLETED");
        }
        for (String type : List.of("FAIL", "ABORT")) {
            var refused = http.post("/api/v1/lineage", event(type, runId, "ended", "ended_job", "[]", "[]"));
            problem(refused, 409, "RUN_ALREADY_COMPLETED");
            assertThat(Json.MAPPER.readTree(refused.body()).get("state").asString())
                    .isEqualTo("COMPLETED");
        }
        // A client's retry of its COMPLETE, and metadata, are still accepted; neither adds a dataset.
        JsonNode retry =
                body(http.post("/api/v1/lineage", event("COMPLETE", runId, "ended", "ended_job", "[]", late)), 201);
        assertThat(retry.get("state").asString()).isEqualTo("COMPLETED");
        JsonNode other =
                body(http.post("/api/v1/lineage", event("OTHER", runId, "ended", "ended_job", late, "[]")), 201);
        assertThat(other.get("state").asString()).isEqualTo("COMPLETED");

        JsonNode view = body(http.get("/api/v1/runs/" + runId), 200);
        assertThat(view.get("state").asString()).isEqualTo("COMPLETED");
        assertThat(view.get("ended_at")).isEqualTo(ended.get("ended_at"));
        assertThat(view.get("inputs")).isEmpty();
        assertThat(view.get("outputs")).isEmpty();
        assertThat(rawEventType(runId)).containsExactly("START", "COMPLETE", "COMPLETE", "OTHER");
        problem(http.get("/api/v1/tables/late.table/snapshots/latest"), 404, "TABLE_NOT_FOUND");
    }

    @Test
    void aFailedRunTakesFailOrAbortAgainButNotComplete() throws Exception {
        UUID runId = UUID.randomUUID();
        body(http.post("/api/v1/lineage", event("START", runId, "failed", "failed_job", "[]", "[]")), 201);
        body(http.post("/api/v1/lineage", event("FAIL", runId, "failed", "failed_job", "[]", "[]")), 201);

        // FAIL and ABORT both end a run FAILED: either one repeats the end.
        for (String type : List.of("FAIL", "ABORT")) {
            assertThat(body(http.post("/api/v1/lineage", event(type, runId, "failed", "failed_job", "[]", "[]")), 201)
                            .get("state")
                            .asString())
                    .isEqualTo("FAILED");
        }
        var refused = http.post("/api/v1/lineage", event("COMPLETE", runId, "failed", "failed_job", "[]", "[]"));
        problem(refused, 409, "RUN_ALREADY_COMPLETED");
        assertThat(Json.MAPPER.readTree(refused.body()).get("state").asString()).isEqualTo("FAILED");
        problem(
                http.post("/api/v1/lineage", event("RUNNING", runId, "failed", "failed_job", "[]", "[]")),
                409,
                "RUN_NOT_RUNNING");
        assertThat(body(http.get("/api/v1/runs/" + runId), 200).get("state").asString())
                .isEqualTo("FAILED");
        assertThat(rawEventType(runId)).containsExactly("START", "FAIL", "FAIL", "ABORT");
    }

    /** A RunEvent as JSON text; each type at its own time, so a repeat's time is its first's. */
    static String event(String type, UUID runId, String namespace, String job, String inputs, String outputs) {
        String time = switch (type) {
            case "START" -> "2026-05-01T10:00:00Z";
            case "RUNNING" -> "2026-05-01T10:01:00Z";
            case "OTHER" -> "2026-05-01T10:09:00Z";
            default -> "2026-05-01T10:05:00Z";
        };
        return "{\"eventType\": \"" + type + "\", \"eventTime\": \"" + time + "\", \"producer\": \"test\","
                + " \"run\": {\"runId\": \"" + runId + "\"}, \"job\": {\"namespace\": \"" + namespace
                + "\", \"name\": \"" + job + "\"}, \"inputs\": " + inputs + ", \"outputs\": " + outputs + "}";
    }

    // The field the first of a problem's errors names.
    private static String field(java.net.http.HttpResponse<String> problem) {
        return Json.MAPPER
                .readTree(problem.body())
                .path("errors")
                .path(0)
                .path("field")
                .asString();
    }

    private OpenLineage.SchemaDatasetFacet schema(String n1, String t1, String n2, String t2) {
        return ol.newSchemaDatasetFacetBuilder()
                .fields(List.of(
                        ol.newSchemaDatasetFacetFieldsBuilder()
                                .name(n1)
                                .type(t1)
                                .build(),
                        ol.newSchemaDatasetFacetFieldsBuilder()
                                .name(n2)
                                .type(t2)
                                .build()))
                .build();
    }

    static long count(String sql, Object param) throws Exception {
        try (Connection c = TestDatabase.get().connect();
                PreparedStatement ps = c.prepareStatement(sql)) {
            if (param != null) {
                ps.setObject(1, param);
            }
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    private static List<String> rawEventType(UUID runId) throws Exception {
        try (Connection c = TestDatabase.get().connect();
                PreparedStatement ps = c.prepareStatement(
                        "SELECT payload->>'eventType' FROM lineage.openlineage_events WHERE run_id = ? ORDER BY id")) {
            ps.setObject(1, runId);
            try (ResultSet rs = ps.executeQuery()) {
                List<String> types = new java.util.ArrayList<>();
                while (rs.next()) {
                    types.add(rs.getString(1));
                }
                return types;
            }
        }
    }
}
