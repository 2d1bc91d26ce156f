package io.deltaplane.ingest.status;

import static java.util.Objects.requireNonNull;

import io.deltaplane.ingest.sink.BatchResult;
import io.deltaplane.ingest.sink.SinkTotals;
import io.deltaplane.ingest.sink.SinkTotals.Counts;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import java.time.Clock;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Live figures of one mapping in this worker, written by its consumer and read by the status
 * endpoint; also published as metrics ({@code deltaplane.ingest.rows}, {@code .dead_letters},
 * {@code .batch}, and per partition {@code .lag} in events and {@code .lag.seconds}: how old the
 * newest event read is while events wait behind it, so a consumer that stopped shows a lag that
 * keeps growing) tagged with the mapping name. Thread-safe.
 */
public final class IngestStats {

    private final String mapping;
    private final MeterRegistry registry;
    private final Clock clock;
    private final Counter rowsCounter;
    private final Counter deadCounter;
    private final Timer batchTimer;
    /** The warehouse's totals read last, and what this process wrote since. */
    private final AtomicReference<Written> written = new AtomicReference<>(new Written(SinkTotals.NONE, Counts.ZERO));

    private final AtomicLong wouldWrite = new AtomicLong();
    private final AtomicLong wouldDead = new AtomicLong();
    private final Map<Integer, Long> sinkOffsets = new ConcurrentHashMap<>();
    private final Map<Integer, AtomicLong> lags = new ConcurrentHashMap<>();
    /** Per partition: the timestamp (epoch ms) of the newest event read. */
    private final Map<Integer, Long> lastRead = new ConcurrentHashMap<>();
    /** The registered lag gauges, one holder per partition for the life of these stats. */
    private final Map<Integer, AtomicLong> gauges = new ConcurrentHashMap<>();

    /** A mapping meant to consume that has not, for this long, is stalled. */
    public static final java.time.Duration STALLED_AFTER = java.time.Duration.ofMinutes(5);

    /** Batches the recent dead-letter ratio is taken over. */
    static final int RECENT_BATCHES = 20;

    private volatile IngestState state = IngestState.STARTING;
    private volatile Instant stateSince;
    private volatile Instant lastReadAt;
    /** The recent batches' rows and dead letters, oldest first (guarded by itself). */
    private final java.util.ArrayDeque<long[]> recent = new java.util.ArrayDeque<>();

    private volatile boolean dryRun;
    private volatile Instant lastBatchAt;
    private volatile long lastBatchNanos = -1;
    private volatile String lastError;

    private final java.util.function.UnaryOperator<String> redact;

    public IngestStats(String mapping, MeterRegistry registry, Clock clock) {
        this(mapping, registry, clock, java.util.function.UnaryOperator.identity());
    }

    /** {@code redact} cleans error text before operators see it (it removes secret values). */
    public IngestStats(
            String mapping, MeterRegistry registry, Clock clock, java.util.function.UnaryOperator<String> redact) {
        this.redact = requireNonNull(redact, "redact");
        this.mapping = requireNonNull(mapping, "mapping");
        this.registry = requireNonNull(registry, "registry");
        this.clock = requireNonNull(clock, "clock");
        Tags tags = Tags.of("mapping", mapping);
        this.rowsCounter = registry.counter("deltaplane.ingest.rows", tags);
        this.deadCounter = registry.counter("deltaplane.ingest.dead_letters", tags);
        this.batchTimer = registry.timer("deltaplane.ingest.batch", tags);
        this.stateSince = clock.instant();
        Gauge.builder("deltaplane.ingest.stalled", this, s -> s.stalled() ? 1 : 0)
                .tags(tags)
                .description("1 when the mapping is meant to consume and has not for " + STALLED_AFTER)
                .register(registry);
        Gauge.builder("deltaplane.ingest.dead_letter_ratio", this, s -> {
                    Double ratio = s.recentDeadLetterRatio();
                    return ratio == null ? Double.NaN : ratio;
                })
                .tags(tags)
                .description("Dead letters among the events of the last " + RECENT_BATCHES + " batches")
                .register(registry);
    }

