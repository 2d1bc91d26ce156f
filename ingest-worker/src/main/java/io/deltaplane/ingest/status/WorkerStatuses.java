package io.deltaplane.ingest.status;

import io.deltaplane.ingest.sink.SinkTotals.Counts;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * A mapping's status over every worker, from their {@link WorkerReport}s: what a user asks of the
 * mapping, not of the worker a request happened to reach.
 *
 * <ul>
 *   <li>totals (rows, dead letters, batches): every writer's, live or gone, added up — each as its row
 *       in the warehouse said when it, or a worker reading the warehouse, last reported;
 *   <li>state: from the live reports, a failure anywhere first ({@code RETRYING}), then {@code
 *       RUNNING}, {@code STARTING}, {@code PAUSED}, {@code DISABLED}, {@code STOPPED}; stalled if any
 *       live worker is; the last error of a worker in the state shown;
 *   <li>partitions: each once, from the worker consuming it (the one that knows its lag), else the
 *       furthest sink offset; the lag is theirs added up;
 *   <li>the last batch: the newest of any worker's; the recent dead-letter ratio: the highest.
 * </ul>
 */
public final class WorkerStatuses {

    private static final List<IngestState> SHOWN_FIRST = List.of(
            IngestState.RETRYING,
            IngestState.RUNNING,
            IngestState.STARTING,
            IngestState.PAUSED,
            IngestState.DISABLED,
            IngestState.STOPPED);

    private WorkerStatuses() {}

    /**
     * The mapping's status over {@code reports}; empty when no live worker reports it (no worker runs
     * it yet, or none is up): the caller says what the mapping is meant to do, with {@link #totals}.
     */
    public static Optional<MappingStatus> aggregate(String mapping, List<WorkerReport> reports) {
        List<MappingStatus> live = reports.stream()
                .filter(r -> r.live() && r.status() != null)
                .map(WorkerReport::status)
                .toList();
        if (live.isEmpty()) {
            return Optional.empty();
        }
        IngestState state = live.stream()
                .map(MappingStatus::state)
                .min(Comparator.comparingInt(SHOWN_FIRST::indexOf))
                .orElseThrow();
        List<MappingStatus.PartitionStatus> partitions = partitions(live);
        Long lag = partitions.stream()
                .map(MappingStatus.PartitionStatus::lag)
                .filter(Objects::nonNull)
                .reduce(Long::sum)
                .orElse(null);
        Optional<MappingStatus> lastBatch = live.stream()
                .filter(s -> s.lastBatchAt() != null)
                .max(Comparator.comparing(MappingStatus::lastBatchAt));
        Counts totals = totals(reports);
        boolean dryRun = live.stream().anyMatch(MappingStatus::dryRun);
        return Optional.of(new MappingStatus(
                mapping,
                state,
                dryRun,
                partitions,
                lag,
                totals.rows(),
                totals.deadLetters(),
                totals.batches(),
                lastBatch.map(MappingStatus::lastBatchAt).orElse(null),
                lastBatch.map(MappingStatus::lastBatchDurationMs).orElse(null),
                live.stream()
                        .filter(s -> s.state() == state && s.lastError() != null)
                        .map(MappingStatus::lastError)
                        .findFirst()
                        .orElse(null),
                dryRun ? sum(live, MappingStatus::rowsWouldWrite) : null,
                dryRun ? sum(live, MappingStatus::rowsWouldDeadLetter) : null,
                live.stream().anyMatch(MappingStatus::stalled),
                live.stream()
                        .map(MappingStatus::recentDeadLetterRatio)
                        .filter(Objects::nonNull)
                        .max(Double::compare)
                        .orElse(null),
                workers(reports)));
    }

    /** Every writer's totals, live or gone, added up. */
    public static Counts totals(List<WorkerReport> reports) {
        return reports.stream().map(WorkerReport::written).reduce(Counts.ZERO, Counts::plus);
    }

    /** Each worker as it last reported. */
    public static List<MappingStatus.WorkerStatus> workers(List<WorkerReport> reports) {
        List<MappingStatus.WorkerStatus> workers = new ArrayList<>();
        for (WorkerReport r : reports) {
            MappingStatus s = r.status();
            workers.add(new MappingStatus.WorkerStatus(
                    r.worker(),
                    s == null ? null : s.state(),
                    r.live(),
                    s == null
                            ? null
                            : s.partitions().stream()
                                    .map(MappingStatus.PartitionStatus::partition)
                                    .toList(),
                    r.written().rows(),
                    r.written().deadLetters(),
                    r.reportedAt()));
        }
        return workers;
    }

    /** Each partition once: its consumer's (it knows the lag), else the furthest sink offset reported. */
    private static List<MappingStatus.PartitionStatus> partitions(List<MappingStatus> live) {
        Map<Integer, MappingStatus.PartitionStatus> chosen = new TreeMap<>();
        for (MappingStatus s : live) {
            for (MappingStatus.PartitionStatus p : s.partitions()) {
                chosen.merge(p.partition(), p, WorkerStatuses::better);
            }
        }
        return List.copyOf(chosen.values());
    }

    private static MappingStatus.PartitionStatus better(
            MappingStatus.PartitionStatus a, MappingStatus.PartitionStatus b) {
        if ((a.lag() == null) != (b.lag() == null)) {
            return a.lag() != null ? a : b;
        }
        long offsetA = a.sinkOffset() == null ? -1 : a.sinkOffset();
        long offsetB = b.sinkOffset() == null ? -1 : b.sinkOffset();
        return offsetB > offsetA ? b : a;
    }

    private static Long sum(List<MappingStatus> live, Function<MappingStatus, Long> figure) {
        return live.stream()
                .map(figure)
                .filter(Objects::nonNull)
                .reduce(Long::sum)
                .orElse(null);
    }
}
