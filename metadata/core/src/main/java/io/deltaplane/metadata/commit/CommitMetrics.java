package io.deltaplane.metadata.commit;

import static java.util.Objects.requireNonNull;

import io.deltaplane.support.problem.ApiException;
import io.deltaplane.support.problem.ErrorCode;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.function.Supplier;
import org.springframework.stereotype.Component;

/**
 * Commits, conflicts, rejections, fast-path hits and commit latency (histogram). No series per
 * table: 20,000 tables must not mean 20,000 series (a table's version is in the API; the publisher
 * exports a bounded top-N of lagging tables).
 */
@Component
public class CommitMetrics {

    private final Counter commits;
    private final Counter conflicts;
    private final Counter rejected;
    private final Timer latency;
    private final Counter fastHits;
    private final Counter fastMisses;
    private final DistributionSummary groupSizes;

    public CommitMetrics(MeterRegistry registry) {
        requireNonNull(registry, "registry");
        this.commits = Counter.builder("deltaplane.metadata.commits")
                .description("Table versions committed")
                .register(registry);
        this.conflicts = Counter.builder("deltaplane.metadata.commit.conflicts")
                .description("Commits rejected with VERSION_CONFLICT")
                .register(registry);
        this.rejected = Counter.builder("deltaplane.metadata.commit.rejected")
                .description("Commits rejected with INVALID_ACTION")
                .register(registry);
        this.fastHits = Counter.builder("deltaplane.metadata.commit.fast.path")
                .description("Commits written by the one-statement fast path (hit) or not (miss)")
                .tag("outcome", "hit")
                .register(registry);
        this.fastMisses = Counter.builder("deltaplane.metadata.commit.fast.path")
                .description("Commits written by the one-statement fast path (hit) or not (miss)")
                .tag("outcome", "miss")
                .register(registry);
        this.groupSizes = DistributionSummary.builder("deltaplane.metadata.commit.group.size")
                .description(
                        "Commits (plain ones and appends the platform places) written in one Postgres transaction (group commit)")
                .register(registry);
        this.latency = Timer.builder("deltaplane.metadata.commit.latency")
                .description("Time to validate and commit one request")
                .publishPercentileHistogram()
                .register(registry);
    }

    public Timer latency() {
        return latency;
    }

    /** After the commit's transaction: count it. */
    void committed() {
        commits.increment();
    }

    void fastPath(boolean hit) {
        (hit ? fastHits : fastMisses).increment();
    }

    /** A group of this many commits was written in one transaction. */
    void group(int commits) {
        groupSizes.record(commits);
    }

    public void conflict() {
        conflicts.increment();
    }

    public void rejected() {
        rejected.increment();
    }

    /**
     * Runs a commit request, timing it as {@link #latency()} and counting its 409 conflicts and 400
     * rejected actions.
     */
    public <T> T timed(Supplier<T> commit) {
        Timer.Sample sample = Timer.start();
        try {
            return commit.get();
        } catch (ApiException e) {
            if (e.is(ErrorCode.VERSION_CONFLICT)) {
                conflict();
            } else if (e.is(ErrorCode.INVALID_ACTION)) {
                rejected();
            }
            throw e;
        } finally {
            sample.stop(latency());
        }
    }
}
