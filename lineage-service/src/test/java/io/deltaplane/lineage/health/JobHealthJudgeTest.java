package io.deltaplane.lineage.health;

import static org.assertj.core.api.Assertions.assertThat;

import io.deltaplane.lineage.health.JobHealth.LastRun;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The judgement alone, on runs the test makes (no database, no clock). */
class JobHealthJudgeTest {

    private static final Instant T0 = Instant.parse("2026-03-02T00:00:00Z");

    @Test
    void aStreamsRunLastsUntilTheNextAndIsNeverRunningLongButABatchJobsIs() {
        // a consumer restarted every 2 hours: each run lasts until the next starts
        List<LastRun> stream = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            Instant start = T0.plus(Duration.ofHours(2L * i));
            stream.add(0, new LastRun(UUID.randomUUID(), "COMPLETED", start, start.plus(Duration.ofHours(2))));
        }
        Instant current = T0.plus(Duration.ofHours(12));
        stream.add(0, new LastRun(UUID.randomUUID(), "RUNNING", current, null));
        JobHealth streaming = JobHealthJudge.judge("ingest:orders", stream, current.plus(Duration.ofDays(3)));
        assertThat(streaming.status()).as("three days into a stream's run").isEqualTo("HEALTHY");
        assertThat(streaming.usualDurationSeconds()).isEqualTo(7_200);

        // the same starts, but each run ends after 10 minutes: a batch job
        List<LastRun> batch = new ArrayList<>();
        for (LastRun r : stream.subList(1, stream.size())) {
            batch.add(new LastRun(
                    r.runId(), "COMPLETED", r.startedAt(), r.startedAt().plus(Duration.ofMinutes(10))));
        }
        batch.add(0, stream.get(0));
        assertThat(JobHealthJudge.judge("hourly", batch, current.plus(Duration.ofMinutes(21)))
                        .status())
                .isEqualTo("RUNNING_LONG");
        assertThat(JobHealthJudge.judge("hourly", List.of(), current).status()).isEqualTo("UNKNOWN");
    }
}
