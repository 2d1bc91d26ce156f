package io.deltaplane.metadata.commit;

import static java.util.Objects.requireNonNull;

import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * Deletes what no version from a table's history start on reads, from the tables the commit path
 * writes (their only deletes besides a dropped table's cascade). A version {@code v >= start} is
 * read from: its own commit row; the files added at or before it and not removed at or before it;
 * the newest metaData and protocol at or before it; per app and per domain the newest txn and
 * domainMetadata row at or before it. So what goes is: the commits before the start, the files
 * removed before it, and per kind (per app, per domain) every row older than the one in force at
 * the start. The caller records the start first ({@code publish.HistoryStart}) and runs this in one
 * transaction, so a statement sees a pruned version's rows either all there or all gone.
 */
@Repository
public class HistoryRows {

    static final String COMMITS = "DELETE FROM commits WHERE table_id = :tableId AND version < :start";

    /** A file removed before the start is live at no version from it on (files_removed serves it). */
    static final String FILES = "DELETE FROM files WHERE table_id = :tableId"
            + " AND removed_version IS NOT NULL AND removed_version < :start";

    /** Everything older than the metaData in force at the start. */
    static final String METADATA = "DELETE FROM metadata_versions WHERE table_id = :tableId AND version <"
            + " (SELECT max(m.version) FROM metadata_versions m WHERE m.table_id = :tableId AND m.version <= :start)";

    static final String PROTOCOLS = "DELETE FROM protocol_versions WHERE table_id = :tableId AND version <"
            + " (SELECT max(p.version) FROM protocol_versions p WHERE p.table_id = :tableId AND p.version <= :start)";

    /** Per app, the rows before a newer one at or before the start: the one in force there stays. */
    static final String APP_TXNS = """
            DELETE FROM app_txns a WHERE a.table_id = :tableId AND a.version < :start
              AND EXISTS (SELECT 1 FROM app_txns n WHERE n.table_id = a.table_id AND n.app_id = a.app_id
                          AND n.version > a.version AND n.version <= :start)
            """;

    /** Per domain, as for apps (a removal in force at the start stays: it hides nothing older now). */
    static final String DOMAINS = """
            DELETE FROM domain_metadata d WHERE d.table_id = :tableId AND d.version < :start
              AND EXISTS (SELECT 1 FROM domain_metadata n WHERE n.table_id = d.table_id AND n.domain = d.domain
                          AND n.version > d.version AND n.version <= :start)
            """;

    /** The rows deleted, per table. */
    public record Deleted(long commits, long files, long metadata, long protocols, long appTxns, long domains) {

        public static final Deleted NONE = new Deleted(0, 0, 0, 0, 0, 0);
    }

    private final JdbcClient jdbc;

    public HistoryRows(JdbcClient jdbc) {
        this.jdbc = requireNonNull(jdbc, "jdbc");
    }

    /** Deletes the table's rows that no version from {@code start} on reads; in the caller's transaction. */
    public Deleted deleteBefore(UUID tableId, long start) {
        return new Deleted(
                delete(COMMITS, tableId, start),
                delete(FILES, tableId, start),
                delete(METADATA, tableId, start),
                delete(PROTOCOLS, tableId, start),
                delete(APP_TXNS, tableId, start),
                delete(DOMAINS, tableId, start));
    }

    private long delete(String statement, UUID tableId, long start) {
        return jdbc.sql(statement)
                .param("tableId", tableId)
                .param("start", start)
                .update();
    }
}
