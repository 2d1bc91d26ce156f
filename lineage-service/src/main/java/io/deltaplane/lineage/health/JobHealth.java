package io.deltaplane.lineage.health;

import io.swagger.v3.oas.annotations.media.Schema;
import java.time.Instant;
import java.util.UUID;

/** {@code GET /api/v1/jobs/{jobName}/health}: whether a job's runs are what its history says they should be. */
public record JobHealth(
        String jobName,

        @Schema(
                description = "HEALTHY; FAILING (its last run failed or was abandoned); RUNNING_LONG (its run"
                        + " has run much longer than its runs usually take); OVERDUE (no run started when its"
                        + " history says one should have); STALLED (its running run reports it has consumed"
                        + " nothing for a while with input waiting: an ingest mapping's consumer, say); LAGGING"
                        + " (its running run reports it consumes, minutes behind its input); UNKNOWN (no runs)",
                allowableValues = {"HEALTHY", "FAILING", "RUNNING_LONG", "OVERDUE", "STALLED", "LAGGING", "UNKNOWN"})
        String status,

        @Schema(description = "why, for a person; null when HEALTHY or UNKNOWN")
        String reason,

        Instant evaluatedAt,

        @Schema(description = "the newest run; null when the job has none")
        LastRun lastRun,

        @Schema(description = "consecutive failed or abandoned runs, newest first")
        int consecutiveFailures,

        @Schema(description = "the median duration of its recent completed runs; null below 3 of them")
        Long usualDurationSeconds,

        @Schema(description = "the median interval between its recent runs' starts; null below 5 runs")
        Long usualIntervalSeconds,

        @Schema(description = "when the next run should have started by; null without a usual interval")
        Instant nextStartDueBy,

        @Schema(description = "runs read (the newest " + JobHealthJudge.RUNS_READ + " at most)")
        int runsRead) {

    /** A run as the judgement reads it. */
    @Schema(name = "JobHealthRun")
    public record LastRun(UUID runId, String state, Instant startedAt, Instant endedAt) {}

    /**
     * What a running run last reported of its progress, in its {@value #PROGRESS_FACET} run facet
     * (an OpenLineage RUNNING event): its standing (STALLED, LAGGING or CONSUMING, as the run judged
     * it), and how far behind its input it is.
     */
    record Progress(String standing, Double lagSeconds, Instant reportedAt) {}

    /** The run facet a streaming run reports its progress in (the ingest worker's consumers do). */
    static final String PROGRESS_FACET = "deltaplane_ingest_progress";
}
