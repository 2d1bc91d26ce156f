package io.deltaplane.lineage;

import static org.assertj.core.api.Assertions.assertThat;

import io.deltaplane.lineage.run.RunService;
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
 * Heartbeats on a clock the test moves (its own context: the service's clock is a frozen {@link
 * MovableClock}), with the sweep run when the test says: a run silent past its timeout is ABANDONED
 * at the first sweep after the deadline and not before; one that heartbeats keeps RUNNING; an
 * abandoned run refuses heartbeats and may still report how it ended.
 */
@LineageServiceTest
@Import(RunAbandonmentTest.Frozen.class)
class RunAbandonmentTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    @TestConfiguration
    static class Frozen {
        @Bean
        @Primary
        MovableClock movableClock() {
            return MovableClock.frozenAt(Instant.parse("2026-01-01T00:00:00Z"));
        }
    }

    @LocalServerPort
    int port;

    @Autowired
    MovableClock clock;

    @Autowired
    RunService runs;

    @Test
    void aSilentRunIsAbandonedAtTheFirstSweepPastItsDeadlineAndAHeartbeatingOneKeepsRunning() {
        TestHttp http = TestHttp.local(port, LineageServiceTest.ADMIN_KEY);
        String alive = runId(http.post("/api/v1/jobs/hb_job/runs", "{\"heartbeat_timeout_seconds\": 1}"));
        String silent = runId(http.post("/api/v1/jobs/hb_job/runs", "{\"heartbeat_timeout_seconds\": 1}"));

        // 0.4 s a round: the silent run's deadline (1 s) passes in the third
        for (int round = 1; round <= 6; round++) {
            clock.advance(Duration.ofMillis(400));
            assertThat(http.post("/api/v1/jobs/hb_job/runs/" + alive + "/heartbeat", null)
                            .statusCode())
                    .isEqualTo(204);
            runs.abandonSilentRuns();
            String state = state(http, silent);
            assertThat(state)
                    .as("the silent run after %d ms", round * 400)
                    .isEqualTo(round * 400 > 1_000 ? "ABANDONED" : "RUNNING");
        }
        assertThat(state(http, alive)).isEqualTo("RUNNING");
        JsonNode abandoned = JSON.readTree(http.get("/api/v1/runs/" + silent).body());
        assertThat(Instant.parse(abandoned.get("ended_at").asString()))
                .as("ended at the sweep that found it silent")
                .isEqualTo(Instant.parse("2026-01-01T00:00:01.200Z"));
        assertThat(http.post("/api/v1/jobs/hb_job/runs/" + silent + "/heartbeat", null)
                        .statusCode())
                .isEqualTo(409);
        // A run that was only late may still report how it really ended.
        HttpResponse<String> late =
                http.put("/api/v1/jobs/hb_job/runs/" + silent + "/complete", "{\"success\": false}");
        assertThat(late.statusCode()).as(late.body()).isEqualTo(200);
        assertThat(JSON.readTree(late.body()).get("state").asString()).isEqualTo("FAILED");
    }

    private static String runId(HttpResponse<String> started) {
        assertThat(started.statusCode()).as(started.body()).isEqualTo(201);
        return JSON.readTree(started.body()).get("run_id").asString();
    }

    private static String state(TestHttp http, String runId) {
        return JSON.readTree(http.get("/api/v1/runs/" + runId).body())
                .get("state")
                .asString();
    }
}