    public void state(IngestState newState) {
        requireNonNull(newState, "newState");
        if (newState != state) {
            stateSince = clock.instant();
        }
        this.state = newState;
        if (newState == IngestState.RUNNING) {
            lastError = null;
        }
    }

    public IngestState state() {
        return state;
    }

    public void dryRun(boolean value) {
        this.dryRun = value;
    }

    /**
     * The consumer failed and will retry; the message is for operators, shown in the status. A
     * client library's message may quote what it was given, so secret values are removed first.
     */
    public void failed(String message) {
        if (state != IngestState.RETRYING) {
            stateSince = clock.instant();
        }
        this.state = IngestState.RETRYING;
        this.lastError = redact.apply(message);
    }

    /** The positions read from the control table when partitions were assigned. */
    public void positions(Map<Integer, Long> positions) {
        sinkOffsets.putAll(positions);
    }

    /** The consumer let its partitions go: lag is unknown until it has them again. */
    public void forgetLag() {
        lags.clear();
    }

    /**
     * Starts the mapping's totals from what its sink has kept (every writer's), so status shows
     * totals across restarts and workers rather than what this process has counted.
     */
    public void restore(SinkTotals totals) {
        written.set(new Written(requireNonNull(totals, "totals"), Counts.ZERO));
    }

    /** The warehouse's totals as last read ({@link #restore}), by writer. */
    public SinkTotals restored() {
        return written.get().restored();
    }

    /** What {@code writer} (this worker's id) has written in all: its row as last read and this process's batches since. */
    public Counts writtenBy(String writer) {
        Written now = written.get();
        return now.restored().of(writer).plus(now.since());
    }

    public void batch(BatchResult result) {
        long rowsWritten = result.dryRun() ? 0 : result.rows();
        long deadWritten = result.dryRun() ? 0 : result.deadLetters();
        written.updateAndGet(w -> w.plus(new Counts(rowsWritten, deadWritten, 1)));
        lastBatchAt = clock.instant();
        lastBatchNanos = result.durationNanos();
        batchTimer.record(result.durationNanos(), TimeUnit.NANOSECONDS);
        if (result.dryRun()) {
            wouldWrite.addAndGet(result.rows());
            wouldDead.addAndGet(result.deadLetters());
            return;
        }
        synchronized (recent) {
            recent.addLast(new long[] {result.rows(), result.deadLetters()});
            if (recent.size() > RECENT_BATCHES) {
                recent.removeFirst();
            }
        }
        rowsCounter.increment(result.rows());
        deadCounter.increment(result.deadLetters());
        sinkOffsets.putAll(result.nextOffsets());
    }

    public void lag(int partition, long lag) {
        lags.computeIfAbsent(
                        partition,
                        p -> gauges.computeIfAbsent(p, id -> {
                            AtomicLong holder = new AtomicLong();
                            Tags tags = Tags.of("mapping", mapping, "partition", Integer.toString(id));
                            Gauge.builder("deltaplane.ingest.lag", holder, AtomicLong::get)
                                    .tags(tags)
                                    .register(registry);
                            Gauge.builder("deltaplane.ingest.lag.seconds", this, s -> s.lagSeconds(id))
                                    .tags(tags)
                                    .description("How old the newest event read is while events wait behind it")
                                    .register(registry);
                            return holder;
                        }))
                .set(lag);
    }

    /** The newest event read from {@code partition} was produced (or enqueued) at {@code timestampMillis}. */
    public void read(int partition, long timestampMillis) {
        lastReadAt = clock.instant();
        if (timestampMillis >= 0) {
            lastRead.merge(partition, timestampMillis, Math::max);
        }
    }

    /**
     * Whether the mapping is meant to consume and has not for {@link #STALLED_AFTER}: starting or
     * retrying all that time, or running with events waiting on the broker and none read. A paused,
     * disabled or stopped mapping is not stalled.
     */
    public boolean stalled() {
        Instant limit = clock.instant().minus(STALLED_AFTER);
        return switch (state) {
            case STARTING, RETRYING -> !stateSince.isAfter(limit);
            case RUNNING -> {
                boolean waiting = lags.values().stream().anyMatch(l -> l.get() > 0);
                Instant last = lastReadAt == null || lastReadAt.isBefore(stateSince) ? stateSince : lastReadAt;
                yield waiting && !last.isAfter(limit);
            }
            default -> false;
        };
    }

