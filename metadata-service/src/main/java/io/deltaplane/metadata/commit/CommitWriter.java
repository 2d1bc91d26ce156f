package io.deltaplane.metadata.commit;

import static io.deltaplane.metadata.MetadataErrors.invalidAction;
import static java.util.Objects.requireNonNull;

import io.deltaplane.metadata.MetadataErrors;
import io.deltaplane.metadata.commit.CommitRepository.FastCommit;
import io.deltaplane.metadata.commit.CommitRepository.FastCommitted;
import io.deltaplane.metadata.commit.CommitRepository.VersionTaken;
import io.deltaplane.metadata.delta.ActionParser;
import io.deltaplane.metadata.delta.ActionParser.TableState;
import io.deltaplane.metadata.delta.CommitActions;
import io.deltaplane.metadata.delta.CommitActions.AddFile;
import io.deltaplane.metadata.delta.CommitActions.RemoveFile;
import io.deltaplane.metadata.lineage.LineageOutbox;
import io.deltaplane.metadata.publish.PublishQueue;
import io.deltaplane.metadata.table.TableRow;
import io.deltaplane.support.problem.ApiException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * Writes one table version, every row of it: the compare-and-swap on {@code
 * tables.current_version}, the commit row with its Delta actions (commitInfo first), the file,
 * metadata, protocol, txn and domain rows (all through {@link CommitRepository}), then the
 * version's row in each outbox — the {@link PublishQueue} (to {@code _delta_log}) and the {@link
 * LineageOutbox} (to lineage-service). Callers run it inside a Spring-managed transaction, so a
 * failure anywhere leaves nothing behind.
 *
 * <p>A plain commit by name (no metaData, no protocol) first tries the fast path: the same rows in
 * one statement, validated against the {@link TableStateCache}; when that cache is stale or the
 * commit conflicts, nothing is written and the general path decides.
 */
@Component
public class CommitWriter {

    /** A version that was written. */
    public record Written(UUID tableId, String fullName, long version, Instant committedAt) {}

    private final CommitRepository repository;
    private final TableStateCache stateCache;
    private final PublishQueue publishQueue;
    private final LineageOutbox lineageOutbox;
    private final CommitMetrics metrics;
    private final CommitProperties properties;

    CommitWriter(
            CommitRepository repository,
            TableStateCache stateCache,
            PublishQueue publishQueue,
            LineageOutbox lineageOutbox,
            CommitMetrics metrics,
            CommitProperties properties) {
        this.repository = requireNonNull(repository, "repository");
        this.stateCache = requireNonNull(stateCache, "stateCache");
        this.publishQueue = requireNonNull(publishQueue, "publishQueue");
        this.lineageOutbox = requireNonNull(lineageOutbox, "lineageOutbox");
        this.metrics = requireNonNull(metrics, "metrics");
        this.properties = requireNonNull(properties, "properties");
    }

    /** Creates the table row and writes its first version (protocol and metaData required). */
    public Written create(TableRow table, long version, CommitActions actions, String operation, Instant now) {
        if (actions.metadata() == null || actions.protocol() == null) {
            throw invalidAction("the first version of a table needs a protocol and a metaData action");
        }
        repository.insertTable(table, version, partitions(actions.metadata()), now);
        return write(new VersionTaken(table, version, now, 0, 0), actions, operation);
    }

    /**
     * Appends version {@code expected + 1} to the table {@code catalog.schema.name}, validating the
     * actions against the table state the compare-and-swap returned. Throws 404 TABLE_NOT_FOUND, 409
     * VERSION_CONFLICT, 400 INVALID_ACTION; the caller's transaction then rolls back.
     */
    public Written appendByName(
            String catalog,
            String schema,
            String name,
            long expected,
            List<JsonNode> actions,
            String operation,
            Instant now) {
        String fullName = catalog + "." + schema + "." + name;
        TableState cached = stateCache.get(fullName);
        if (cached != null && properties.fastPath() && fastPathApplies(actions)) {
            Optional<Written> written = fastAppend(cached, fullName, expected, actions, operation, now);
            metrics.fastPath(written.isPresent());
            if (written.isPresent()) {
                return written.get();
            }
        }
        VersionTaken taken = repository.casVersionByName(catalog, schema, name, expected, now);
        TableRow table = taken.table();
        CommitActions parsed = ActionParser.parse(actions, CommitService.state(table));
        List<String> partitionColumns = table.partitionColumns();
        if (parsed.metadata() != null) {
            String[] changed = partitions(parsed.metadata());
            repository.setPartitionColumns(table.id(), changed);
            partitionColumns = List.of(changed);
        }
        stateCache.put(fullName, new TableState(table.id(), table.location(), partitionColumns));
        checkProtocol(table.id(), parsed);
        return write(taken, parsed, operation);
    }

