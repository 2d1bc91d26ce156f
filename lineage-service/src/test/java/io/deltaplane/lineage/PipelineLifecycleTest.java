package io.deltaplane.lineage;

import static io.deltaplane.lineage.Json.body;
import static io.deltaplane.lineage.Json.problem;
import static org.assertj.core.api.Assertions.assertThat;

import io.deltaplane.testing.TestHttp;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;

/**
 * The lifecycle a pipeline follows, over HTTP against the running service and real Postgres: start a
 * run, read the latest snapshot of its input (input edge), register what it wrote (output edge), log
 * events, upload its log and complete linking it; then the run, the job and the graph show it all.
 */
@LineageServiceTest
class PipelineLifecycleTest {

    @LocalServerPort
    int port;

    private TestHttp http;

    @BeforeEach
    void setUp() {
        http = TestHttp.local(port, LineageServiceTest.ADMIN_KEY);
    }

    @Test
    void aPipelineRunLeavesItsInputsOutputsEventsArtifactAndGraph() throws Exception {
        // An upstream Delta table, as metadata-service's outbox delivers its commits.
        String commit = """
                {"uri": "file:/warehouse/raw/sales/orders", "format": "delta", "version": 3,
                 "created_at": "2026-01-02T03:04:05Z", "schema": {"type": "struct", "fields": []}}""";
        JsonNode upstream = body(http.post("/api/v1/tables/raw.sales.orders/snapshots", commit), 201);
        assertThat(upstream.get("version").asLong()).isEqualTo(3);

        JsonNode started = body(
                http.post(
                        "/api/v1/jobs/daily_revenue/runs",
                        "{\"metadata\": {\"owner\": \"finance\"}, \"nominal_time\": \"2026-01-02T00:00:00Z\"}"),
                201);
        String runId = started.get("run_id").asString();
        assertThat(started.get("job_name").asString()).isEqualTo("daily_revenue");
        assertThat(started.get("state").asString()).isEqualTo("RUNNING");
        assertThat(started.has("started_at")).isTrue();

        JsonNode latest = body(http.get("/api/v1/tables/raw.sales.orders/snapshots/latest?run_id=" + runId), 200);
        assertThat(latest.get("table_name").asString()).isEqualTo("raw.sales.orders");
        assertThat(latest.get("uri").asString()).isEqualTo("file:/warehouse/raw/sales/orders");
        assertThat(latest.get("format").asString()).isEqualTo("delta");
        assertThat(latest.get("version").asLong()).isEqualTo(3);
        assertThat(latest.get("schema").get("type").asString()).isEqualTo("struct");
        assertThat(latest.get("created_at").asString()).isEqualTo("2026-01-02T03:04:05Z");

        JsonNode written = body(http.post("/api/v1/jobs/register-snapshot", """
                        {"table_name": "mart.finance.daily_revenue", "uri": "file:/warehouse/mart/daily_revenue",
                         "format": "parquet", "schema": {"columns": ["day", "revenue"]},
                         "job_name": "daily_revenue", "run_id": "%s"}""".formatted(runId)), 201);
        assertThat(written.get("run_id").asString()).isEqualTo(runId);
        assertThat(written.get("table_name").asString()).isEqualTo("mart.finance.daily_revenue");

        JsonNode event = body(http.post("/api/v1/events/broadcast", """
                        {"event_type": "metric", "data": {"rows_written": 42},
                         "job_name": "daily_revenue", "run_id": "%s"}""".formatted(runId)), 201);
        assertThat(event.get("event_id").asString()).isNotBlank();

        byte[] log = "line 1: read 1000 orders\nline 2: wrote 42 rows\n".getBytes(StandardCharsets.UTF_8);
        HttpResponse<String> uploaded = raw("PUT", "/api/v1/datasets/logs/daily_revenue/" + runId + "/run.log", log);
        JsonNode artifact = body(uploaded, 201);
        String logUri = artifact.get("uri").asString();
        assertThat(artifact.get("size").asLong()).isEqualTo(log.length);
        assertThat(artifact.get("sha256").asString()).isEqualTo(sha256(log));
        assertThat(download(logUri)).isEqualTo(log);

        String completion = """
                {"success": true, "extra": {"rows_written": 42},
                 "artifacts": [{"type": "log", "uri": "%s"}]}""".formatted(logUri);
        JsonNode completed = body(http.put("/api/v1/jobs/daily_revenue/runs/" + runId + "/complete", completion), 200);
        assertThat(completed.get("run_id").asString()).isEqualTo(runId);
        assertThat(completed.get("state").asString()).isEqualTo("COMPLETED");
        // The same completion again is a no-op answering as the first time; another outcome is a 409.
        JsonNode again = body(http.put("/api/v1/jobs/daily_revenue/runs/" + runId + "/complete", completion), 200);
        assertThat(again.get("ended_at")).isEqualTo(completed.get("ended_at"));
        problem(
                http.put("/api/v1/jobs/daily_revenue/runs/" + runId + "/complete", "{\"success\": false}"),
                409,
                "RUN_ALREADY_COMPLETED");

        JsonNode run = body(http.get("/api/v1/runs/" + runId), 200);
        assertThat(run.get("state").asString()).isEqualTo("COMPLETED");
        assertThat(run.get("success").asBoolean()).isTrue();
        assertThat(run.get("metadata").get("owner").asString()).isEqualTo("finance");
        assertThat(run.get("extra").get("rows_written").asInt()).isEqualTo(42);
        assertThat(run.get("nominal_time").asString()).isEqualTo("2026-01-02T00:00:00Z");
        assertThat(run.get("ended_at").asString())
                .isEqualTo(completed.get("ended_at").asString());
        assertThat(run.get("inputs")).hasSize(1);
        assertThat(run.get("inputs").get(0).get("table_name").asString()).isEqualTo("raw.sales.orders");
        assertThat(run.get("inputs").get(0).get("version").asLong()).isEqualTo(3);
        assertThat(run.get("outputs")).hasSize(1);
        assertThat(run.get("outputs").get(0).get("table_name").asString()).isEqualTo("mart.finance.daily_revenue");
        assertThat(run.get("outputs").get(0).get("format").asString()).isEqualTo("parquet");
        assertThat(run.get("events")).hasSize(1);
        assertThat(run.get("events").get(0).get("event_type").asString()).isEqualTo("metric");
        assertThat(run.get("events").get(0).get("data").get("rows_written").asInt())
                .isEqualTo(42);
        assertThat(run.get("artifacts")).hasSize(1);
        JsonNode linked = run.get("artifacts").get(0);
        assertThat(linked.get("type").asString()).isEqualTo("log");
        assertThat(linked.get("uri").asString()).isEqualTo(logUri);
        assertThat(linked.get("sha256").asString()).isEqualTo(sha256(log));

        JsonNode job = body(http.get("/api/v1/jobs/daily_revenue"), 200);
        assertThat(job.get("job_name").asString()).isEqualTo("daily_revenue");
        JsonNode runs = body(http.get("/api/v1/jobs/daily_revenue/runs"), 200);
        assertThat(runs.get("runs")).hasSize(1);
        assertThat(runs.get("runs").get(0).get("run_id").asString()).isEqualTo(runId);

        // The graph: raw.sales.orders -> daily_revenue -> mart.finance.daily_revenue.
        JsonNode graph = body(http.get("/api/v1/lineage?node=job:daily_revenue&depth=2&direction=both"), 200);
        assertThat(ids(graph.get("nodes")))
                .containsExactlyInAnyOrder(
                        "job:daily_revenue", "table:raw.sales.orders", "table:mart.finance.daily_revenue");
        assertThat(edges(graph))
                .containsExactlyInAnyOrder(
                        "table:raw.sales.orders->job:daily_revenue:read",
                        "job:daily_revenue->table:mart.finance.daily_revenue:write");
        // Every edge says which run made it, which table version and when.
        for (JsonNode edge : graph.get("edges")) {
            assertThat(edge.get("provenance")).as("provenance of %s", edge).hasSize(1);
            JsonNode made = edge.get("provenance").get(0);
            assertThat(made.get("run_id").asString()).isEqualTo(runId);
            assertThat(Instant.parse(made.get("at").asString())).isNotNull();
            if ("read".equals(edge.get("type").asString())) {
                assertThat(made.get("table_version").asLong()).isEqualTo(3);
                assertThat(made.get("at").asString())
                        .isEqualTo(run.get("inputs").get(0).get("read_at").asString());
            } else {
                assertThat(made.get("table_version").isNull()).isTrue();
                assertThat(made.get("at").asString())
                        .isEqualTo(written.get("created_at").asString());
            }
        }
        JsonNode downstream =
                body(http.get("/api/v1/lineage?node=table:raw.sales.orders&depth=2&direction=downstream"), 200);
        assertThat(ids(downstream.get("nodes")))
                .containsExactlyInAnyOrder(
                        "table:raw.sales.orders", "job:daily_revenue", "table:mart.finance.daily_revenue");
        JsonNode oneStepUp =
                body(http.get("/api/v1/lineage?node=table:mart.finance.daily_revenue&depth=1&direction=upstream"), 200);
        assertThat(ids(oneStepUp.get("nodes")))
                .containsExactlyInAnyOrder("table:mart.finance.daily_revenue", "job:daily_revenue");

        // History of the output table shows the registered snapshot.
        JsonNode history = body(http.get("/api/v1/tables/mart.finance.daily_revenue/snapshots"), 200);
        assertThat(history.get("snapshots")).hasSize(1);
    }

