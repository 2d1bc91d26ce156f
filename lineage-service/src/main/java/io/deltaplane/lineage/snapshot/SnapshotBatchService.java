package io.deltaplane.lineage.snapshot;

import static java.util.Objects.requireNonNull;

import io.deltaplane.lineage.common.Times;
import io.deltaplane.lineage.dataset.TableRepository;
import io.deltaplane.lineage.graph.LineageEdges;
import io.deltaplane.lineage.runref.RunLookup;
import io.deltaplane.lineage.runref.RunRef;
import io.deltaplane.lineage.snapshot.SnapshotRecords.BatchItemResult;
import io.deltaplane.lineage.snapshot.SnapshotRecords.BatchOutcome;
import io.deltaplane.lineage.snapshot.SnapshotRecords.BatchResult;
import io.deltaplane.lineage.snapshot.SnapshotRecords.BatchSnapshot;
import io.deltaplane.lineage.snapshot.SnapshotRecords.SnapshotBatch;
import io.deltaplane.lineage.snapshot.SnapshotRepository.NewVersion;
import io.deltaplane.lineage.snapshot.SnapshotRepository.VersionKey;
import io.deltaplane.support.names.Names;
import io.deltaplane.support.problem.ApiException;
import io.deltaplane.support.problem.ErrorCode;
import io.deltaplane.support.request.RequestIds;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.Validator;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Many versioned snapshots in one transaction, each idempotent on (table, version, location) as {@link
 * SnapshotService#record} is. Every item is checked on its own: a rejected item is reported and the
 * others are recorded, so one bad version cannot hold up a relay's whole backlog.
 */
@Service
public class SnapshotBatchService {

    private static final Logger log = LoggerFactory.getLogger(SnapshotBatchService.class);

    private final TableRepository tables;
    private final SnapshotRepository snapshots;
    private final RunLookup runs;
    private final LineageEdges edges;
    private final Validator validator;
    private final Clock clock;

    public SnapshotBatchService(
            TableRepository tables,
            SnapshotRepository snapshots,
            RunLookup runs,
            LineageEdges edges,
            Validator validator,
            Clock clock) {
        this.tables = requireNonNull(tables, "tables");
        this.snapshots = requireNonNull(snapshots, "snapshots");
        this.runs = requireNonNull(runs, "runs");
        this.edges = requireNonNull(edges, "edges");
        this.validator = requireNonNull(validator, "validator");
        this.clock = requireNonNull(clock, "clock");
    }

    @Transactional
    public BatchResult record(SnapshotBatch batch) {
        List<BatchSnapshot> items = batch.snapshots();
        BatchItemResult[] results = new BatchItemResult[items.size()];
        Map<UUID, Optional<RunRef>> writers = new HashMap<>();
        List<Integer> accepted = new ArrayList<>();
        for (int i = 0; i < items.size(); i++) {
            BatchSnapshot item = items.get(i);
            ApiException problem = check(item, writers);
            if (problem == null) {
                accepted.add(i);
            } else {
                results[i] = new BatchItemResult(
                        i,
                        item.tableName(),
                        item.version(),
                        BatchOutcome.REJECTED,
                        null,
                        problem.errorCode(),
                        problem.getMessage());
                logRejected(item, problem);
            }
        }
        if (!accepted.isEmpty()) {
            store(items, accepted, writers, results);
        }
        int recorded = 0;
        int already = 0;
        for (BatchItemResult result : results) {
            switch (result.outcome()) {
                case RECORDED -> recorded++;
                case ALREADY_RECORDED -> already++;
                case REJECTED -> {}
            }
        }
        return new BatchResult(recorded, already, items.size() - recorded - already, List.of(results));
    }

    private void store(
            List<BatchSnapshot> items,
            List<Integer> accepted,
            Map<UUID, Optional<RunRef>> writers,
            BatchItemResult[] results) {
        Instant now = Times.now(clock);
        Set<String> names = new LinkedHashSet<>();
        for (int i : accepted) {
            names.add(items.get(i).tableName());
        }
        Map<String, Long> tableIds = tables.upsertAll(names, SnapshotService.DEFAULT_NAMESPACE, now);
        List<NewVersion> rows = new ArrayList<>(accepted.size());
        for (int i : accepted) {
            BatchSnapshot item = items.get(i);
            rows.add(new NewVersion(
                    tableIds.get(item.tableName()),
                    item.uri(),
                    item.format(),
                    snapshots.schemaText(item.schema()),
                    item.version(),
                    item.runId(),
                    item.createdAt() == null ? now : item.createdAt()));
        }
        Map<VersionKey, Long> inserted = snapshots.insertVersions(rows, "api");
        Set<VersionKey> missing = new HashSet<>();
        for (NewVersion row : rows) {
            VersionKey key = new VersionKey(row.tableId(), row.version(), row.uri());
            if (!inserted.containsKey(key)) {
                missing.add(key);
            }
        }
        Map<VersionKey, Long> existing = snapshots.findVersions(missing);
        // The first item of a (table, version, location) stored now is RECORDED; a repeat is ALREADY_RECORDED.
        Set<VersionKey> claimed = new HashSet<>();
        Set<List<Long>> wrote = new LinkedHashSet<>();
        for (int r = 0; r < rows.size(); r++) {
            int i = accepted.get(r);
            BatchSnapshot item = items.get(i);
            NewVersion row = rows.get(r);
            VersionKey key = new VersionKey(row.tableId(), row.version(), row.uri());
            Long newId = inserted.get(key);
            boolean recorded = newId != null && claimed.add(key);
            Long id = newId != null ? newId : existing.get(key);
            results[i] = new BatchItemResult(
                    i,
                    item.tableName(),
                    item.version(),
                    recorded ? BatchOutcome.RECORDED : BatchOutcome.ALREADY_RECORDED,
                    id,
                    null,
                    null);
            if (recorded && item.runId() != null) {
                wrote.add(List.of(writers.get(item.runId()).orElseThrow().jobId(), row.tableId()));
            }
        }
        for (List<Long> edge : wrote) {
            edges.wrote(edge.get(0), edge.get(1), now);
        }
    }

    /** Null when the item may be stored, else the problem the single-snapshot endpoint would answer. */
    private ApiException check(BatchSnapshot item, Map<UUID, Optional<RunRef>> writers) {
        try {
            Names.dotted("table", item.tableName());
        } catch (ApiException e) {
            return e;
        }
        Set<ConstraintViolation<BatchSnapshot>> violations = validator.validate(item);
        if (!violations.isEmpty()) {
            return ApiException.badRequest(
                    ErrorCode.VALIDATION_FAILED,
                    violations.stream()
                            .map(v -> snakeCase(v.getPropertyPath().toString()) + ": " + v.getMessage())
                            .sorted()
                            .collect(Collectors.joining("; ")));
        }
        if (item.runId() != null) {
            Optional<RunRef> writer = writers.computeIfAbsent(item.runId(), this::findRun);
            if (writer.isEmpty()) {
                return RunLookup.notFound(item.runId(), null);
            }
            if (item.createdAt() != null) {
                // A version names its writer in its commitInfo, which anyone may write: only a run
                // that was running when the version was committed is taken (not a stale or old id).
                return runs.notRunningAt(item.runId(), item.createdAt());
            }
        }
        return null;
    }

    private Optional<RunRef> findRun(UUID runId) {
        try {
            return Optional.of(runs.require(runId, null));
        } catch (ApiException e) {
            return Optional.empty();
        }
    }

    // Logged under the commit's request id, so the rejection lines up with the commit's own logs.
    private static void logRejected(BatchSnapshot item, ApiException problem) {
        String previous = MDC.get(RequestIds.MDC_KEY);
        boolean own = RequestIds.isValid(item.requestId());
        if (own) {
            MDC.put(RequestIds.MDC_KEY, item.requestId());
        }
        try {
            log.warn(
                    "Snapshot of {} v{} rejected: {} {}",
                    printable(item.tableName()),
                    item.version(),
                    problem.errorCode(),
                    printable(problem.getMessage()));
        } finally {
            if (own) {
                if (previous == null) {
                    MDC.remove(RequestIds.MDC_KEY);
                } else {
                    MDC.put(RequestIds.MDC_KEY, previous);
                }
            }
        }
    }

    // Names and details come from the caller: no control characters (forged log lines), bounded.
    private static String printable(String s) {
        if (s == null) {
            return "";
        }
        String clean = s.replaceAll("\\p{Cntrl}", "?");
        return clean.length() > 200 ? clean.substring(0, 200) + "…" : clean;
    }

    private static String snakeCase(String property) {
        return property.replaceAll("([a-z0-9])([A-Z])", "$1_$2").toLowerCase(java.util.Locale.ROOT);
    }
}
