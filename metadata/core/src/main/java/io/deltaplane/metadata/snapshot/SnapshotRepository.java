package io.deltaplane.metadata.snapshot;

import static java.util.Objects.requireNonNull;

import io.deltaplane.metadata.delta.ChangeDataFeed;
import io.deltaplane.metadata.table.TableRow;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import javax.sql.DataSource;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Reads any version's state with indexed queries: a file is live at v when {@code added_version <=
 * v and (removed_version is null or removed_version > v)}; metaData, protocol, txn and domain rows
 * are the newest at or before v. No log replay.
 *
 * <p>The reads touch what they return, not the table's history: the latest txn per app is a loose
 * index scan of app_txns' primary key (table_id, app_id, version) — the next app_id, then its
 * newest version at or before v, two index entries per app — where DISTINCT ON read every txn row
 * (one per commit of a streaming writer); the latest version's files page walks the live-path
 * index instead of every removed file before the page, and so does the latest version's NDJSON
 * stream instead of every removed file of the table (AppTxnsLookupTest, LiveFilesPageLookupTest,
 * StreamFilesLookupTest).
 */
@Repository
public class SnapshotRepository {

    static final String SNAPSHOT = "SELECT c.version, c.committed_at, c.num_files, c.size_bytes,"
            + " (SELECT p.action::text FROM protocol_versions p WHERE p.table_id = c.table_id AND p.version <= c.version"
            + "  ORDER BY p.version DESC LIMIT 1),"
            + " (SELECT m.action::text FROM metadata_versions m WHERE m.table_id = c.table_id AND m.version <= c.version"
            + "  ORDER BY m.version DESC LIMIT 1),"
            + " (WITH RECURSIVE apps AS ("
            + "   (SELECT a.app_id FROM app_txns a WHERE a.table_id = c.table_id ORDER BY a.app_id LIMIT 1)"
            + "   UNION ALL"
            + "   SELECT (SELECT n.app_id FROM app_txns n WHERE n.table_id = c.table_id AND n.app_id > apps.app_id"
            + "           ORDER BY n.app_id LIMIT 1)"
            + "   FROM apps WHERE apps.app_id IS NOT NULL)"
            + "  SELECT COALESCE(jsonb_object_agg(apps.app_id, x.txn_version), '{}'::jsonb)::text FROM apps"
            + "  CROSS JOIN LATERAL (SELECT a.txn_version FROM app_txns a WHERE a.table_id = c.table_id"
            + "   AND a.app_id = apps.app_id AND a.version <= c.version ORDER BY a.version DESC LIMIT 1) x),"
            + " (SELECT COALESCE(jsonb_agg(jsonb_build_object('domain', d.domain, 'configuration', d.configuration,"
            + "   'removed', false) ORDER BY d.domain), '[]'::jsonb)::text FROM"
            + "  (SELECT DISTINCT ON (dm.domain) dm.domain, dm.configuration, dm.removed FROM domain_metadata dm"
            + "   WHERE dm.table_id = c.table_id AND dm.version <= c.version ORDER BY dm.domain, dm.version DESC) d"
            + "  WHERE NOT d.removed)"
            + " FROM commits c WHERE c.table_id = ? AND c.version = ?";
    static final String VERSION_AT = "SELECT version FROM commits WHERE table_id = ? AND committed_at <= ?"
            + " ORDER BY committed_at DESC LIMIT 1";
    static final String COMMITTED_AT = "SELECT committed_at FROM commits WHERE table_id = ? AND version = ?";
    static final String LIVE_FILES = "SELECT path, action FROM files WHERE table_id = ? AND added_version <= ?"
            + " AND (removed_version IS NULL OR removed_version > ?) AND path > ? ORDER BY path LIMIT ?";
    // The page at the table's current version: the live rows are exactly removed_version IS NULL,
    // and files_live_path lists them in path order, so the page reads its own rows and no removed
    // ones (LIVE_FILES, with its added/removed bounds, walked the primary key through every removed
    // file before the page). The tables row guards the race with a commit after the caller read the
    // version: in this statement's one snapshot, current_version = ? means the files are those of
    // that version; no row at all (not even the LEFT JOIN's null one) means it moved on.
    static final String LIVE_FILES_LATEST = "SELECT f.path, f.action FROM tables t LEFT JOIN LATERAL"
            + " (SELECT path, action FROM files WHERE table_id = t.id AND removed_version IS NULL AND path > ?"
            + "  ORDER BY path LIMIT ?) f ON true"
            + " WHERE t.id = ? AND t.current_version = ?";
    // Every live add at :version. At the table's current version the live rows are exactly
    // removed_version IS NULL, which files_live_path lists without a removed row; any other version
    // needs the added/removed bounds, which walk every removed file of the table too. Which one
    // applies is decided inside the statement, not by reading the table's version first: the gate
    // (tables.current_version = :version, run once before the rows as an InitPlan, the branch not
    // taken skipped) and the files are read in the statement's one snapshot, so a commit landing
    // after the caller resolved the version only turns the gate off and the general branch serves
    // that version — no second round trip, no REPEATABLE READ, no fallback (StreamFilesLookupTest).
    static final String STREAM_FILES = """
            SELECT action FROM files
            WHERE table_id = :tableId AND removed_version IS NULL
              AND EXISTS (SELECT 1 FROM tables WHERE id = :tableId AND current_version = :version)
            UNION ALL
            SELECT action FROM files
            WHERE table_id = :tableId AND added_version <= :version
              AND (removed_version IS NULL OR removed_version > :version)
              AND NOT EXISTS (SELECT 1 FROM tables WHERE id = :tableId AND current_version = :version)
            """;
    static final String HISTORY = "SELECT version, committed_at, operation, (actions -> 0 -> 'commitInfo')::text"
            + " FROM commits WHERE table_id = ? AND version <= ? ORDER BY version DESC LIMIT ?";
    static final String CHANGES = "SELECT version, committed_at, operation, actions::text FROM commits"
            + " WHERE table_id = ? AND version BETWEEN ? AND ? ORDER BY version LIMIT ?";