    /**
     * Appends version {@code expected + 1}. Throws 409 VERSION_CONFLICT when the table is no longer
     * at {@code expected}, 400 INVALID_ACTION when the actions do not apply to the stored state.
     */
    public Written append(TableRow table, long expected, CommitActions actions, String operation, Instant now) {
        String[] partitions = actions.metadata() == null ? null : partitions(actions.metadata());
        VersionTaken taken = repository.casVersion(table, expected, partitions, now);
        checkProtocol(table.id(), actions);
        return write(taken, actions, operation);
    }

    /**
     * Locks the table's row until the transaction ends (a multi-table commit takes every lock
     * before its first CAS); 409 VERSION_CONFLICT when it is no longer at {@code expected}, 404 when
     * it is gone.
     */
    public void lock(TableRow table, long expected) {
        long current = repository.lockVersion(table);
        if (current != expected) {
            throw MetadataErrors.versionConflict(table.fullName(), expected, current);
        }
    }

    /** The general path's rows for a version its CAS took, then the version's row in each outbox. */
    private Written write(VersionTaken taken, CommitActions actions, String operation) {
        TableRow table = taken.table();
        UUID id = table.id();
        long version = taken.version();
        checkIntegrity(table, actions, taken.previousFiles());
        long numFiles = taken.previousFiles();
        long sizeBytes = taken.previousSize();
        if (!actions.removes().isEmpty()) {
            List<String> paths =
                    actions.removes().stream().map(RemoveFile::path).toList();
            List<Long> sizes = repository.removeFiles(id, version, paths);
            if (sizes.size() != paths.size()) {
                throw invalidAction("a remove names a file that is not active in version " + (version - 1));
            }
            numFiles -= sizes.size();
            sizeBytes -= sizes.stream().mapToLong(Long::longValue).sum();
        }
        numFiles += actions.adds().size();
        sizeBytes += actions.adds().stream().mapToLong(AddFile::size).sum();
        String op = operation(operation, actions.commitInfo());
        repository.insertFilesAndCommit(
                table,
                version,
                actions.adds(),
                taken.committedAt(),
                op,
                actionsJson(actions, taken.committedAt(), op),
                numFiles,
                sizeBytes);
        if (actions.metadata() != null) {
            repository.insertMetadata(id, version, actions.metadata().toString());
        }
        if (actions.protocol() != null) {
            repository.insertProtocol(id, version, actions.protocol().json().toString());
        }
        repository.insertTxns(id, version, actions.txns());
        repository.insertDomains(id, version, actions.domains());
        // the version's row in each outbox, in this transaction: queued if and only if committed
        VersionCommitted committed =
                new VersionCommitted(id, table.fullName(), table.location(), version, taken.committedAt());
        publishQueue.enqueue(committed);
        lineageOutbox.enqueue(committed);
        countOnceCommitted();
        return new Written(id, table.fullName(), version, taken.committedAt());
    }

    /** metaData and protocol commits take the general path (they change what validation uses). */
    private static boolean fastPathApplies(List<JsonNode> actions) {
        if (actions == null) {
            return false;
        }
        for (JsonNode action : actions) {
            if (action == null || action.has("metaData") || action.has("protocol")) {
                return false;
            }
        }
        return true;
    }

