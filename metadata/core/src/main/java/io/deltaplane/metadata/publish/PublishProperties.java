package io.deltaplane.metadata.publish;

import io.deltaplane.support.backoff.Backoff;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Publishing committed versions to {@code _delta_log} ({@code deltaplane.publish.*}).
 *
 * @param enabled run the publisher, checkpointer and reconciler in this instance (commits are
 *     queued either way, so another replica or a later start publishes them)
 * @param pollInterval how often an idle publisher looks at the queue (a local commit wakes it at once)
 * @param maxVersionsPerBatch versions one claim writes before committing its progress
 * @param checkpointInterval write a Parquet checkpoint every this many versions (at multiples of it),
 *     in every table whose metaData sets no {@code delta.checkpointInterval} of its own; 10, as
 *     every Delta writer does, so a reader replays at most a few JSON commits
 * @param checkpointMinInterval and no more often than this per table: whichever of the two comes
 *     later, so a busy table does not checkpoint many times a second
 * @param checkpoints write checkpoints at all
 * @param retryInitialBackoff first wait after a failed write; doubles per attempt
 * @param retryMaxBackoff longest wait between attempts
 * @param reconcileInterval how often every table's _delta_log is compared with Postgres
 * @param checkpointLease how long a checkpointer may own a table before another may take over
 * @param workers publisher threads in this instance; each leases a different table. A worker
 *     holds a pooled connection only for its short claim and progress statements, never while it
 *     writes to storage, so the workers are not bounded by the pool: on an object store use about
 *     as many as tables being committed to at once (docs/storage.md)
 * @param lease how long a worker owns a table it claimed (renewed, with its progress, every third
 *     of it while it writes): after a crash or a stall this long, another worker or replica takes
 *     the table over (a double write of the same bytes is harmless)
 * @param tablesPerRound tables one round leases and publishes together: one claim, one read of
 *     their versions and one progress mark for all of them, so under load the bookkeeping is per
 *     round, not per version. The round writes its tables side by side (each table's versions in
 *     order), so on an object store workers × this many puts are in flight at once
 * @param gather the least time between two rounds that commits' wake-ups start in this instance
 *     (over all its workers), so that the versions committed meanwhile are published together;
 *     publishing lags by at most this much more (a full round's successor starts at once)
 * @param answerWait how long a commit that is answered only once published (an engine's staged
 *     commit) waits for its {@code <version>.json} while another worker holds the table; the answer
 *     then goes out and that worker or the next round publishes it
 * @param lagGaugeTables per-table lag gauges only for this many of the most lagging tables (a
 *     bounded number of Prometheus series however many tables there are)
 */
@Validated
@ConfigurationProperties("deltaplane.publish")
public record PublishProperties(
        @DefaultValue("true") boolean enabled,
        @DefaultValue("200ms") @NotNull Duration pollInterval,
        @DefaultValue("500") @Min(1) int maxVersionsPerBatch,
        @DefaultValue("10") @Min(1) int checkpointInterval,
        @DefaultValue("1m") @NotNull Duration checkpointMinInterval,
        @DefaultValue("true") boolean checkpoints,
        @DefaultValue("1s") @NotNull Duration retryInitialBackoff,
        @DefaultValue("5m") @NotNull Duration retryMaxBackoff,
        @DefaultValue("5m") @NotNull Duration reconcileInterval,
        @DefaultValue("10m") @NotNull Duration checkpointLease,
        @DefaultValue("4") @Min(1) int workers,
        @DefaultValue("20") @Min(0) int lagGaugeTables,
        @DefaultValue("20s") @NotNull Duration lease,
        @DefaultValue("4") @Min(1) int tablesPerRound,
        @DefaultValue("20ms") @NotNull Duration gather,
        @DefaultValue("5s") @NotNull Duration answerWait) {

    /** Wait before attempt number {@code attempts + 1}: initial × 2^(attempts-1), capped. */
    public Duration backoff(int attempts) {
        return new Backoff(retryInitialBackoff, retryMaxBackoff, 0).delay(attempts);
    }
}