    @Test
    void aTableVersionsProducerAndReadersAreOneCall() {
        String p = "v" + UUID.randomUUID().toString().substring(0, 8);
        String raw = p + ".raw.orders";
        String curated = p + ".curated.orders";
        body(
                http.post(
                        "/api/v1/tables/" + raw + "/snapshots",
                        "{\"uri\": \"file:/w/raw\", \"format\": \"delta\", \"version\": 3}"),
                201);
        String runId = body(http.post("/api/v1/jobs/" + p + "_curate/runs", "{}"), 201)
                .get("run_id")
                .asString();
        JsonNode read = body(http.get("/api/v1/tables/" + raw + "/snapshots/latest?run_id=" + runId), 200);
        JsonNode wrote = body(http.post("/api/v1/jobs/register-snapshot", """
                        {"table_name": "%s", "uri": "file:/w/curated", "format": "delta", "version": 5,
                         "job_name": "%s_curate", "run_id": "%s"}""".formatted(curated, p, runId)), 201);

        JsonNode produced = body(http.get("/api/v1/lineage/tables/" + curated + "/versions/5"), 200);
        assertThat(produced.get("table_name").asString()).isEqualTo(curated);
        assertThat(produced.get("version").asLong()).isEqualTo(5);
        assertThat(produced.get("produced_by").get("run_id").asString()).isEqualTo(runId);
        assertThat(produced.get("produced_by").get("job_name").asString()).isEqualTo(p + "_curate");
        assertThat(produced.get("produced_by").get("at").asString())
                .isEqualTo(wrote.get("created_at").asString());
        assertThat(produced.get("read_by")).isEmpty();

        JsonNode input = body(http.get("/api/v1/lineage/tables/" + raw + "/versions/3"), 200);
        assertThat(input.path("produced_by").isNull()
                        || input.path("produced_by").isMissingNode())
                .as("recorded outside a run: no producer")
                .isTrue();
        assertThat(input.get("read_by")).hasSize(1);
        assertThat(input.get("read_by").get(0).get("run_id").asString()).isEqualTo(runId);
        assertThat(input.get("read_by").get(0).get("job_name").asString()).isEqualTo(p + "_curate");
        assertThat(input.get("uri").asString()).isEqualTo(read.get("uri").asString());

        problem(http.get("/api/v1/lineage/tables/" + raw + "/versions/4"), 404, "VERSION_NOT_FOUND");
        problem(http.get("/api/v1/lineage/tables/" + p + ".nothing/versions/0"), 404, "TABLE_NOT_FOUND");
    }