    /** One live file: its path (the paging key) and its add action's JSON. */
    public record LiveFile(String path, String action) {}

    private static final int STREAM_FETCH_SIZE = 5_000;

    private final JdbcClient jdbc;
    private final NamedParameterJdbcTemplate streaming;
    private final TransactionTemplate readOnly;
    private final TransactionTemplate oneSnapshot;

    public SnapshotRepository(JdbcClient jdbc, DataSource dataSource, PlatformTransactionManager transactions) {
        this.jdbc = requireNonNull(jdbc, "jdbc");
        JdbcTemplate cursor = new JdbcTemplate(requireNonNull(dataSource, "dataSource"));
        cursor.setFetchSize(STREAM_FETCH_SIZE);
        this.streaming = new NamedParameterJdbcTemplate(cursor);
        this.readOnly = new TransactionTemplate(requireNonNull(transactions, "transactions"));
        this.readOnly.setReadOnly(true);
        // one snapshot for the whole transaction: a check before the stream sees what the stream sees
        this.oneSnapshot = new TransactionTemplate(transactions);
        this.oneSnapshot.setReadOnly(true);
        this.oneSnapshot.setIsolationLevel(TransactionDefinition.ISOLATION_REPEATABLE_READ);
    }

    public Optional<SnapshotResponse> snapshot(TableRow table, long version) {
        return jdbc.sql(SNAPSHOT)
                .params(table.id(), version)
                .query((rs, n) -> new SnapshotResponse(
                        table.id(),
                        table.fullName(),
                        table.location(),
                        rs.getLong(1),
                        rs.getObject(2, OffsetDateTime.class).toInstant(),
                        rs.getString(5),
                        rs.getString(6),
                        rs.getLong(3),
                        rs.getLong(4),
                        rs.getString(7),
                        rs.getString(8)))
                .optional();
    }

