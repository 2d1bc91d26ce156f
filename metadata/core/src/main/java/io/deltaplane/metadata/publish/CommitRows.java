package io.deltaplane.metadata.publish;

import static java.util.Objects.requireNonNull;

import io.deltaplane.metadata.deltalog.DeltaLogJson;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * Reads the committed versions that publishing writes to {@code _delta_log}: the rows of the
 * metadata core's {@code commits} table (with the ratified bytes of a catalog-managed commit, from
 * {@code catalog_commits}) for given version ranges of one table or of a round's tables. Read only:
 * the commit path is those tables' writer.
 */
@Repository
public class CommitRows {

    // The contract with the metadata core: commits(table_id, version, actions jsonb, …).
    static final String COMMITS_BETWEEN = """
            SELECT c.version, c.committed_at, c.actions::text AS actions, s.content AS ratified
            FROM commits c
            LEFT JOIN catalog_commits s ON s.table_id = c.table_id AND s.version = c.version
            WHERE c.table_id = :tableId AND c.version BETWEEN :from AND :to
            ORDER BY c.version
            """;

    // The versions a round's leased tables are to write, every table in one round trip. LATERAL
    // with a LIMIT, so that each range is a primary-key range scan of commits: as a plain join,
    // Postgres's cached generic plan hash-joined the ranges against a sequential scan of every
    // commit of every table (2,528 buffers for 2 versions of a 48,000-commit database; 5 now).
    static final String COMMITS_OF_TABLES = """
            SELECT b.table_id, c.version, c.committed_at, c.actions::text AS actions, c.ratified
            FROM unnest(CAST(:ids AS uuid[]), CAST(:froms AS bigint[]), CAST(:tos AS bigint[])) AS b(table_id, lo, hi)
            CROSS JOIN LATERAL (
                SELECT m.version, m.committed_at, m.actions, s.content AS ratified FROM commits m
                LEFT JOIN catalog_commits s ON s.table_id = m.table_id AND s.version = m.version
                WHERE m.table_id = b.table_id AND m.version BETWEEN b.lo AND b.hi
                ORDER BY m.version
                LIMIT :perTable) c
            ORDER BY b.table_id, c.version
            """;

    private final JdbcClient jdbc;

    public CommitRows(JdbcClient jdbc) {
        this.jdbc = requireNonNull(jdbc, "jdbc");
    }

    /** The committed rows of each range, by table, in version order. */
    public Map<UUID, List<CommitRow>> commits(List<VersionRange> ranges) {
        Map<UUID, List<CommitRow>> byTable = new HashMap<>();
        if (ranges.isEmpty()) {
            return byTable;
        }
        jdbc.sql(COMMITS_OF_TABLES)
                .param("ids", ranges.stream().map(VersionRange::tableId).toArray(UUID[]::new))
                .param("froms", ranges.stream().map(VersionRange::from).toArray(Long[]::new))
                .param("tos", ranges.stream().map(VersionRange::to).toArray(Long[]::new))
                .param(
                        "perTable",
                        ranges.stream()
                                .mapToLong(r -> r.to() - r.from() + 1)
                                .max()
                                .orElse(1))
                .query(rs -> {
                    byTable.computeIfAbsent(rs.getObject("table_id", UUID.class), id -> new ArrayList<>())
                            .add(commitRow(rs));
                });
        return byTable;
    }

    public List<CommitRow> commits(UUID tableId, long from, long to) {
        return jdbc.sql(COMMITS_BETWEEN)
                .param("tableId", tableId)
                .param("from", from)
                .param("to", to)
                .query((rs, n) -> commitRow(rs))
                .list();
    }

    private static CommitRow commitRow(java.sql.ResultSet rs) throws java.sql.SQLException {
        return new CommitRow(
                rs.getLong("version"),
                rs.getTimestamp("committed_at").toInstant(),
                rs.getString("actions"),
                rs.getBytes("ratified"));
    }

    /**
     * A committed version to publish. {@code ratified} holds the bytes of the staged commit an
     * engine wrote (a catalog-managed commit) as the catalog read and validated them, else null.
     */
    public record CommitRow(long version, Instant committedAt, String actionsJson, byte[] ratified) {

        /**
         * The bytes of {@code <version>.json}: a catalog-managed commit is published as the staged
         * bytes the catalog ratified (what the protocol calls publishing, and what an engine's own
         * publish writes), never re-read from the engine's file; every other version is rendered
         * from Postgres.
         */
        public byte[] content() {
            return ratified != null ? ratified : DeltaLogJson.render(actionsJson);
        }
    }

    /** Versions {@code from} to {@code to} of a table, both included. */
    public record VersionRange(UUID tableId, long from, long to) {}
}