    @Test
    void commitSnapshotsAreIdempotentOnTableAndVersion() {
        String body = "{\"uri\": \"file:/w/t\", \"format\": \"delta\", \"version\": 7,"
                + " \"created_at\": \"2026-01-01T00:00:00Z\"}";
        JsonNode first = body(http.post("/api/v1/tables/c.s.idempotent/snapshots", body), 201);
        JsonNode repeat = body(http.post("/api/v1/tables/c.s.idempotent/snapshots", body), 200);
        assertThat(repeat.get("snapshot_id")).isEqualTo(first.get("snapshot_id"));
        body(http.post("/api/v1/tables/c.s.idempotent/snapshots", body.replace("7", "8")), 201);
        JsonNode history = body(http.get("/api/v1/tables/c.s.idempotent/snapshots?max_results=1"), 200);
        assertThat(history.get("snapshots")).hasSize(1);
        assertThat(history.get("snapshots").get(0).get("version").asLong()).isEqualTo(8);
        JsonNode older = body(
                http.get("/api/v1/tables/c.s.idempotent/snapshots?max_results=1&page_token="
                        + history.get("next_page_token").asString()),
                200);
        assertThat(older.get("snapshots").get(0).get("version").asLong()).isEqualTo(7);
        assertThat(older.has("next_page_token")).isFalse();
    }

