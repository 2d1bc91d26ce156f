package io.deltaplane.metadata.health;

import static java.util.Objects.requireNonNull;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** The one writer of {@code health_incidents}: opens, updates and resolves; and its reads. */
@Repository
class IncidentLog {

    static final String KIND_LATE = "TABLE_LATE";

    private static final String COLUMNS = "id, table_name, kind, status, opened_at, updated_at, resolved_at,"
            + " last_data_commit_at, staleness_seconds, allowed_silence_seconds, expectation, cause, affected";

    static final String OPEN_OF_TABLE =
            "SELECT " + COLUMNS + " FROM health_incidents WHERE table_id = ? AND kind = ? AND status = 'OPEN'";

    /** Opens one, unless one is open for the table and kind already (the unique index decides). */
    static final String OPEN = "INSERT INTO health_incidents (id, table_id, table_name, catalog, kind, status,"
            + " opened_at, updated_at, last_data_commit_at, staleness_seconds, allowed_silence_seconds, expectation,"
            + " cause, affected) VALUES (?, ?, ?, ?, ?, 'OPEN', ?, ?, ?, ?, ?, ?, ?, CAST(? AS text[]))"
            + " ON CONFLICT (table_id, kind) WHERE status = 'OPEN' DO NOTHING";

    /**
     * The open incident listing a table as affected: one of its {@code affected} paths ends with
     * {@code → <table>}. Open incidents are few; their paths are read, not indexed.
     */
    static final String OPEN_AFFECTING = "SELECT " + COLUMNS + " FROM health_incidents WHERE kind = ?"
            + " AND status = 'OPEN' AND EXISTS (SELECT 1 FROM unnest(affected) a WHERE right(a, ?) = ?)"
            + " ORDER BY opened_at, id LIMIT 1";

    static final String OPEN_TABLES = "SELECT table_id FROM health_incidents WHERE kind = ? AND status = 'OPEN'";

    static final String GET = "SELECT " + COLUMNS + " FROM health_incidents WHERE id = ?";

    static final String UPDATE = "UPDATE health_incidents SET updated_at = ?, last_data_commit_at = ?,"
            + " staleness_seconds = ?, allowed_silence_seconds = ?, expectation = ?, cause = ?,"
            + " affected = CAST(? AS text[]) WHERE id = ? AND status = 'OPEN'";

    static final String RESOLVE = "UPDATE health_incidents SET status = 'RESOLVED', updated_at = ?, resolved_at = ?,"
            + " last_data_commit_at = ? WHERE id = ? AND status = 'OPEN'";

    /**
     * Newest first after a cursor ({@code opened_at|id}), filtered by status and catalog (null: any);
     * the caller filters by what the reader may see.
     */
    static final String LIST = "SELECT " + COLUMNS + " FROM health_incidents"
            + " WHERE (CAST(? AS text) IS NULL OR status = ?) AND (CAST(? AS text) IS NULL OR catalog = ?)"
            + " AND (CAST(? AS timestamptz) IS NULL OR (opened_at, id) < (CAST(? AS timestamptz), CAST(? AS uuid)))"
            + " ORDER BY opened_at DESC, id DESC LIMIT ?";

    private final JdbcClient jdbc;

    IncidentLog(JdbcClient jdbc) {
        this.jdbc = requireNonNull(jdbc, "jdbc");
    }

    Optional<Incident> openOf(UUID tableId, String kind) {
        return jdbc.sql(OPEN_OF_TABLE)
                .params(tableId, kind)
                .query(IncidentLog::row)
                .optional();
    }

    /** The open incident of {@code kind} that lists {@code table} as affected, and the path it gives. */
    Optional<Incident> openAffecting(String table, String kind) {
        String suffix = UpstreamCause.STEP + table;
        return jdbc.sql(OPEN_AFFECTING)
                .params(kind, suffix.codePointCount(0, suffix.length()), suffix)
                .query(IncidentLog::row)
                .optional();
    }

    /** The tables with an open incident of {@code kind}. */
    java.util.Set<UUID> openTables(String kind) {
        return new java.util.HashSet<>(
                jdbc.sql(OPEN_TABLES).param(kind).query(UUID.class).list());
    }

    /** Whether this call opened it (false: one was open already). */
    boolean open(
            UUID id,
            UUID tableId,
            String table,
            String catalog,
            TableHealth health,
            String expectation,
            String cause,
            List<String> affected) {
        Instant at = health.evaluatedAt();
        return jdbc.sql(OPEN)
                        .params(
                                id,
                                tableId,
                                table,
                                catalog,
                                KIND_LATE,
                                Timestamp.from(at),
                                Timestamp.from(at),
                                timestamp(health.lastDataCommitAt()),
                                health.stalenessSeconds(),
                                health.freshness().allowedSilenceSeconds(),
                                expectation,
                                cause,
                                affected.toArray(String[]::new))
                        .update()
                == 1;
    }

    void update(UUID id, TableHealth health, String expectation, String cause, List<String> affected) {
        jdbc.sql(UPDATE)
                .params(
                        Timestamp.from(health.evaluatedAt()),
                        timestamp(health.lastDataCommitAt()),
                        health.stalenessSeconds(),
                        health.freshness().allowedSilenceSeconds(),
                        expectation,
                        cause,
                        affected.toArray(String[]::new),
                        id)
                .update();
    }

    /** Whether this call resolved it (false: it was resolved already). */
    boolean resolve(UUID id, Instant at, Instant lastDataCommitAt) {
        return jdbc.sql(RESOLVE)
                        .params(Timestamp.from(at), Timestamp.from(at), timestamp(lastDataCommitAt), id)
                        .update()
                == 1;
    }

    List<Incident> list(String status, String catalog, Instant beforeOpenedAt, UUID beforeId, int limit) {
        Timestamp before = timestamp(beforeOpenedAt);
        return jdbc.sql(LIST)
                .params(status, status, catalog, catalog, before, before, beforeId, limit)
                .query(IncidentLog::row)
                .list();
    }

    Optional<Incident> get(UUID id) {
        return jdbc.sql(GET).param(id).query(IncidentLog::row).optional();
    }

    private static Timestamp timestamp(Instant at) {
        return at == null ? null : Timestamp.from(at);
    }

    private static Instant instant(ResultSet rs, int column) throws SQLException {
        Timestamp t = rs.getTimestamp(column);
        return t == null ? null : t.toInstant();
    }

    private static Incident row(ResultSet rs, int n) throws SQLException {
        return new Incident(
                rs.getObject(1, UUID.class),
                rs.getString(2),
                rs.getString(3),
                rs.getString(4),
                instant(rs, 5),
                instant(rs, 6),
                instant(rs, 7),
                instant(rs, 8),
                rs.getLong(9),
                rs.getLong(10),
                rs.getString(11),
                rs.getString(12),
                List.of((String[]) rs.getArray(13).getArray()));
    }
}
