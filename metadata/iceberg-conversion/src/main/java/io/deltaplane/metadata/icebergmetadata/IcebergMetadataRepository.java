package io.deltaplane.metadata.icebergmetadata;

import static java.util.Objects.requireNonNull;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Consumer;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The one writer of {@code iceberg_tables}, {@code iceberg_snapshots} and {@code
 * iceberg_partition_specs}, and what the Iceberg
 * conversion reads of a table's Delta log: a version's commit (its actions, as ratified), the files
 * it removed (their add actions, with partition values and statistics), the live files at a version
 * (the backfill's first snapshot) and the metaData in force at a version.
 */
@Repository
class IcebergMetadataRepository {

    static final String STATE = "SELECT metadata_location, delta_version, last_error, failed_at FROM iceberg_tables"
            + " WHERE table_id = ?";
    // Claims (token, lease) tables an Iceberg client read since :readSince whose log is ahead of
    // their Iceberg metadata, not failed since :retryBefore and not claimed by a live lease, least
    // recently converted first; SKIP LOCKED: replicas' rounds at the same moment take other tables.
    static final String CLAIM_BEHIND = "UPDATE iceberg_tables c SET claim_token = ?, claimed_until = ?"
            + " WHERE c.table_id IN (SELECT i.table_id FROM iceberg_tables i JOIN tables t ON t.id = i.table_id"
            + " WHERE i.last_read_at >= ? AND t.current_version > coalesce(i.delta_version, -1)"
            + " AND (i.failed_at IS NULL OR i.failed_at < ?) AND (i.claimed_until IS NULL OR i.claimed_until < ?)"
            + " ORDER BY i.updated_at LIMIT ? FOR UPDATE OF i SKIP LOCKED) RETURNING c.table_id";
    static final String RELEASE = "UPDATE iceberg_tables SET claim_token = NULL, claimed_until = NULL"
            + " WHERE table_id = ? AND claim_token = ?";
    // At most one write a minute per table, however often it is loaded.
    static final String READ = "INSERT INTO iceberg_tables (table_id, updated_at, last_read_at) VALUES (?, ?, ?)"
            + " ON CONFLICT (table_id) DO UPDATE SET last_read_at = excluded.last_read_at"
            + " WHERE iceberg_tables.last_read_at IS NULL OR iceberg_tables.last_read_at < ?";
    static final String READ_SINCE = "SELECT table_id, last_read_at FROM iceberg_tables WHERE last_read_at >= ?";
    static final String CLAIM_FIRST =
            "INSERT INTO iceberg_tables (table_id, metadata_location, delta_version, updated_at)"
                    + " VALUES (?, ?, ?, ?) ON CONFLICT (table_id) DO UPDATE SET metadata_location = excluded.metadata_location,"
                    + " delta_version = excluded.delta_version, updated_at = excluded.updated_at, last_error = NULL, failed_at = NULL"
                    + " WHERE iceberg_tables.metadata_location IS NULL";
    static final String SWAP = "UPDATE iceberg_tables SET metadata_location = ?, delta_version = ?, updated_at = ?,"
            + " last_error = NULL, failed_at = NULL WHERE table_id = ? AND metadata_location = ?";
    static final String RECORD_SNAPSHOT = "INSERT INTO iceberg_snapshots (table_id, delta_version, snapshot_id)"
            + " VALUES (?, ?, ?) ON CONFLICT (table_id, delta_version) DO UPDATE SET snapshot_id = excluded.snapshot_id";
    // A spec change is recorded with the snapshot of the first version whose files it holds.
    static final String RECORD_SPEC = "INSERT INTO iceberg_partition_specs (table_id, delta_version, spec_id)"
            + " SELECT ?, ?, ? WHERE (SELECT spec_id FROM iceberg_partition_specs WHERE table_id = ?"
            + " ORDER BY delta_version DESC LIMIT 1) IS DISTINCT FROM ? ON CONFLICT (table_id, delta_version)"
            + " DO UPDATE SET spec_id = excluded.spec_id";
    static final String SPEC_HISTORY =
            "SELECT delta_version, spec_id FROM iceberg_partition_specs WHERE table_id = ? ORDER BY delta_version";
    static final String FAILED = "INSERT INTO iceberg_tables (table_id, updated_at, last_error, failed_at)"
            + " VALUES (?, ?, ?, ?) ON CONFLICT (table_id) DO UPDATE SET last_error = excluded.last_error,"
            + " failed_at = excluded.failed_at";
    static final String SNAPSHOT_OF_VERSION =
            "SELECT snapshot_id FROM iceberg_snapshots WHERE table_id = ? AND delta_version = ?";
    static final String VERSION_OF_SNAPSHOT =
            "SELECT delta_version FROM iceberg_snapshots WHERE table_id = ? AND snapshot_id = ?";
    static final String COMMITS = "SELECT version, committed_at, actions::text FROM commits"
            + " WHERE table_id = ? AND version BETWEEN ? AND ? ORDER BY version";
    static final String REMOVED_AT =
            "SELECT action, added_version FROM files WHERE table_id = ? AND removed_version = ?";
    static final String LIVE_AT = "SELECT action, added_version FROM files WHERE table_id = ? AND added_version <= ?"
            + " AND (removed_version IS NULL OR removed_version > ?)";
    static final String EARLIEST_VERSION = "SELECT version FROM commits WHERE table_id = ? ORDER BY version LIMIT 1";
    // Snapshots of Delta versions older than the history Postgres keeps (pruned by its retention).
    static final String SNAPSHOTS_BEFORE_HISTORY = "SELECT snapshot_id FROM iceberg_snapshots WHERE table_id = ?"
            + " AND delta_version < (SELECT min(version) FROM commits WHERE table_id = ?)";
    static final String FORGET_SNAPSHOTS = "DELETE FROM iceberg_snapshots WHERE table_id = ? AND snapshot_id = ANY (?)";
    static final String PROTOCOL_AT = "SELECT action::text FROM protocol_versions WHERE table_id = ? AND version <= ?"
            + " ORDER BY version DESC LIMIT 1";
    static final String METADATA_AT = "SELECT action::text FROM metadata_versions WHERE table_id = ? AND version <= ?"
            + " ORDER BY version DESC LIMIT 1";

    /** Where a table's Iceberg metadata is, the Delta version it reflects, and the last failure. */
    record State(
            Optional<String> metadataLocation,
            long deltaVersion,
            Optional<String> lastError,
            Optional<Instant> failedAt) {}

    /** A file's add action (JSON) and the Delta version that added it. */
    record FileRow(String add, long addedVersion) {}

    /** A Delta version as ratified: its commit time and its actions (a JSON array). */
    record DeltaCommit(long version, Instant committedAt, String actions) {}

    private final JdbcClient jdbc;
    private final TransactionTemplate transaction;
    private final Clock clock;

    IcebergMetadataRepository(JdbcClient jdbc, PlatformTransactionManager transactions, Clock clock) {
        this.jdbc = requireNonNull(jdbc, "jdbc");
        this.transaction = new TransactionTemplate(requireNonNull(transactions, "transactions"));
        this.clock = requireNonNull(clock, "clock");
    }

    Optional<State> state(UUID tableId) {
        return jdbc.sql(STATE)
                .param(tableId)
                .query((rs, n) -> new State(
                        Optional.ofNullable(rs.getString(1)),
                        rs.getObject(2) == null ? -1 : rs.getLong(2),
                        Optional.ofNullable(rs.getString(3)),
                        Optional.ofNullable(rs.getObject(4, OffsetDateTime.class))
                                .map(OffsetDateTime::toInstant)))
                .optional();
    }

    /**
     * Claims up to {@code limit} tables read since {@code readSince} whose Iceberg metadata is behind
     * their log, for {@code lease} under {@code token}: no other replica's round takes them until
     * {@link #release} or the lease ends.
     */
    List<UUID> claimBehind(UUID token, Duration lease, Instant readSince, Instant retryBefore, int limit) {
        Instant now = clock.instant();
        return jdbc.sql(CLAIM_BEHIND)
                .params(
                        token,
                        Timestamp.from(now.plus(lease)),
                        Timestamp.from(readSince),
                        Timestamp.from(retryBefore),
                        Timestamp.from(now),
                        limit)
                .query(UUID.class)
                .list();
    }

    /** Gives the claim {@code token} holds on the table back. */
    void release(UUID tableId, UUID token) {
        jdbc.sql(RELEASE).params(tableId, token).update();
    }

    /** A snapshot a conversion added: the Delta version it reflects, its id, the spec its files were added under. */
    record NewSnapshot(long deltaVersion, long snapshotId, int specId) {}

    /**
     * Points the table at {@code newLocation} if it still points at {@code expected} (null: at
     * nothing yet), reflecting {@code deltaVersion}, and records the snapshots it added (a
     * conversion adds the snapshots of several Delta versions in one metadata file) with the specs
     * their files were added under; false if another converter moved it first.
     */
    boolean swap(UUID tableId, String expected, String newLocation, long deltaVersion, List<NewSnapshot> added) {
        Timestamp now = Timestamp.from(clock.instant());
        return Boolean.TRUE.equals(transaction.execute(status -> {
            int changed = expected == null
                    ? jdbc.sql(CLAIM_FIRST)
                            .params(tableId, newLocation, deltaVersion, now)
                            .update()
                    : jdbc.sql(SWAP)
                            .params(newLocation, deltaVersion, now, tableId, expected)
                            .update();
            if (changed == 1) {
                for (NewSnapshot snapshot : added) {
                    jdbc.sql(RECORD_SNAPSHOT)
                            .params(tableId, snapshot.deltaVersion(), snapshot.snapshotId())
                            .update();
                    jdbc.sql(RECORD_SPEC)
                            .params(tableId, snapshot.deltaVersion(), snapshot.specId(), tableId, snapshot.specId())
                            .update();
                }
            }
            return changed == 1;
        }));
    }

    /** Delta version → the spec id Iceberg snapshots added files under from that version on. */
    java.util.NavigableMap<Long, Integer> specHistory(UUID tableId) {
        java.util.NavigableMap<Long, Integer> history = new java.util.TreeMap<>();
        jdbc.sql(SPEC_HISTORY).param(tableId).query(rs -> {
            history.put(rs.getLong(1), rs.getInt(2));
        });
        return history;
    }

    /** Records that an Iceberg client loaded the table (at most once a minute). */
    void read(UUID tableId) {
        Instant now = clock.instant();
        jdbc.sql(READ)
                .params(tableId, Timestamp.from(now), Timestamp.from(now), Timestamp.from(now.minusSeconds(60)))
                .update();
    }

    /** The tables whose last recorded Iceberg load is at or after {@code since}, and when. */
    java.util.Map<UUID, Instant> readSince(Instant since) {
        java.util.Map<UUID, Instant> read = new java.util.HashMap<>();
        jdbc.sql(READ_SINCE).param(Timestamp.from(since)).query(rs -> {
            read.put(
                    rs.getObject(1, UUID.class),
                    rs.getObject(2, OffsetDateTime.class).toInstant());
        });
        return read;
    }

    void failed(UUID tableId, String error) {
        Timestamp now = Timestamp.from(clock.instant());
        jdbc.sql(FAILED).params(tableId, now, error, now).update();
    }

    Optional<Long> snapshotOf(UUID tableId, long deltaVersion) {
        return jdbc.sql(SNAPSHOT_OF_VERSION)
                .params(tableId, deltaVersion)
                .query(Long.class)
                .optional();
    }

    Optional<Long> versionOf(UUID tableId, long snapshotId) {
        return jdbc.sql(VERSION_OF_SNAPSHOT)
                .params(tableId, snapshotId)
                .query(Long.class)
                .optional();
    }

    List<DeltaCommit> commits(UUID tableId, long from, long to) {
        return jdbc.sql(COMMITS)
                .params(tableId, from, to)
                .query((rs, n) -> new DeltaCommit(
                        rs.getLong(1), rs.getObject(2, OffsetDateTime.class).toInstant(), rs.getString(3)))
                .list();
    }

    List<FileRow> removedAt(UUID tableId, long version) {
        return jdbc.sql(REMOVED_AT)
                .params(tableId, version)
                .query((rs, n) -> new FileRow(rs.getString(1), rs.getLong(2)))
                .list();
    }

    void liveAt(UUID tableId, long version, Consumer<FileRow> file) {
        jdbc.sql(LIVE_AT).params(tableId, version, version).query(rs -> {
            file.accept(new FileRow(rs.getString(1), rs.getLong(2)));
        });
    }

    List<Long> snapshotsBeforeHistory(UUID tableId) {
        return jdbc.sql(SNAPSHOTS_BEFORE_HISTORY)
                .params(tableId, tableId)
                .query(Long.class)
                .list();
    }

    void forgetSnapshots(UUID tableId, List<Long> snapshotIds) {
        jdbc.sql(FORGET_SNAPSHOTS)
                .params(tableId, snapshotIds.toArray(Long[]::new))
                .update();
    }

    Optional<String> protocolAt(UUID tableId, long version) {
        return jdbc.sql(PROTOCOL_AT)
                .params(tableId, version)
                .query(String.class)
                .optional();
    }

    Optional<Long> earliestVersion(UUID tableId) {
        return jdbc.sql(EARLIEST_VERSION).param(tableId).query(Long.class).optional();
    }

    Optional<String> metadataAt(UUID tableId, long version) {
        return jdbc.sql(METADATA_AT)
                .params(tableId, version)
                .query(String.class)
                .optional();
    }
}
