package io.deltaplane.metadata.maintenance;

import static java.util.Objects.requireNonNull;

import io.deltaplane.metadata.commit.CommitIntent;
import io.deltaplane.metadata.commit.CommitPipeline;
import io.deltaplane.metadata.maintenance.BinRewriter.Written;
import io.deltaplane.metadata.maintenance.CompactionPlan.Bin;
import io.deltaplane.metadata.maintenance.CompactionPlan.DataFile;
import io.deltaplane.metadata.table.TableRow;
import io.deltaplane.storage.Storage;
import io.deltaplane.storage.Storages;
import io.deltaplane.support.problem.ApiException;
import io.deltaplane.support.problem.ErrorCode;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.NoSuchFileException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * OPTIMIZE: plans from Postgres, rewrites outside any transaction (writers are never blocked), then
 * commits one version of {@code dataChange: false} removes and adds through the commit path, with
 * Delta's conflict rules. A version that landed meanwhile is no conflict when it left every file
 * being compacted live and the metaData unchanged (a blind append): the same actions are committed
 * on top of it. Otherwise the new files are deleted and the table planned again; after {@code
 * optimize-attempts} plans, 409 CONCURRENT_MODIFICATION with nothing committed.
 */
@Service
public class Optimizer {

    static final String OPERATION = "OPTIMIZE";
    private static final Logger log = LoggerFactory.getLogger(Optimizer.class);

    private final CompactionPlanner planner;
    private final CommitPipeline pipeline;
    private final Storages storages;
    private final JsonMapper json;
    private final Clock clock;
    private final MaintenanceProperties properties;

    public Optimizer(
            CompactionPlanner planner,
            CommitPipeline pipeline,
            Storages storages,
            JsonMapper json,
            Clock clock,
            MaintenanceProperties properties) {
        this.planner = requireNonNull(planner, "planner");
        this.pipeline = requireNonNull(pipeline, "pipeline");
        this.storages = requireNonNull(storages, "storages");
        this.json = requireNonNull(json, "json");
        this.clock = requireNonNull(clock, "clock");
        this.properties = requireNonNull(properties, "properties");
    }

    /** The plan's files rewritten, not yet committed. */
    record Rewrite(CompactionPlan plan, BinRewriter rewriter, List<Written> written) {}

    /** A plan whose files or metaData a concurrent commit changed: rewrite from the new version. */
    static final class StalePlan extends Exception {
        StalePlan(String message) {
            super(message, null, false, false);
        }
    }

    /** Compacts {@code fullName}'s small files (see the class comment). */
    public OptimizeResult optimize(String fullName, OptimizeRequest request) {
        Instant start = clock.instant();
        OptimizeRequest asked = request == null ? OptimizeRequest.EVERYTHING : request;
        StalePlan last = null;
        for (int attempt = 1; attempt <= properties.optimizeAttempts(); attempt++) {
            CompactionPlan plan = plan(fullName, asked);
            if (plan.bins().isEmpty()) {
                return result(plan, null, List.of(), attempt, start);
            }
            Rewrite rewrite = rewrite(plan);
            try {
                long version = commit(rewrite);
                return result(plan, version, rewrite.written(), attempt, start);
            } catch (StalePlan e) {
                last = e;
                log.info("OPTIMIZE of {} planned again: {}", fullName, e.getMessage());
            }
        }
        throw new ApiException(
                ErrorCode.CONCURRENT_MODIFICATION,
                "OPTIMIZE of " + fullName + " gave up after " + properties.optimizeAttempts()
                        + " plans: concurrent commits kept changing the files it compacts (" + last.getMessage()
                        + "); nothing was committed",
                Map.of("table", fullName));
    }

    CompactionPlan plan(String fullName, OptimizeRequest request) {
        TableRow table = planner.current(fullName);
        return planner.plan(table, request, storages.forLocation(table.location()));
    }

    /** Writes every bin's new files; on failure takes back what it wrote. */
    Rewrite rewrite(CompactionPlan plan) {
        TableRow table = plan.table();
        Storage storage = storages.forLocation(table.location());
        String schema = json.readTree(plan.metadata()).path("schemaString").asString();
        BinRewriter rewriter = new BinRewriter(
                storage,
                ParquetRewrite.of(properties),
                properties.rewriteScratch(),
                schema,
                plan.partitionColumns(),
                plan.targetFileSize());
        List<Written> written = new ArrayList<>();
        try {
            for (Bin bin : plan.bins()) {
                rewriter.rewrite(table.location(), bin, written);
            }
        } catch (IOException | RuntimeException e) {
            rewriter.delete(written);
            throw storageProblem(table, e);
        }
        return new Rewrite(plan, rewriter, List.copyOf(written));
    }

