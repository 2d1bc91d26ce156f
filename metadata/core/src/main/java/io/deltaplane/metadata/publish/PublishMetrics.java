package io.deltaplane.metadata.publish;

import static java.util.Objects.requireNonNull;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import org.springframework.stereotype.Component;

/**
 * Prometheus view of publishing: versions written, alarms, the largest lag, and per-table lag for
 * the most lagging tables only (a bounded top-N, so 20,000 tables do not mean 40,000 series).
 */
@Component
public class PublishMetrics {

    private final Counter published;
    private final Counter conflicts;
    private final Counter failures;
    private final Counter repaired;
    private final Counter checkpoints;
    private final Counter checkpointFailures;
    private final Counter leasesLost;
    private final Timer commitToPublish;
    private final Timer put;
    private final MultiGauge lagVersions;
    private final MultiGauge lagSeconds;
    private final AtomicLong maxLagVersions = new AtomicLong();
    // Tables dropped lately, kept long enough to outlast any refresh that read them before the drop.
    private static final Duration DROPPED_MEMORY = Duration.ofMinutes(1);
    private final Map<UUID, Instant> dropped = new HashMap<>();

    public PublishMetrics(MeterRegistry registry) {
        requireNonNull(registry, "registry");
        published = Counter.builder("deltaplane.publish.versions")
                .description("Versions written to _delta_log")
                .register(registry);
        conflicts = Counter.builder("deltaplane.publish.conflicts")
                .description("A _delta_log file already existed with different content (alarm)")
                .register(registry);
        failures = Counter.builder("deltaplane.publish.failures")
                .description("Failed publish attempts (retried with backoff)")
                .register(registry);
        repaired = Counter.builder("deltaplane.publish.repaired")
                .description("Missing _delta_log files rewritten by the reconciler")
                .register(registry);
        checkpoints = Counter.builder("deltaplane.publish.checkpoints")
                .description("Parquet checkpoints written")
                .register(registry);
        checkpointFailures = Counter.builder("deltaplane.publish.checkpoint.failures")
                .description("Failed checkpoint attempts")
                .register(registry);
        leasesLost = Counter.builder("deltaplane.publish.leases.lost")
                .description("Batches whose table lease ran out and was taken over by another worker (a crash or a"
                        + " stall longer than deltaplane.publish.lease; the takeover rewrites nothing)")
                .register(registry);
        commitToPublish = Timer.builder("deltaplane.publish.delay")
                .description("Time from a version's commit to its _delta_log file")
                .publishPercentiles(0.5, 0.99)
                .register(registry);
        // A table's versions are written one after the other, so one table publishes at most one
        // version per round trip: this timer says what that ceiling is on the store in use.
        put = Timer.builder("deltaplane.publish.put")
                .description("Round trip of writing one _delta_log commit file to the store")
                .publishPercentiles(0.5, 0.99)
                .register(registry);
        lagVersions = MultiGauge.builder("deltaplane.publish.lag.versions")
                .description("Committed versions not yet in _delta_log, per table")
                .register(registry);
        lagSeconds = MultiGauge.builder("deltaplane.publish.lag.seconds")
                .description("Age of the oldest committed version not yet in _delta_log, per table")
                .register(registry);
        registry.gauge("deltaplane.publish.lag.versions.max", maxLagVersions);
    }

    void published(Instant committedAt, Instant now) {
        published.increment();
        if (committedAt != null) {
            commitToPublish.record(Duration.between(committedAt, now).abs());
        }
    }

    void put(long nanos) {
        put.record(nanos, java.util.concurrent.TimeUnit.NANOSECONDS);
    }

    void conflict() {
        conflicts.increment();
    }

    void failure() {
        failures.increment();
    }

    void repaired() {
        repaired.increment();
    }

    void checkpoint() {
        checkpoints.increment();
    }

    void leaseLost() {
        leasesLost.increment();
    }

    void checkpointFailure() {
        checkpointFailures.increment();
    }

    /** A dropped table's gauges go now, not at the next refresh. */
    synchronized void dropped(UUID tableId, List<PublishState> states, Instant now) {
        dropped.put(tableId, now);
        refreshLag(states, now);
    }

    public double conflictCount() {
        return conflicts.count();
    }

    /**
     * Replaces the per-table lag gauges with the given (most lagging) tables' states, leaving out
     * dropped tables (a refresh that read the states just before the drop must not bring their
     * gauges back); a table not in the list has no series.
     */
    synchronized void refreshLag(List<PublishState> allStates, Instant now) {
        dropped.values().removeIf(at -> at.isBefore(now.minus(DROPPED_MEMORY)));
        List<PublishState> states = allStates.stream()
                .filter(s -> !dropped.containsKey(s.tableId()))
                .toList();
        lagVersions.register(
                states.stream()
                        .map(s -> MultiGauge.Row.of(Tags.of("table", s.fullName()), s.lagVersions()))
                        .toList(),
                true);
        lagSeconds.register(
                states.stream()
                        .map(s -> MultiGauge.Row.of(Tags.of("table", s.fullName()), s.lagSeconds(now)))
                        .toList(),
                true);
        maxLagVersions.set(
                states.stream().mapToLong(PublishState::lagVersions).max().orElse(0));
    }
}