    @Test
    void idempotencyKeyReturnsTheFirstResponseAndRejectsAnotherBody() {
        String body = "{\"metadata\": {\"attempt\": 1}}";
        JsonNode first = body(http.post("/api/v1/jobs/idem_job/runs", body, "Idempotency-Key", "start-42"), 201);
        JsonNode repeat = body(http.post("/api/v1/jobs/idem_job/runs", body, "Idempotency-Key", "start-42"), 201);
        assertThat(repeat).isEqualTo(first);
        problem(
                http.post(
                        "/api/v1/jobs/idem_job/runs",
                        "{\"metadata\": {\"attempt\": 2}}",
                        "Idempotency-Key",
                        "start-42"),
                409,
                "IDEMPOTENCY_KEY_REUSED");
        assertThat(body(http.get("/api/v1/jobs/idem_job/runs"), 200).get("runs"))
                .hasSize(1);

        String runId = first.get("run_id").asString();
        String event = "{\"event_type\": \"progress\", \"data\": {\"pct\": 50}, \"run_id\": \"" + runId + "\"}";
        JsonNode e1 = body(http.post("/api/v1/events/broadcast", event, "Idempotency-Key", "ev-1"), 201);
        JsonNode e2 = body(http.post("/api/v1/events/broadcast", event, "Idempotency-Key", "ev-1"), 201);
        assertThat(e2.get("event_id")).isEqualTo(e1.get("event_id"));
        assertThat(body(http.get("/api/v1/runs/" + runId), 200).get("events")).hasSize(1);
    }

    private HttpResponse<String> raw(String method, String path, byte[] body) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
                .header("Authorization", "Bearer " + LineageServiceTest.ADMIN_KEY)
                .header("Content-Type", "text/plain")
                .method(method, HttpRequest.BodyPublishers.ofByteArray(body))
                .build();
        return HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString());
    }

    private byte[] download(String uri) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://localhost:" + port + uri))
                .header("Authorization", "Bearer " + LineageServiceTest.ADMIN_KEY)
                .build();
        HttpResponse<byte[]> response =
                HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofByteArray());
        assertThat(response.statusCode()).isEqualTo(200);
        return response.body();
    }

    static String sha256(byte[] bytes) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    }

    private static List<String> ids(JsonNode nodes) {
        List<String> ids = new ArrayList<>();
        nodes.forEach(n -> ids.add(n.get("id").asString()));
        return ids;
    }

    private static List<String> edges(JsonNode graph) {
        List<String> edges = new ArrayList<>();
        graph.get("edges")
                .forEach(e -> edges.add(e.get("from").asString() + "->"
                        + e.get("to").asString() + ":" + e.get("type").asString()));
        return edges;
    }
}
