package io.deltaplane.metadata.commit;

import static io.deltaplane.metadata.MetadataErrors.invalidAction;
import static java.util.Objects.requireNonNull;

import io.deltaplane.metadata.commit.CommitRepository.Append;
import io.deltaplane.metadata.commit.CommitRepository.Appended;
import io.deltaplane.metadata.delta.ActionParser;
import io.deltaplane.metadata.delta.ActionParser.TableState;
import io.deltaplane.metadata.delta.ColumnMapping;
import io.deltaplane.metadata.delta.CommitActions;
import io.deltaplane.metadata.delta.CommitActions.RemoveFile;
import io.deltaplane.metadata.delta.DeltaTableProperties;
import io.deltaplane.metadata.delta.ProtocolRules;
import io.deltaplane.metadata.delta.RowTracking;
import io.deltaplane.metadata.table.TableRow;
import io.deltaplane.support.idempotency.IdempotentRequests;
import io.deltaplane.support.problem.ApiException;
import io.deltaplane.support.request.RequestIds;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Writes one table version, every row of it, with one compare-and-swap for every caller ({@link
 * CommitRepository#appendStatement}): the CAS on {@code tables.current_version} against the state the
 * actions were validated with, the file rows, the commit row with its Delta actions (commitInfo
 * first), and the version's row in each {@link CommitOutbox} (the publish queue, to {@code
 * _delta_log}, and the lineage outbox, to lineage-service); then the metaData, protocol, txn and domain
 * rows the version carries. Its one caller is {@link CommitPipeline}, which decides the version and
 * runs it inside a Spring-managed transaction, so a failure anywhere leaves nothing behind
 * ({@code CommitPipelineStructureTest} keeps it the one caller).
 *
 * <p>A plain commit by name (no metaData, no protocol) can be prepared against the {@link
 * TableStateCache} instead of reading the table first ({@link #prepareOnCachedState}), and written
 * with others in one transaction ({@link GroupCommit}); when that state is stale, the CAS finds no
 * row, nothing is written, and the commit is validated again against the stored state.
 */
@Component
public class CommitWriter {

    /**
     * The commitInfo field naming the table a version was written for, on every version the
     * platform writes: after a restore from a backup older than the log, it tells the platform's own
     * published versions from files written behind the catalog (the publish package's LogAdoption).
     */
    public static final String TABLE_ID_FIELD = "deltaplaneTableId";

    /** A version that was written. */
    public record Written(UUID tableId, String fullName, long version, Instant committedAt) {}

    /** A plain commit validated against the cached table state, not written yet. */
    record PreparedCommit(Append append, CommitActions actions) {
        /** The table whose row the commit's compare-and-swap locks. */
        UUID tableId() {
            return append.table().tableId();
        }
    }

    private final CommitRepository repository;
    private final TableStateReads reads;
    private final StoredStateRules storedStateRules;
    private final CasMiss casMiss;
    private final TableStateCache stateCache;
    private final CommitMetrics metrics;
    private final CommitProperties properties;

    CommitWriter(
            CommitRepository repository,
            TableStateReads reads,
            StoredStateRules storedStateRules,
            CasMiss casMiss,
            TableStateCache stateCache,
            CommitMetrics metrics,
            CommitProperties properties) {
        this.repository = requireNonNull(repository, "repository");
        this.reads = requireNonNull(reads, "reads");
        this.storedStateRules = requireNonNull(storedStateRules, "storedStateRules");
        this.casMiss = requireNonNull(casMiss, "casMiss");
        this.stateCache = requireNonNull(stateCache, "stateCache");
        this.metrics = requireNonNull(metrics, "metrics");
        this.properties = requireNonNull(properties, "properties");
    }

    /** Creates the table row and writes its version 0 (protocol and metaData required). */
    Written create(TableRow table, CommitActions actions, String operation, Instant now) {
        if (actions.metadata() == null || actions.protocol() == null) {
            throw invalidAction("the first version of a table needs a protocol and a metaData action");
        }
        String[] partitions = partitions(actions.metadata());
        repository.insertTable(table, partitions, ColumnMapping.distinctPartitionKeys(actions.metadata()), now);
        TableState before = new TableState(
                table.id(), table.location(), List.of(partitions), ColumnMapping.partitionKeys(actions.metadata()));
        return write(new Version(before, table.fullName(), -1, 0, actions, operation, now, null));
    }

    /**
     * The current transaction takes versions back from a table's {@code _delta_log} (a restore
     * check's adoption): its commits are accepted while the table waits for that check, which
     * refuses every other commit.
     */
    void adoptingFromTheLog() {
        repository.adoptingFromTheLog();
    }

    /**
     * A version to write against the table's stored state: {@code expected + 1}, validated against
     * {@code before} (the state as the pipeline read it), {@code liveFiles} files live at {@code
     * expected} (read when a metaData action needs them), {@code currentProtocol} the table's current
     * protocol as the caller read it, or null (then it is read here).
     */
    record Version(
            TableState before,
            String fullName,
            long expected,
            long liveFiles,
            CommitActions actions,
            String operation,
            Instant at,
            JsonNode currentProtocol) {}

    /**
     * Writes {@code version}: the rules that need stored state, then the compare-and-swap with every
     * row. Throws 404 TABLE_NOT_FOUND or 409 VERSION_CONFLICT when the CAS finds the table elsewhere
     * ({@link CasMiss} says which), 400 INVALID_ACTION when the actions do not apply; the caller's
     * transaction then rolls back.
     */
    Written write(Version version) {
        return write(
                        version.before(),
                        version.fullName(),
                        version.expected(),
                        version.liveFiles(),
                        version.actions(),
                        version.operation(),
                        version.at(),
                        version.currentProtocol())
                .orElseThrow(() -> casMiss.explain(version.before().tableId(), version.fullName(), version.expected()));
    }

    /**
     * Locks the table's row until the transaction ends and answers its current version (a
     * multi-table commit takes every lock before its first CAS; an ordered append places its
     * version after it); 404 when the table is gone.
     */
    long lock(UUID tableId, String fullName) {
        return repository.lockVersion(tableId, fullName);
    }

    /**
     * Version {@code expected + 1}, validated against {@code before}: the rules that need stored
     * state, then the one compare-and-swap with every row, then the rows only some versions have.
     * Empty when the CAS found no row (the table is not at {@code expected} with that state) and
     * nothing was written.
     */
    private Optional<Written> write(
            TableState before,
            String fullName,
            long expected,
            long liveFiles,
            CommitActions actions,
            String operation,
            Instant now,
            JsonNode currentProtocol) {
        UUID id = before.tableId();
        long version = expected + 1;
        // the stored protocol and configuration, each read once for every rule that asks
        TableStateReads.Stored stored = reads.stored(id, currentProtocol);
        storedStateRules.check(stored, before.partitionKeys(), actions, liveFiles);
        if (actions.protocol() != null && expected >= 0) { // a new table has no protocol to downgrade
            ProtocolRules.checkNoDowngrade(actions.protocol(), stored.protocol());
        }
        // before a replaced file's remove lands: a recommitted file keeps the row ids of its live add
        actions = RowTracking.apply(actions, version, stored);
        List<String> removes = actions.removes().stream().map(RemoveFile::path).toList();
        long removedBefore = 0;
        long removedBeforeSize = 0;
        if (actions.addsAnyOf(removes)) {
            // the remove must land before the add: under the row lock, in a statement of its own (a
            // table that moved on fails the CAS below, and the transaction rolls the remove back)
            lock(id, fullName);
            List<Long> sizes = repository.removeFiles(id, version, removes);
            removedBefore = sizes.size();
            removedBeforeSize = sizes.stream().mapToLong(Long::longValue).sum();
            removes = List.of();
        }
        return write(
                append(
                        before,
                        fullName,
                        expected,
                        removes,
                        removedBefore,
                        removedBeforeSize,
                        actions,
                        operation,
                        now,
                        true),
                actions);
    }

    /** The compare-and-swap's input; the outboxes' request id is the calling thread's. */
    private Append append(
            TableState before,
            String fullName,
            long expected,
            List<String> removes,
            long removedBefore,
            long removedBeforeSize,
            CommitActions actions,
            String operation,
            Instant now,
            boolean rowIdsChecked) {
        String op = CommitInfos.operation(operation, actions.commitInfo());
        return new Append(
                before,
                fullName,
                expected,
                actions.metadata() == null ? null : partitions(actions.metadata()),
                actions.metadata() == null ? null : ColumnMapping.distinctPartitionKeys(actions.metadata()),
                actions.metadata() == null
                        ? null
                        : DeltaTableProperties.checkpointInterval(
                                actions.metadata().get("configuration")),
                removes,
                removedBefore,
                removedBeforeSize,
                actions.adds(),
                op,
                CommitInfos.ours(actions.commitInfo(), op, before.tableId()).toString(),
                // every action but commitInfo: APPEND puts commitInfo, with its timestamps, first
                "[" + String.join(",", actions.actions()) + "]",
                now,
                RequestIds.current(),
                IdempotentRequests.currentToken(),
                actions.lineageRunId(),
                actions.protocol() != null
                        && RowTracking.supported(actions.protocol().json()),
                rowIdsChecked);
    }

    /** The compare-and-swap with every row, then the rows only some versions have. */
    private Optional<Written> write(Append append, CommitActions actions) {
        UUID id = append.table().tableId();
        long version = append.expected() + 1;
        Optional<Appended> result = repository.append(append);
        if (result.isEmpty()) {
            return Optional.empty();
        }
        Appended appended = result.get();
        if (append.removedBefore() + appended.removed() != actions.removes().size()) {
            throw invalidAction("a remove names a file that is not active in version " + append.expected());
        }
        if (actions.metadata() != null) {
            repository.insertMetadata(id, version, actions.metadata().toString());
        }
        if (actions.protocol() != null) {
            repository.insertProtocol(id, version, actions.protocol().json().toString());
        }
        repository.insertTxns(id, version, actions.txns());
        repository.insertDomains(id, version, actions.domains());
        countOnceCommitted();
        return Optional.of(new Written(id, append.fullName(), version, appended.committedAt()));
    }

    /** metaData and protocol commits take the general path (they change what validation uses). */
    private static boolean fastPathApplies(List<JsonNode> actions) {
        return actions != null && actions.stream().noneMatch(a -> a == null || a.has("metaData") || a.has("protocol"));
    }

    /**
     * A plain commit by name (no metaData, no protocol) validated against the {@link TableStateCache}
     * instead of reading the table first, ready for {@link #write(PreparedCommit)} — alone or in a
     * {@link GroupCommit}. Empty when the stored state must decide: the fast path is off, the table's
     * state is not cached, the actions do not validate against it (it may be stale), or a rule needs
     * stored state. Reads and writes nothing.
     */
    Optional<PreparedCommit> prepareOnCachedState(
            String fullName, long expected, List<JsonNode> actions, String operation, Instant now) {
        TableState cached = stateCache.get(fullName);
        if (cached == null || !properties.fastPath() || !fastPathApplies(actions)) {
            return Optional.empty();
        }
        CommitActions parsed;
        try {
            parsed = ActionParser.parse(actions, cached);
        } catch (ApiException e) {
            return Optional.empty(); // judged against possibly stale state: let the stored state give the answer
        }
        if (parsed.removes().stream().anyMatch(RemoveFile::dataChange)) {
            return Optional.empty(); // delta.appendOnly is read from the stored state
        }
        if (parsed.deletionVectors()) {
            return Optional.empty(); // the deletionVectors feature is read from the stored protocol
        }
        List<String> removes = parsed.removes().stream().map(RemoveFile::path).toList();
        if (parsed.addsAnyOf(removes)) {
            return Optional.empty(); // its remove is written before the CAS: only against the stored state
        }
        return Optional.of(new PreparedCommit(
                append(cached, fullName, expected, removes, 0, 0, parsed, operation, now, false), parsed));
    }

    /**
     * Writes a prepared plain commit inside the caller's transaction. Empty when its CAS found no row
     * (the cached state was stale, or another version won) and nothing was written.
     */
    Optional<Written> write(PreparedCommit commit) {
        return write(commit.append(), commit.actions());
    }

    private void countOnceCommitted() {
        TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
            @Override
            public void afterCommit() {
                metrics.committed();
            }
        });
    }

    private static String[] partitions(ObjectNode metadata) {
        return ActionParser.stringList(metadata.get("partitionColumns"), "metaData.partitionColumns")
                .toArray(String[]::new);
    }
}
