package io.deltaplane.metadata.commit;

import static java.util.Objects.requireNonNull;

import io.deltaplane.metadata.MetadataErrors;
import io.deltaplane.metadata.delta.ActionParser.TableState;
import io.deltaplane.metadata.delta.CommitActions.AddFile;
import io.deltaplane.metadata.delta.CommitActions.DomainMetadata;
import io.deltaplane.metadata.delta.CommitActions.Txn;
import io.deltaplane.metadata.table.TableRow;
import java.sql.Types;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * Every statement a commit writes with on the table-state tables ({@code tables}, {@code commits},
 * {@code files}, {@code metadata_versions}, {@code protocol_versions}, {@code app_txns}, {@code
 * domain_metadata}), and the one place where a constraint they trip becomes the client's error
 * ({@link #clientError}). No commit rules here: {@link CommitWriter} decides what to write; the
 * stored state it validates against is read by {@link TableStateReads}.
 */
@Repository
class CommitRepository {

    /**
     * Sets {@code deltaplane.adopting_from_log} for one transaction (APPEND's CAS reads it): the log
     * adoption of a restore check takes versions back from {@code _delta_log}, the one kind of
     * commit a table waiting for that check accepts.
     */
    static final String ADOPTING = "SELECT set_config('deltaplane.adopting_from_log', 'on', true)";

    // --- the one compare-and-swap: every version of every table is written by this statement ---

    // The live rows of table :id at the paths in :removes (the `files f` of an UPDATE), looked up one
    // path at a time by (table_id, path), then updated by row address and by nothing else. The
    // LATERAL ... LIMIT 1 fixes the order: unnest outside, the index inside. As a plain join of the
    // paths with `files` (or with any other condition on `f` an index could serve), Postgres's
    // cached generic plan could turn it round and walk every live file of the table on every commit:
    // it did when the plan was made while the statistics described a smaller table, and kept doing
    // it for the connection's lifetime (RemovedFilesLookupTest). With `path = ANY(...)` it always did.
    static final String LIVE_AT_PATHS = """
            f.ctid = ANY (ARRAY(SELECT live.ctid FROM unnest(CAST(:removes AS text[])) AS r(path)
                CROSS JOIN LATERAL (SELECT l.ctid FROM files l
                  WHERE l.table_id = :id AND l.path = r.path AND l.removed_version IS NULL LIMIT 1) live))""";

    // One round trip per version: the compare-and-swap on the table row (against the state the
    // actions were validated with: version and partition columns; a table that tracks row ids only
    // takes a commit whose row ids were checked against its stored state, never a fast-path one; a
    // request sent with an Idempotency-Key only while it still holds the key, locked until the
    // commit ends, so a retry that took the key over never lands the same commit twice), the removes, the
    // adds, the commit
    // row (commitInfo gets its in-commit timestamp from the CAS); appendStatement adds the version's
    // row in each CommitOutbox (their own CTEs) and the result. When the CAS finds no row (another
    // version won, the state changed, the table is gone) nothing is written. Removes find their rows
    // with LIVE_AT_PATHS.
    static final String REMOVED_AT_PATHS = "removed AS (UPDATE files f SET removed_version = :version WHERE "
            + LIVE_AT_PATHS + " AND EXISTS (SELECT 1 FROM cas) RETURNING f.size),";
    // A commit that removes nothing (most appends) says so to the planner: a generic plan of the
    // UPDATE above, cached by a connection while `files` was small, scans every file of every table
    // for the ctids (a sequential scan was cheaper then, and the plan stays): found by
    // TableAgeBenchmark, Postgres's share per commit growing 4.2 -> 25.9 ms from 100 to 10,000 versions.
    static final String NOTHING_REMOVED = "removed AS (SELECT CAST(NULL AS bigint) AS size WHERE false),";

    private static final String CAS_AND_PREVIOUS = """
            WITH cas AS (
              UPDATE tables SET current_version = current_version + 1,
                last_committed_at = GREATEST(:now, last_committed_at + interval '1 millisecond'), updated_at = :now,
                partition_columns = COALESCE(CAST(:newPartitions AS text[]), partition_columns),
                partition_keys = CASE WHEN CAST(:newMetadata AS boolean) THEN CAST(:newPartitionKeys AS text[])
                                      ELSE partition_keys END,
                row_tracking = row_tracking OR CAST(:rowTracking AS boolean)
              WHERE id = :id AND current_version = :expected AND partition_columns = CAST(:partitions AS text[])
                AND (NOT row_tracking OR CAST(:rowIdsChecked AS boolean))
                AND (NOT EXISTS (SELECT 1 FROM restore_checks r WHERE r.table_id = :id)
                     OR current_setting('deltaplane.adopting_from_log', true) = 'on')
                AND (CAST(:idempotencyToken AS uuid) IS NULL OR EXISTS (SELECT 1 FROM platform.idempotency_keys k
                     WHERE k.token = CAST(:idempotencyToken AS uuid) AND k.status IS NULL FOR NO KEY UPDATE))
              RETURNING id, last_committed_at),
            prev AS (SELECT COALESCE(max(num_files), 0) AS num_files, COALESCE(max(size_bytes), 0) AS size_bytes
              FROM commits WHERE table_id = :id AND version = :expected),
            """;
    private static final String ADDS_AND_COMMIT = """
            added AS (INSERT INTO files (table_id, path, added_version, size, action)
              SELECT cas.id, x.p, :version, x.s, x.a FROM cas,
                unnest(CAST(:paths AS text[]), CAST(:sizes AS bigint[]), CAST(:adds AS text[])) AS x(p, s, a)),
            ins AS (INSERT INTO commits (table_id, version, committed_at, operation, actions, num_files, size_bytes)
              SELECT cas.id, :version, cas.last_committed_at, :operation,
                jsonb_build_array(jsonb_build_object('commitInfo', CAST(:info AS jsonb)
                  || jsonb_build_object('timestamp', ms.v, 'inCommitTimestamp', ms.v))) || CAST(:rest AS jsonb),
                prev.num_files + :addCount - :removedBefore - (SELECT count(*) FROM removed),
                prev.size_bytes + :addSize - :removedBeforeSize - (SELECT COALESCE(sum(size), 0) FROM removed)
              FROM cas, prev,
                LATERAL (SELECT (extract(epoch FROM cas.last_committed_at) * 1000)::bigint AS v) ms
              RETURNING committed_at)""";

    /** The compare-and-swap and the version's rows, the removes as {@code removed} (one of the two above). */
    private static String append(String removed) {
        return CAS_AND_PREVIOUS + removed + "\n" + ADDS_AND_COMMIT;
    }

    static final String APPEND = append(REMOVED_AT_PATHS);

    /** What {@link #appendStatement} returns: the commit's time and how many files it removed. */
    static final String APPEND_RESULT = "\nSELECT (SELECT committed_at FROM ins), (SELECT count(*) FROM removed)";

    /** Locks a table row: multi-table transactions (every table first, in a fixed order), and a commit
     * that removes and re-adds a path before its removes land. The lock the compare-and-swap's UPDATE
     * takes (it changes no key), so it orders commits alike; not FOR UPDATE, which would also block
     * foreign-key checks of rows inserted elsewhere that reference the table (maintenance_state for
     * one) and deadlock with a statement that inserts them for many tables at once. */
    static final String LOCK_TABLE = "SELECT current_version FROM tables WHERE id = ? FOR NO KEY UPDATE";

    // --- the version's rows ---

    // A new table's row as it is before its first version: version 0 is then taken by APPEND, the
    // same compare-and-swap as every other version (-infinity: the CAS sets the first timestamp).
    static final String INSERT_TABLE = """
            INSERT INTO tables (id, catalog, schema, name, location, current_version,
              last_committed_at, partition_columns, comment, created_at, updated_at, managed, partition_keys)
            VALUES (?, ?, ?, ?, ?, -1, '-infinity', CAST(? AS text[]), ?, ?, ?, ?, CAST(? AS text[]))""";

    // A commit that removes a path and adds it again: the remove must land before APPEND's insert
    // (the CTEs of one statement run in no fixed order), under the table's row lock.
    static final String REMOVE_FILES =
            "UPDATE files f SET removed_version = :version WHERE " + LIVE_AT_PATHS + " RETURNING f.size";

    static final String INSERT_METADATA =
            "INSERT INTO metadata_versions (table_id, version, action) VALUES (?, ?, CAST(? AS jsonb))";

    static final String INSERT_PROTOCOL =
            "INSERT INTO protocol_versions (table_id, version, action) VALUES (?, ?, CAST(? AS jsonb))";

    static final String INSERT_TXN =
            "INSERT INTO app_txns (table_id, app_id, version, txn_version, last_updated) VALUES (?, ?, ?, ?, ?)";

    static final String INSERT_DOMAIN =
            "INSERT INTO domain_metadata (table_id, domain, version, configuration, removed) VALUES (?, ?, ?, ?, ?)";

    /**
     * One version for {@link #append}: the table state its actions were validated against, the
     * version it builds on, its rows, and the committing request's id (the outbox rows record it).
     *
     * @param newPartitions the partition columns a metaData action sets, or null
     * @param newPartitionKeys the partitionValues keys a metaData action sets where they are not the
     *     partition columns (column mapping's physical names), or null
     * @param checkpointInterval the checkpoint interval a metaData action sets ({@code
     *     delta.checkpointInterval}), or null for the configured one; only read when the version
     *     carries a metaData action ({@code newPartitions} is not null)
     * @param removedBefore files of this version already removed by {@link #removeFiles} (count, size)
     * @param rowTracking the version's protocol adds Delta's row tracking (the table keeps it)
     * @param rowIdsChecked its adds' row ids were checked, or assigned, against the stored state
     */
    record Append(
            TableState table,
            String fullName,
            long expected,
            String[] newPartitions,
            String[] newPartitionKeys,
            Integer checkpointInterval,
            List<String> removes,
            long removedBefore,
            long removedBeforeSize,
            List<AddFile> adds,
            String operation,
            String commitInfo,
            String otherActions,
            Instant now,
            String requestId,
            UUID idempotencyToken,
            UUID runId,
            boolean rowTracking,
            boolean rowIdsChecked) {}

    /** A version {@link #append} wrote: its in-commit timestamp and how many files it removed. */
    record Appended(Instant committedAt, long removed) {}

    private final JdbcClient jdbc;
    private final List<CommitOutbox> outboxes;
    private final CommittedVersionListeners listeners;
    private final String appendStatement;
    private final String appendOnlyStatement;

    CommitRepository(JdbcClient jdbc, List<CommitOutbox> outboxes, CommittedVersionListeners listeners) {
        this.jdbc = requireNonNull(jdbc, "jdbc");
        this.outboxes = List.copyOf(outboxes);
        this.listeners = requireNonNull(listeners, "listeners");
        this.appendStatement = appendStatement(this.outboxes, true);
        this.appendOnlyStatement = appendStatement(this.outboxes, false);
    }

    /**
     * {@link #APPEND}, then each outbox's rows, then {@link #APPEND_RESULT}: one statement, one round
     * trip; {@code removes} false: the same without touching {@code files} but to add
     * ({@link #NOTHING_REMOVED}).
     */
    static String appendStatement(List<CommitOutbox> outboxes, boolean removes) {
        StringBuilder sql = new StringBuilder(append(removes ? REMOVED_AT_PATHS : NOTHING_REMOVED));
        for (CommitOutbox outbox : outboxes) {
            sql.append(",\n").append(outbox.ctes());
        }
        return sql.append(APPEND_RESULT).toString();
    }

    /** Writes version {@code expected + 1}; empty when its CAS found no row and nothing was written. */
    Optional<Appended> append(Append commit) {
        AddRows adds = AddRows.of(commit.adds());
        long version = commit.expected() + 1;
        // one row always; its committed_at is null when the CAS found no row
        record Row(OffsetDateTime committedAt, long removed) {}
        Row row;
        try {
            row = jdbc.sql(commit.removes().isEmpty() ? appendOnlyStatement : appendStatement)
                    .param("now", utc(commit.now()))
                    .param("id", commit.table().tableId())
                    .param("expected", commit.expected())
                    .param("partitions", commit.table().partitionColumns().toArray(String[]::new))
                    .param("newPartitions", commit.newPartitions())
                    .param("newMetadata", commit.newPartitions() != null)
                    .param("newPartitionKeys", commit.newPartitionKeys())
                    .param("rowTracking", commit.rowTracking())
                    .param("rowIdsChecked", commit.rowIdsChecked())
                    .param("checkpointInterval", commit.checkpointInterval(), Types.INTEGER)
                    .param("version", version)
                    .param("removes", commit.removes().toArray(String[]::new))
                    .param("removedBefore", commit.removedBefore())
                    .param("removedBeforeSize", commit.removedBeforeSize())
                    .param("paths", adds.paths())
                    .param("sizes", adds.sizes())
                    .param("adds", adds.json())
                    .param("operation", commit.operation())
                    .param("info", commit.commitInfo())
                    .param("rest", commit.otherActions())
                    .param("addCount", (long) adds.paths().length)
                    .param("addSize", adds.totalSize())
                    .param("fullName", commit.fullName())
                    .param("location", commit.table().location())
                    .param("requestId", commit.requestId(), Types.VARCHAR)
                    .param(
                            "idempotencyToken",
                            commit.idempotencyToken() == null
                                    ? null
                                    : commit.idempotencyToken().toString(),
                            Types.VARCHAR)
                    .param(
                            "runId",
                            commit.runId() == null ? null : commit.runId().toString(),
                            Types.VARCHAR)
                    .param("outboxNow", utc(commit.now()))
                    .query((rs, n) -> new Row(rs.getObject(1, OffsetDateTime.class), rs.getLong(2)))
                    .single();
        } catch (DataIntegrityViolationException e) {
            throw clientError(e, commit.fullName(), version, null);
        }
        if (row.committedAt() == null) {
            return Optional.empty();
        }
        outboxes.forEach(CommitOutbox::written);
        listeners.tellAfterCommit(commit.table().tableId());
        return Optional.of(new Appended(row.committedAt().toInstant(), row.removed()));
    }

    /** This transaction adopts versions from a table's log: its commits pass the restore check's mark. */
    void adoptingFromTheLog() {
        jdbc.sql(ADOPTING).query(String.class).single();
    }

    /** Locks a table's row until the transaction ends; its current version, or 404. */
    long lockVersion(UUID tableId, String fullName) {
        return jdbc.sql(LOCK_TABLE)
                .param(tableId)
                .query(Long.class)
                .optional()
                .orElseThrow(() -> MetadataErrors.tableNotFound(fullName));
    }

    /** The table's row before its first version; 404 SCHEMA_NOT_FOUND or 409 ALREADY_EXISTS. */
    void insertTable(TableRow table, String[] partitions, String[] partitionKeys, Instant now) {
        try {
            jdbc.sql(INSERT_TABLE)
                    .params(
                            table.id(),
                            table.catalog(),
                            table.schema(),
                            table.name(),
                            table.location(),
                            partitions,
                            table.comment(),
                            utc(now),
                            utc(now),
                            table.managed(),
                            partitionKeys)
                    .update();
        } catch (DataIntegrityViolationException e) {
            throw clientError(e, table.fullName(), 0, table);
        }
    }

    /** Marks the live files at {@code paths} removed in {@code version}; the sizes of those found. */
    List<Long> removeFiles(UUID tableId, long version, List<String> paths) {
        return jdbc.sql(REMOVE_FILES)
                .param("version", version)
                .param("removes", paths.toArray(String[]::new))
                .param("id", tableId)
                .query(Long.class)
                .list();
    }

    void insertMetadata(UUID tableId, long version, String metadataJson) {
        jdbc.sql(INSERT_METADATA).params(tableId, version, metadataJson).update();
    }

    void insertProtocol(UUID tableId, long version, String protocolJson) {
        jdbc.sql(INSERT_PROTOCOL).params(tableId, version, protocolJson).update();
    }

    void insertTxns(UUID tableId, long version, List<Txn> txns) {
        for (Txn txn : txns) {
            jdbc.sql(INSERT_TXN)
                    .params(tableId, txn.appId(), version, txn.version(), txn.lastUpdated())
                    .update();
        }
    }

    void insertDomains(UUID tableId, long version, List<DomainMetadata> domains) {
        for (DomainMetadata domain : domains) {
            jdbc.sql(INSERT_DOMAIN)
                    .params(tableId, domain.domain(), version, domain.configuration(), domain.removed())
                    .update();
        }
    }

    /** A racing writer's version taken between our CAS and our insert, else what the constraint says. */
    private static RuntimeException clientError(
            DataIntegrityViolationException e, String fullName, long version, TableRow created) {
        if (CommitConstraints.COMMITS_PKEY.equals(CommitConstraints.constraint(e))) {
            return MetadataErrors.versionConflict(fullName, version - 1, version);
        }
        return CommitConstraints.clientError(e, fullName, created);
    }

    static OffsetDateTime utc(Instant instant) {
        // Millisecond precision: committed_at is then exactly the version's inCommitTimestamp, so
        // timestampAsOf(committed_at) lands on the version itself.
        return instant.truncatedTo(ChronoUnit.MILLIS).atOffset(ZoneOffset.UTC);
    }
}