    /**
     * A live file that is not there is the table's problem (422 DATA_FILE_MISSING); any other I/O
     * failure is the store's (503, nothing committed: run it again).
     */
    private static RuntimeException storageProblem(TableRow table, Exception e) {
        if (e instanceof BinRewriter.RewriteResources) {
            log.warn("OPTIMIZE of {} ran out of memory or scratch space", table.fullName(), e);
            return new ApiException(
                    ErrorCode.SERVICE_UNAVAILABLE,
                    "OPTIMIZE of " + table.fullName() + " ran out of memory or scratch space, or was interrupted;"
                            + " nothing was committed: run it again, or give it more"
                            + " (deltaplane.maintenance.rewrite-memory, rewrite-scratch)",
                    Map.of("table", table.fullName()));
        }
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof FileNotFoundException || t instanceof NoSuchFileException) {
                return new ApiException(
                        ErrorCode.DATA_FILE_MISSING,
                        "OPTIMIZE of " + table.fullName() + " cannot read a file its current version needs ("
                                + t.getMessage() + "); nothing was committed",
                        Map.of("table", table.fullName()));
            }
            if (t instanceof IOException || t instanceof UncheckedIOException) {
                log.warn("OPTIMIZE of {} could not read or write its files", table.fullName(), e);
                return new ApiException(
                        ErrorCode.SERVICE_UNAVAILABLE,
                        "OPTIMIZE of " + table.fullName() + " could not read or write the table's storage ("
                                + t.getMessage() + "); nothing was committed, run it again",
                        Map.of("table", table.fullName()));
            }
        }
        if (e instanceof ApiException api) {
            return api;
        }
        // DuckDB refused a file: not Parquet, or corrupt
        log.warn("OPTIMIZE of {} could not read a data file", table.fullName(), e);
        return new ApiException(
                ErrorCode.DATA_FILE_UNREADABLE,
                "OPTIMIZE of " + table.fullName() + " cannot read a file its current version needs as Parquet ("
                        + e.getMessage() + "); nothing was committed",
                Map.of("table", table.fullName()));
    }

    /**
     * Commits the rewrite on the newest version it does not conflict with. A stale plan, or any
     * failure, deletes the new files (nothing references them).
     */
    long commit(Rewrite rewrite) throws StalePlan {
        CompactionPlan plan = rewrite.plan();
        List<JsonNode> actions = actions(plan, rewrite.written());
        long expected = plan.readVersion();
        try {
            for (int attempt = 1; ; attempt++) {
                try {
                    TableRow table = planner.current(plan.table().id());
                    return pipeline.commit(CommitIntent.Next.byThePlatform(
                                    table, expected, actions, clock.instant(), OPERATION))
                            .only()
                            .version();
                } catch (ApiException e) {
                    boolean raced = e.is(ErrorCode.VERSION_CONFLICT) || e.is(ErrorCode.INVALID_ACTION);
                    if (!raced || attempt >= properties.commitAttempts()) {
                        throw e;
                    }
                    long current = planner.current(plan.table().id()).currentVersion();
                    if (!planner.sameMetadata(plan)) {
                        throw new StalePlan("the table's metaData changed after version " + plan.readVersion());
                    }
                    if (!planner.stillLive(plan)) {
                        throw new StalePlan("a file it compacts was removed after version " + plan.readVersion());
                    }
                    if (current == expected) {
                        throw e; // not a race: the actions themselves were refused
                    }
                    expected = current;
                }
            }
        } catch (StalePlan | RuntimeException e) {
            rewrite.rewriter().delete(rewrite.written());
            throw e;
        }
    }

    private List<JsonNode> actions(CompactionPlan plan, List<Written> written) {
        long now = clock.millis();
        List<JsonNode> actions = new ArrayList<>();
        ObjectNode info = json.createObjectNode();
        ObjectNode commitInfo = info.putObject("commitInfo");
        ObjectNode parameters = commitInfo.putObject("operationParameters");
        parameters.put("predicate", json.writeValueAsString(plan.where()));
        parameters.put("targetFileSize", Long.toString(plan.targetFileSize()));
        ObjectNode metrics = commitInfo.putObject("operationMetrics");
        metrics.put("numRemovedFiles", Integer.toString(plan.files().size()));
        metrics.put("numAddedFiles", Integer.toString(written.size()));
        metrics.put(
                "numRemovedBytes",
                Long.toString(plan.files().stream().mapToLong(DataFile::size).sum()));
        metrics.put(
                "numAddedBytes",
                Long.toString(written.stream().mapToLong(Written::size).sum()));
        metrics.put("numBatches", Integer.toString(plan.bins().size()));
        commitInfo.put("isBlindAppend", false);
        actions.add(info);
        for (Bin b : plan.bins()) {
            for (DataFile file : b.files()) {
                ObjectNode remove = json.createObjectNode();
                ObjectNode r = remove.putObject("remove");
                r.put("path", file.path());
                r.put("deletionTimestamp", now);
                r.put("dataChange", false);
                r.put("extendedFileMetadata", true);
                ObjectNode values = r.putObject("partitionValues");
                file.partitionValues().forEach(values::put);
                r.put("size", file.size());
                actions.add(remove);
            }
        }
        for (Written file : written) {
            ObjectNode add = json.createObjectNode();
            ObjectNode a = add.putObject("add");
            a.put("path", file.path());
            ObjectNode values = a.putObject("partitionValues");
            file.partitionValues().forEach(values::put);
            a.put("size", file.size());
            a.put("modificationTime", now);
            a.put("dataChange", false);
            if (file.stats() != null) {
                a.put("stats", file.stats());
            }
            actions.add(add);
        }
        return actions;
    }

    private OptimizeResult result(
            CompactionPlan plan, Long version, List<Written> written, int attempts, Instant start) {
        return new OptimizeResult(
                plan.table().fullName(),
                version,
                plan.readVersion(),
                plan.where(),
                plan.targetFileSize(),
                version == null ? 0 : plan.partitions(),
                version == null ? 0 : plan.files().size(),
                written.size(),
                version == null
                        ? 0
                        : plan.files().stream().mapToLong(DataFile::size).sum(),
                written.stream().mapToLong(Written::size).sum(),
                attempts,
                Duration.between(start, clock.instant()).toMillis());
    }
}