    /** Dead letters among the events of the last {@link #RECENT_BATCHES} batches; null before any. */
    public Double recentDeadLetterRatio() {
        long events = 0;
        long dead = 0;
        synchronized (recent) {
            for (long[] b : recent) {
                events += b[0] + b[1];
                dead += b[1];
            }
        }
        return events == 0 ? null : (double) dead / events;
    }

    /**
     * Seconds behind on {@code partition}: 0 when no event waits; else how long ago the newest event
     * read was produced (the waiting ones came after it), growing while nothing more is read; NaN
     * while unknown (no lag measured, or nothing read yet).
     */
    public double lagSeconds(int partition) {
        AtomicLong lag = lags.get(partition);
        if (lag == null) {
            return Double.NaN;
        }
        if (lag.get() == 0) {
            return 0;
        }
        Long read = lastRead.get(partition);
        return read == null ? Double.NaN : Math.max(0, clock.millis() - read) / 1000.0;
    }

    /** The most seconds behind on any partition ({@link #lagSeconds}); null while none is known. */
    public Double maxLagSeconds() {
        Double max = null;
        for (int partition : lags.keySet()) {
            double lag = lagSeconds(partition);
            if (!Double.isNaN(lag) && (max == null || lag > max)) {
                max = lag;
            }
        }
        return max;
    }

    public long rowsIngested() {
        return written.get().total().rows();
    }

    public long rowsDeadLettered() {
        return written.get().total().deadLetters();
    }

    public MappingStatus snapshot() {
        List<MappingStatus.PartitionStatus> partitions = new java.util.ArrayList<>();
        java.util.Set<Integer> ids = new java.util.TreeSet<>(sinkOffsets.keySet());
        ids.addAll(lags.keySet());
        long totalLag = 0;
        boolean anyLag = false;
        for (Integer p : ids) {
            AtomicLong lag = lags.get(p);
            if (lag != null) {
                totalLag += lag.get();
                anyLag = true;
            }
            double seconds = lagSeconds(p);
            partitions.add(new MappingStatus.PartitionStatus(
                    p, sinkOffsets.get(p), lag == null ? null : lag.get(), Double.isNaN(seconds) ? null : seconds));
        }
        partitions.sort(Comparator.comparingInt(MappingStatus.PartitionStatus::partition));
        long nanos = lastBatchNanos;
        Counts total = written.get().total();
        return new MappingStatus(
                mapping,
                state,
                dryRun,
                partitions,
                anyLag ? totalLag : null,
                total.rows(),
                total.deadLetters(),
                total.batches(),
                lastBatchAt,
                nanos < 0 ? null : nanos / 1_000_000.0,
                lastError,
                dryRun ? wouldWrite.get() : null,
                dryRun ? wouldDead.get() : null,
                stalled(),
                recentDeadLetterRatio(),
                null);
    }

    /** The warehouse's totals as read, and this process's batches since (a dry run's counted as batches only). */
    private record Written(SinkTotals restored, Counts since) {

        Written plus(Counts batch) {
            return new Written(restored, since.plus(batch));
        }

        Counts total() {
            return restored.sum().plus(since);
        }
    }

    /** Removes this mapping's meters (the mapping was deleted). */
    public void close() {
        registry.remove(rowsCounter);
        registry.remove(deadCounter);
        registry.remove(batchTimer);
        registry.getMeters().stream()
                .filter(m -> (m.getId().getName().equals("deltaplane.ingest.stalled")
                                || m.getId().getName().equals("deltaplane.ingest.dead_letter_ratio"))
                        && mapping.equals(m.getId().getTag("mapping")))
                .forEach(registry::remove);
        registry.getMeters().stream()
                .filter(m -> m.getId().getName().startsWith("deltaplane.ingest.lag")
                        && mapping.equals(m.getId().getTag("mapping")))
                .forEach(registry::remove);
    }
}
