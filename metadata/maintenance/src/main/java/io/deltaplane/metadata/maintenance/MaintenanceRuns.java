package io.deltaplane.metadata.maintenance;

import static java.util.Objects.requireNonNull;

import io.deltaplane.metadata.lineage.MaintenanceRun;
import io.deltaplane.metadata.lineage.MaintenanceRunOutbox;
import io.deltaplane.metadata.publish.LogCleanup;
import io.deltaplane.support.problem.ApiException;
import java.time.Clock;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Function;
import java.util.function.Supplier;
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * Runs OPTIMIZE, VACUUM and log cleanup (with history pruning), on request or by policy, and
 * records each run that did something — or failed — as a lineage run of job {@code
 * maintenance:<table>} ({@link MaintenanceRunOutbox}): who compacted or deleted what, when, and
 * with what result, next to the table's other jobs. A dry run, and a request refused before it started (bad input, no such table),
 * is no run.
 */
@Component
public class MaintenanceRuns {

    /** How a run was started. */
    public enum Trigger {
        /** The API or the CLI (also an ingest target's compaction, which asks the API). */
        REQUEST,
        /** The maintenance worker, under the table's policy. */
        POLICY;

        String wireName() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    private final Optimizer optimizer;
    private final Vacuum vacuum;
    private final LogCleanup logCleanup;
    private final HistoryPruning historyPruning;
    private final MaintenanceRunOutbox outbox;
    private final JsonMapper json;
    private final Clock clock;

    public MaintenanceRuns(
            Optimizer optimizer,
            Vacuum vacuum,
            LogCleanup logCleanup,
            HistoryPruning historyPruning,
            MaintenanceRunOutbox outbox,
            JsonMapper json,
            Clock clock) {
        this.optimizer = requireNonNull(optimizer, "optimizer");
        this.vacuum = requireNonNull(vacuum, "vacuum");
        this.logCleanup = requireNonNull(logCleanup, "logCleanup");
        this.historyPruning = requireNonNull(historyPruning, "historyPruning");
        this.outbox = requireNonNull(outbox, "outbox");
        this.json = requireNonNull(json, "json");
        this.clock = requireNonNull(clock, "clock");
    }

    public OptimizeResult optimize(String table, OptimizeRequest request, Trigger trigger) {
        return run("OPTIMIZE", table, trigger, () -> optimizer.optimize(table, request), OptimizeResult::table);
    }

    public VacuumResult vacuum(String table, VacuumRequest request, Trigger trigger) {
        if (request != null && request.isDryRun()) {
            return vacuum.vacuum(table, request); // lists, deletes nothing: not a run
        }
        return run("VACUUM", table, trigger, () -> vacuum.vacuum(table, request), VacuumResult::table);
    }

    /**
     * What a log cleanup did: the log's first version now, the log files deleted and their cutoff
     * ({@link LogCleanup.Result}), and with a history retention what pruning Postgres did (else null).
     */
    public record LogCleaned(long logStartVersion, int filesDeleted, Instant cutoff, HistoryPruning.Result history) {}

    /**
     * Log cleanup of a table the worker already resolved, then, with a {@code historyRetention}
     * (null: none), Postgres's history pruned to it: one run. Empty (and no run) when the table is
     * not published.
     */
    public Optional<LogCleaned> cleanLog(UUID tableId, String table, java.time.Duration historyRetention) {
        Instant start = clock.instant();
        try {
            Optional<LogCleaned> cleaned = logCleanup
                    .clean(tableId)
                    .map(logs -> new LogCleaned(
                            logs.logStartVersion(),
                            logs.filesDeleted(),
                            logs.cutoff(),
                            historyRetention == null
                                    ? null
                                    : historyPruning
                                            .prune(tableId, historyRetention)
                                            .orElse(null)));
            cleaned.ifPresent(result -> record("LOG_CLEANUP", table, Trigger.POLICY, start, null, result));
            return cleaned;
        } catch (RuntimeException e) {
            record("LOG_CLEANUP", table, Trigger.POLICY, start, describe(e), null);
            throw e;
        }
    }

    private <R> R run(String operation, String table, Trigger trigger, Supplier<R> work, Function<R, String> name) {
        Instant start = clock.instant();
        R result;
        try {
            result = work.get();
        } catch (ApiException e) {
            // a refusal of the request itself (400, 404) is not a run; a run that failed is
            if (e.status().is5xxServerError()
                    || e.status().value() == 409
                    || e.status().value() == 422) {
                record(operation, table, trigger, start, describe(e), null);
            }
            throw e;
        } catch (RuntimeException e) {
            record(operation, table, trigger, start, describe(e), null);
            throw e;
        }
        record(operation, name.apply(result), trigger, start, null, result);
        return result;
    }

    private void record(String operation, String table, Trigger trigger, Instant start, String error, Object result) {
        ObjectNode figures = result == null ? json.createObjectNode() : json.valueToTree(result);
        figures.remove("paths"); // VACUUM's file list: the counts are the run's figures
        figures.remove("paths_truncated");
        outbox.record(new MaintenanceRun(
                UUID.randomUUID(), table, operation, trigger.wireName(), start, clock.instant(), error, figures));
    }

    private static String describe(RuntimeException e) {
        return e instanceof ApiException api ? api.errorCode() + ": " + e.getMessage() : e.toString();
    }
}