    /**
     * The fast path: the same rows as the general path (outbox rows included) in one statement,
     * validated against the cached state. Empty when the general path must decide: the commit does
     * not fit the fast path, or the statement's CAS found no row and wrote nothing.
     */
    private Optional<Written> fastAppend(
            TableState cached, String fullName, long expected, List<JsonNode> actions, String operation, Instant now) {
        CommitActions parsed;
        try {
            parsed = ActionParser.parse(actions, cached);
        } catch (ApiException e) {
            return Optional.empty(); // judged against possibly stale state: let the general path give the answer
        }
        if (parsed.removes().stream().anyMatch(RemoveFile::dataChange)) {
            return Optional.empty(); // delta.appendOnly is checked on the general path
        }
        List<String> removes = parsed.removes().stream().map(RemoveFile::path).toList();
        Set<String> removed = Set.copyOf(removes);
        if (parsed.adds().stream().anyMatch(add -> removed.contains(add.path()))) {
            return Optional.empty(); // replacing a file needs the remove to land before the add
        }
        String op = operation(operation, parsed.commitInfo());
        long version = expected + 1;
        Optional<FastCommitted> result = repository.fastCommit(new FastCommit(
                cached,
                fullName,
                expected,
                removes,
                parsed.adds(),
                op,
                commitInfo(parsed.commitInfo(), op).toString(),
                otherActionsJson(parsed),
                now,
                LineageOutbox.request(),
                lineageOutbox.now()));
        if (result.isEmpty()) {
            return Optional.empty();
        }
        if (result.get().removed() != removes.size()) {
            throw invalidAction("a remove names a file that is not active in version " + expected);
        }
        repository.insertTxns(cached.tableId(), version, parsed.txns());
        repository.insertDomains(cached.tableId(), version, parsed.domains());
        // the statement wrote the version's row in each outbox; what remains is their after-commit nudge
        publishQueue.enqueuedInStatement();
        lineageOutbox.enqueuedInStatement();
        countOnceCommitted();
        return Optional.of(
                new Written(cached.tableId(), fullName, version, result.get().committedAt()));
    }

    private void countOnceCommitted() {
        TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
            @Override
            public void afterCommit() {
                metrics.committed();
            }
        });
    }

    /**
     * Rules that need the stored state: partition columns change only on a table with no live file
     * left (a reader would read old files with the new partitioning), and an append-only table
     * ({@code delta.appendOnly=true}) takes no remove that changes data.
     */
    private void checkIntegrity(TableRow table, CommitActions actions, long previousFiles) {
        if (actions.metadata() != null && previousFiles > actions.removes().size()) {
            List<String> next = List.of(partitions(actions.metadata()));
            if (!next.equals(table.partitionColumns())) {
                throw invalidAction("metaData changes the partition columns from " + table.partitionColumns() + " to "
                        + next + " while the table has live files; remove them in the same commit or create a new"
                        + " table");
            }
        }
        if (actions.removes().stream().anyMatch(RemoveFile::dataChange)) {
            String appendOnly = actions.metadata() != null
                    ? actions.metadata()
                            .path("configuration")
                            .path("delta.appendOnly")
                            .asString(null)
                    : repository.appendOnly(table.id()).orElse(null);
            if ("true".equalsIgnoreCase(appendOnly)) {
                throw invalidAction("the table is append-only (delta.appendOnly=true): a remove with dataChange"
                        + " true is not allowed");
            }
        }
    }

    private void checkProtocol(UUID tableId, CommitActions actions) {
        if (actions.protocol() != null) {
            ActionParser.checkNoDowngrade(actions.protocol(), repository.currentProtocol(tableId));
        }
    }

    private static String operation(String requested, ObjectNode commitInfo) {
        if (requested != null && !requested.isBlank()) {
            return requested;
        }
        JsonNode given = commitInfo == null ? null : commitInfo.get("operation");
        return given != null && given.isString() ? given.stringValue() : "WRITE";
    }

    /** The version's actions as a JSON array: commitInfo (with inCommitTimestamp) first. */
    private static String actionsJson(CommitActions actions, Instant committedAt, String operation) {
        ObjectNode info = commitInfo(actions.commitInfo(), operation);
        long millis = committedAt.toEpochMilli();
        info.put("timestamp", millis);
        info.put("inCommitTimestamp", millis);
        StringBuilder out = new StringBuilder(256 + actions.actions().size() * 256);
        out.append("[{\"commitInfo\":").append(info).append('}');
        for (String action : actions.actions()) {
            out.append(',').append(action);
        }
        return out.append(']').toString();
    }

    /** The client's commitInfo (if any) with our operation and engine; timestamps are added later. */
    private static ObjectNode commitInfo(ObjectNode given, String operation) {
        ObjectNode info = given == null ? JsonNodeFactory.instance.objectNode() : given.deepCopy();
        info.put("operation", operation);
        if (!info.has("engineInfo")) {
            info.put("engineInfo", "Deltaplane");
        }
        return info;
    }

    /** Every action but commitInfo, as a JSON array (the fast path's statement puts commitInfo first). */
    private static String otherActionsJson(CommitActions actions) {
        return "[" + String.join(",", actions.actions()) + "]";
    }

    private static String[] partitions(ObjectNode metadata) {
        return ActionParser.stringList(metadata.get("partitionColumns"), "metaData.partitionColumns")
                .toArray(String[]::new);
    }
}
