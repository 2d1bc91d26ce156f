package io.deltaplane.lineage;

import static io.deltaplane.lineage.Json.body;
import static io.deltaplane.lineage.Json.problem;
import static org.assertj.core.api.Assertions.assertThat;

import io.deltaplane.testing.TestHttp;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;

/** {@code GET /api/v1/lineage?as_of=…}: the graph as it stood then, across a job rewired over time. */
@LineageServiceTest
class PointInTimeLineageTest {

    @LocalServerPort
    int port;

    private TestHttp http;

    @BeforeEach
    void setUp() {
        http = TestHttp.local(port, LineageServiceTest.ADMIN_KEY);
    }

    @Test
    void aJobRewiredFromOneSourceToAnotherShowsEachWiringAtItsTime() throws Exception {
        String p = "pit_" + UUID.randomUUID().toString().substring(0, 8);
        String a = p + "_source_a", b = p + "_source_b", out = p + "_out", job = p + "_load";
        snapshot(a);
        snapshot(b);

        Instant firstWiring = run(job, a, out);
        Instant secondWiring = run(job, b, out);
        assertThat(secondWiring).isAfter(firstWiring);

        JsonNode now = graph("job:" + job, null);
        assertThat(edges(now)).contains("table:" + a + "->job:" + job, "table:" + b + "->job:" + job);

        JsonNode then = graph("job:" + job, firstWiring);
        assertThat(then.get("as_of").asString()).isEqualTo(firstWiring.toString());
        assertThat(edges(then))
                .contains("table:" + a + "->job:" + job, "job:" + job + "->table:" + out)
                .doesNotContain("table:" + b + "->job:" + job);
        assertThat(nodes(then)).doesNotContain("table:" + b);
        // provenance at a point in time lists only the runs up to then
        for (JsonNode edge : then.get("edges")) {
            for (JsonNode made : edge.get("provenance")) {
                assertThat(Instant.parse(made.get("at").asString())).isBeforeOrEqualTo(firstWiring);
            }
        }

        JsonNode later = graph("table:" + b, secondWiring);
        assertThat(edges(later)).contains("table:" + b + "->job:" + job);
        problem(
                http.get("/api/v1/lineage?node=table:" + b + "&as_of=" + enc(firstWiring.minusSeconds(3600))),
                404,
                "TABLE_NOT_FOUND");
    }

    @Test
    void aMalformedAsOfIsABadRequest() throws Exception {
        problem(http.get("/api/v1/lineage?node=job:x&as_of=yesterday"), 400, "BAD_REQUEST");
        problem(http.get("/api/v1/lineage?node=job:x&as_of=2026-11-20T06:00:00"), 400, "BAD_REQUEST");
    }

    private void snapshot(String table) throws Exception {
        body(
                http.post(
                        "/api/v1/tables/" + table + "/snapshots",
                        "{\"uri\": \"file:/lake/" + table + "\", \"format\": \"delta\", \"version\": 1}"),
                201);
    }

    /** A run of {@code job} reading {@code in} and writing {@code out}; returns when it wrote (its last step). */
    private Instant run(String job, String in, String out) throws Exception {
        String runId = body(http.post("/api/v1/jobs/" + job + "/runs", "{}"), 201)
                .get("run_id")
                .asString();
        body(http.get("/api/v1/tables/" + in + "/snapshots/latest?run_id=" + runId), 200);
        body(http.post("/api/v1/jobs/register-snapshot", """
                {"table_name": "%s", "uri": "file:/lake/%s/%s", "format": "parquet", "job_name": "%s", "run_id": "%s"}""".formatted(out, out, runId, job, runId)), 201);
        body(http.put("/api/v1/jobs/" + job + "/runs/" + runId + "/complete", "{\"success\": true}"), 200);
        JsonNode graph = graph("job:" + job, null);
        Instant at = null;
        for (JsonNode edge : graph.get("edges")) {
            if (edge.get("to").asString().equals("table:" + out)) {
                for (JsonNode made : edge.get("provenance")) {
                    if (made.get("run_id").asString().equals(runId)) {
                        at = Instant.parse(made.get("at").asString());
                    }
                }
            }
        }
        assertThat(at)
                .as("the write of %s by run %s is in the graph", out, runId)
                .isNotNull();
        return at;
    }

    private JsonNode graph(String node, Instant asOf) throws Exception {
        return body(
                http.get("/api/v1/lineage?node=" + node + "&depth=3" + (asOf == null ? "" : "&as_of=" + enc(asOf))),
                200);
    }

    private static String enc(Instant t) {
        return URLEncoder.encode(t.toString(), StandardCharsets.UTF_8);
    }

    private static List<String> edges(JsonNode graph) {
        List<String> out = new ArrayList<>();
        graph.get("edges")
                .forEach(e ->
                        out.add(e.get("from").asString() + "->" + e.get("to").asString()));
        return out;
    }

    private static List<String> nodes(JsonNode graph) {
        List<String> out = new ArrayList<>();
        graph.get("nodes").forEach(n -> out.add(n.get("id").asString()));
        return out;
    }
}
