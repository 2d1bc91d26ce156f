package io.deltaplane.lineage.health;

import static org.assertj.core.api.Assertions.assertThat;

import io.deltaplane.lineage.LineageServiceTest;
import io.deltaplane.testing.MovableClock;
import io.deltaplane.testing.TestHttp;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.context.annotation.Primary;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A job's health from its runs, made through the API on a clock the test moves (its own context):
 * an hourly job whose runs take ten minutes is HEALTHY; its next run is RUNNING_LONG past twenty
 * minutes and not before; failing it makes the job FAILING; a good run after that heals it, and no
 * run for an hour and a half after it makes it OVERDUE.
 */
@LineageServiceTest
@Import(JobHealthTest.Frozen.class)
class JobHealthTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    @TestConfiguration
    static class Frozen {
        @Bean
        @Primary
        MovableClock movableClock() {
            return MovableClock.frozenAt(Instant.parse("2026-02-02T00:00:00Z"));
        }
    }

    @LocalServerPort
    int port;

    @Autowired
    MovableClock clock;

    @Test
    void anHourlyJobFallsBehindRunsLongFailsAndIsOverdueAsItsHistorySays() {
        TestHttp http = TestHttp.local(port, LineageServiceTest.ADMIN_KEY);
        String job = "hourly_rollup";
        for (int i = 0; i < 6; i++) {
            String run = start(http, job);
            clock.advance(Duration.ofMinutes(10));
            complete(http, job, run, true);
            clock.advance(Duration.ofMinutes(50));
        }
        JsonNode healthy = health(http, job);
        assertThat(healthy.get("status").asString()).isEqualTo("HEALTHY");
        assertThat(healthy.get("usual_duration_seconds").asLong()).isEqualTo(600);
        assertThat(healthy.get("usual_interval_seconds").asLong()).isEqualTo(3_600);
        assertThat(healthy.get("runs_read").asInt()).isEqualTo(6);

        String slow = start(http, job);
        clock.advance(Duration.ofMinutes(20));
        assertThat(health(http, job).get("status").asString())
                .as("20 minutes: twice the usual, not more")
                .isEqualTo("HEALTHY");
        clock.advance(Duration.ofMinutes(1));
        JsonNode running = health(http, job);
        assertThat(running.get("status").asString()).isEqualTo("RUNNING_LONG");
        assertThat(running.get("reason").asString()).contains(slow).contains("10m");

        complete(http, job, slow, false);
        JsonNode failing = health(http, job);
        assertThat(failing.get("status").asString()).isEqualTo("FAILING");
        assertThat(failing.get("consecutive_failures").asInt()).isEqualTo(1);
        assertThat(failing.get("last_run").get("state").asString()).isEqualTo("FAILED");

        clock.advance(Duration.ofMinutes(39));
        String good = start(http, job);
        clock.advance(Duration.ofMinutes(10));
        complete(http, job, good, true);
        assertThat(health(http, job).get("status").asString()).isEqualTo("HEALTHY");
        // the next start was due by 1 h 30 min after this run's: not a minute later
        clock.advance(Duration.ofMinutes(80));
        assertThat(health(http, job).get("status").asString()).isEqualTo("HEALTHY");
        clock.advance(Duration.ofMinutes(1));
        JsonNode overdue = health(http, job);
        assertThat(overdue.get("status").asString()).isEqualTo("OVERDUE");
        assertThat(Instant.parse(overdue.get("next_start_due_by").asString()))
                .isEqualTo(clock.instant().minus(Duration.ofMinutes(1)));

        assertThat(http.get("/api/v1/jobs/no_such_job/health").statusCode()).isEqualTo(404);
        start(http, "brand_new");
        JsonNode none = health(http, "brand_new");
        assertThat(none.get("status").asString())
                .as("one run, running: nothing to compare")
                .isEqualTo("HEALTHY");
    }

    @Test
    void aStreamingRunThatReportsItselfStalledOrLaggingMakesItsJobSoUntilItReportsConsuming() {
        TestHttp http = TestHttp.local(port, LineageServiceTest.ADMIN_KEY);
        // as the ingest worker names a mapping's job, and starts its consumer's run: OpenLineage START
        String job = "ingest:orders_stream";
        String run = java.util.UUID.randomUUID().toString();
        event(http, "START", job, run, "{}");
        clock.advance(Duration.ofHours(3));
        assertThat(health(http, job).get("status").asString())
                .as("a lone run running for hours: nothing to compare, nothing reported")
                .isEqualTo("HEALTHY");

        progress(http, job, run, "STALLED", true, 420.0);
        JsonNode stalled = health(http, job);
        assertThat(stalled.get("status").asString()).isEqualTo("STALLED");
        assertThat(stalled.get("reason").asString()).contains(run).contains("7m behind");

        clock.advance(Duration.ofMinutes(1));
        progress(http, job, run, "LAGGING", false, 900.0);
        JsonNode lagging = health(http, job);
        assertThat(lagging.get("status").asString()).isEqualTo("LAGGING");
        assertThat(lagging.get("reason").asString()).contains(run).contains("15m behind");

        clock.advance(Duration.ofMinutes(1));
        progress(http, job, run, "CONSUMING", false, 0.0);
        assertThat(health(http, job).get("status").asString())
                .as("its newest report says it consumes, caught up")
                .isEqualTo("HEALTHY");
    }

    /** An OpenLineage RUNNING event of {@code run} with its progress facet, as the ingest worker sends it. */
    private void progress(TestHttp http, String job, String run, String standing, boolean stalled, double lagSeconds) {
        event(
                http,
                "RUNNING",
                job,
                run,
                "{\"%s\": {\"standing\": \"%s\", \"stalled\": %s, \"lagSeconds\": %s,"
                                .formatted(JobHealth.PROGRESS_FACET, standing, stalled, lagSeconds)
                        + " \"_producer\": \"https://example.com/ingest\","
                        + " \"_schemaURL\": \"https://example.com/progress.json\"}}");
    }

    private void event(TestHttp http, String type, String job, String run, String runFacets) {
        String event = "{\"eventType\": \"%s\", \"eventTime\": \"%s\", \"producer\": \"https://example.com/ingest\","
                        .formatted(type, clock.instant())
                + " \"schemaURL\": \"https://openlineage.io/spec/2-0-2/OpenLineage.json#/$defs/RunEvent\","
                + " \"run\": {\"runId\": \"%s\", \"facets\": %s}, \"job\": {\"namespace\": \"deltaplane\", \"name\": \"%s\"}}"
                        .formatted(run, runFacets, job);
        HttpResponse<String> r = http.post("/api/v1/lineage", event);
        assertThat(r.statusCode()).as(r.body()).isBetween(200, 201);
    }

    private static JsonNode health(TestHttp http, String job) {
        HttpResponse<String> r = http.get("/api/v1/jobs/" + job + "/health");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return JSON.readTree(r.body());
    }

    private static String start(TestHttp http, String job) {
        HttpResponse<String> r = http.post("/api/v1/jobs/" + job + "/runs", "{\"heartbeat_timeout_seconds\": 86400}");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
        return JSON.readTree(r.body()).get("run_id").asString();
    }

    private static void complete(TestHttp http, String job, String run, boolean success) {
        HttpResponse<String> r =
                http.put("/api/v1/jobs/" + job + "/runs/" + run + "/complete", "{\"success\": " + success + "}");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    }
}
