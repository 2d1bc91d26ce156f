package io.deltaplane.lineage;

import static io.deltaplane.lineage.Json.body;
import static io.deltaplane.lineage.Json.problem;
import static org.assertj.core.api.Assertions.assertThat;

import io.deltaplane.support.security.ApiKeyStore;
import io.deltaplane.support.security.Scope;
import io.deltaplane.testing.TestHttp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;

/** {@code GET /api/v1/runs}: recent runs across jobs, filtered by state and job, paged, on real Postgres. */
@LineageServiceTest
class RecentRunsTest {

    @LocalServerPort
    int port;

    @Autowired
    ApiKeyStore keys;

    private TestHttp http;
    private String p;

    @BeforeEach
    void setUp() {
        http = TestHttp.local(port, LineageServiceTest.ADMIN_KEY);
        p = "rr_" + UUID.randomUUID().toString().substring(0, 8);
    }

    @Test
    void runsOfEveryJobComeNewestFirstWithTheirInputsOutputsAndDuration() throws Exception {
        String extract = p + "_extract", load = p + "_load", raw = p + "_raw", clean = p + "_clean";
        body(
                http.post(
                        "/api/v1/tables/" + raw + "/snapshots", "{\"uri\": \"file:/lake/raw\", \"format\": \"delta\"}"),
                201);
        String first = run(extract, null, raw, true);
        String second = run(load, raw, clean, false);
        String third = start(load);

        // a read key sees them all
        TestHttp reader =
                TestHttp.local(port, keys.create(p + "-read", Scope.READ).key());
        List<JsonNode> mine = mine(body(reader.get("/api/v1/runs?max_results=1000"), 200));
        assertThat(mine).extracting(r -> r.get("run_id").asString()).containsExactly(third, second, first);

        JsonNode running = mine.get(0);
        assertThat(running.get("state").asString()).isEqualTo("RUNNING");
        assertThat(running.get("duration_ms").isNull()).isTrue();
        JsonNode failed = mine.get(1);
        assertThat(failed.get("job_name").asString()).isEqualTo(load);
        assertThat(failed.get("state").asString()).isEqualTo("FAILED");
        assertThat(names(failed.get("inputs"))).containsExactly(raw);
        assertThat(names(failed.get("outputs"))).containsExactly(clean);
        long duration = failed.get("duration_ms").asLong();
        assertThat(duration)
                .isEqualTo(Instant.parse(failed.get("ended_at").asString()).toEpochMilli()
                        - Instant.parse(failed.get("started_at").asString()).toEpochMilli())
                .isGreaterThanOrEqualTo(0);
        assertThat(names(mine.get(2).get("inputs"))).isEmpty();
        assertThat(names(mine.get(2).get("outputs"))).containsExactly(raw);

        // filters
        assertThat(ids(body(http.get("/api/v1/runs?job=" + load), 200))).containsExactly(third, second);
        assertThat(ids(body(http.get("/api/v1/runs?job=" + load + "&state=failed"), 200)))
                .containsExactly(second);
        assertThat(mine(body(http.get("/api/v1/runs?state=COMPLETED&max_results=1000"), 200)))
                .extracting(r -> r.get("run_id").asString())
                .containsExactly(first);
        assertThat(body(http.get("/api/v1/runs?job=" + p + "_nobody"), 200).get("runs"))
                .isEmpty();
    }

    @Test
    void pagesFollowEachOtherWithoutGapsOrRepeats() throws Exception {
        String job = p + "_paged";
        List<String> started = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            started.add(0, start(job));
        }
        List<String> seen = new ArrayList<>();
        String token = null;
        int pages = 0;
        do {
            JsonNode page = body(
                    http.get("/api/v1/runs?job=" + job + "&max_results=2"
                            + (token == null ? "" : "&page_token=" + token)),
                    200);
            seen.addAll(ids(page));
            token = page.has("next_page_token") ? page.get("next_page_token").asString() : null;
            pages++;
        } while (token != null);
        assertThat(seen).containsExactlyElementsOf(started);
        assertThat(pages).isEqualTo(3);
    }

    @Test
    void badFiltersAreProblems() throws Exception {
        problem(http.get("/api/v1/runs?state=SLEEPING"), 400, "BAD_REQUEST");
        problem(http.get("/api/v1/runs?max_results=0"), 400, "BAD_REQUEST");
        problem(http.get("/api/v1/runs?max_results=100000"), 400, "BAD_REQUEST");
        problem(http.get("/api/v1/runs?page_token=not-a-token"), 400, "INVALID_PAGE_TOKEN");
        problem(http.get("/api/v1/runs?job=" + "bad%20name%0A"), 400, "INVALID_NAME");
    }

    private String start(String job) throws Exception {
        return body(http.post("/api/v1/jobs/" + job + "/runs", "{}"), 201)
                .get("run_id")
                .asString();
    }

    /** A finished run of {@code job} that read {@code in} (if any) and wrote {@code out}. */
    private String run(String job, String in, String out, boolean success) throws Exception {
        String runId = start(job);
        if (in != null) {
            body(http.get("/api/v1/tables/" + in + "/snapshots/latest?run_id=" + runId), 200);
        }
        body(http.post("/api/v1/jobs/register-snapshot", """
                {"table_name": "%s", "uri": "file:/lake/%s/%s", "format": "parquet", "job_name": "%s", "run_id": "%s"}""".formatted(out, out, runId, job, runId)), 201);
        body(http.put("/api/v1/jobs/" + job + "/runs/" + runId + "/complete", "{\"success\": " + success + "}"), 200);
        return runId;
    }

    private List<JsonNode> mine(JsonNode page) {
        List<JsonNode> out = new ArrayList<>();
        page.get("runs").forEach(r -> {
            if (r.get("job_name").asString().startsWith(p)) {
                out.add(r);
            }
        });
        return out;
    }

    private static List<String> ids(JsonNode page) {
        List<String> out = new ArrayList<>();
        page.get("runs").forEach(r -> out.add(r.get("run_id").asString()));
        return out;
    }

    private static List<String> names(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asString()));
        return out;
    }
}