    /** The latest version committed at or before {@code timestamp}. */
    public Optional<Long> versionAt(UUID tableId, Instant timestamp) {
        return jdbc.sql(VERSION_AT)
                .params(tableId, timestamp.atOffset(ZoneOffset.UTC))
                .query(Long.class)
                .optional();
    }

    /** When {@code version} was committed, if Postgres keeps it. */
    public Optional<Instant> committedAt(UUID tableId, long version) {
        return jdbc.sql(COMMITTED_AT)
                .params(tableId, version)
                .query((rs, n) -> rs.getObject(1, OffsetDateTime.class).toInstant())
                .optional();
    }

    /**
     * Up to {@code limit} files live at {@code version}, in path order after {@code afterPath}.
     * {@code currentVersion} is the table's version as the caller read it: when they are equal, the
     * live-path index serves the page (see {@link #LIVE_FILES_LATEST}).
     */
    public List<LiveFile> files(UUID tableId, long version, long currentVersion, String afterPath, int limit) {
        if (version == currentVersion) {
            List<Optional<LiveFile>> latest = jdbc.sql(LIVE_FILES_LATEST)
                    .params(afterPath, limit, tableId, version)
                    .query((rs, n) -> {
                        // the LEFT JOIN's one row of nulls: the version is current, the page empty
                        String path = rs.getString(1);
                        return path == null
                                ? Optional.<LiveFile>empty()
                                : Optional.of(new LiveFile(path, rs.getString(2)));
                    })
                    .list();
            if (!latest.isEmpty()) { // else a commit came in between: the version is history now
                return latest.stream().flatMap(Optional::stream).toList();
            }
        }
        return jdbc.sql(LIVE_FILES)
                .params(tableId, version, version, afterPath, limit)
                .query((rs, n) -> new LiveFile(rs.getString(1), rs.getString(2)))
                .list();
    }

    /**
     * Streams every live add at {@code version} to {@code out}, one JSON object per line, from a
     * server-side cursor (a read-only transaction with a fetch size), never holding the list. At
     * the table's current version the live-path index serves it (see {@link #STREAM_FILES}).
     */
    public long streamFiles(UUID tableId, long version, OutputStream out) {
        return stream(readOnly, tableId, version, () -> {}, out);
    }

    /**
     * As {@link #streamFiles(UUID, long, OutputStream)}, with {@code check} run first in the same
     * snapshot (REPEATABLE READ): what it reads is what the stream reads, so a check that the
     * version is still kept holds for every line (history pruning deletes in a later transaction
     * than the one recording it). A check that throws leaves {@code out} untouched.
     */
    public long streamFiles(UUID tableId, long version, Runnable check, OutputStream out) {
        return stream(oneSnapshot, tableId, version, check, out);
    }

    private long stream(TransactionTemplate tx, UUID tableId, long version, Runnable check, OutputStream out) {
        long[] count = {0};
        tx.executeWithoutResult(status -> {
            check.run();
            streaming.query(STREAM_FILES, Map.of("tableId", tableId, "version", version), rs -> {
                try {
                    // the text column's bytes as the server sent them (UTF-8): no String round trip
                    out.write(rs.getBytes(1));
                    out.write('\n');
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
                count[0]++;
            });
        });
        return count[0];
    }

    public List<HistoryResponse.Entry> history(UUID tableId, long fromVersion, int limit) {
        return jdbc.sql(HISTORY)
                .params(tableId, fromVersion, limit)
                .query((rs, n) -> new HistoryResponse.Entry(
                        rs.getLong(1),
                        rs.getObject(2, OffsetDateTime.class).toInstant(),
                        rs.getString(3),
                        rs.getString(4)))
                .list();
    }

    public List<ChangesResponse.Change> changes(UUID tableId, long from, long to, int limit) {
        return jdbc.sql(CHANGES)
                .params(tableId, from, to, limit)
                .query((rs, n) -> new ChangesResponse.Change(
                        rs.getLong(1),
                        rs.getObject(2, OffsetDateTime.class).toInstant(),
                        rs.getString(3),
                        rs.getString(4),
                        ChangeDataFeed.changeFiles(rs.getString(4))))
                .list();
    }
}
