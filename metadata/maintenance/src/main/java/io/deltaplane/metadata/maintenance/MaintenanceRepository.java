package io.deltaplane.metadata.maintenance;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** The one writer of {@code maintenance_state}: which tables are due, their leases, their last runs. */
@Repository
class MaintenanceRepository {

    /** Every table gets its row the first time a round looks (tables made since the last round). */
    static final String TRACK_NEW_TABLES = """
            INSERT INTO maintenance_state (table_id)
            SELECT t.id FROM tables t
            WHERE NOT EXISTS (SELECT 1 FROM maintenance_state m WHERE m.table_id = t.id)
            ON CONFLICT DO NOTHING
            """;

    /**
     * Leases up to {@code :limit} tables that are due: committed to since the last round looked, or
     * not vacuumed for their policy's interval (as of the last look; else {@code :vacuumSeconds}).
     * Replicas skip each other's rows (SKIP LOCKED) and leases (a crashed replica's lease runs out).
     * Answers how long ago each was vacuumed: the worker decides with the policy as it is now.
     */
    static final String CLAIM = """
            UPDATE maintenance_state s SET lease_until = now() + make_interval(secs => :leaseSeconds),
                lease_token = gen_random_uuid()
            WHERE s.table_id IN (
                SELECT m.table_id FROM maintenance_state m JOIN tables t ON t.id = m.table_id
                WHERE (m.lease_until IS NULL OR m.lease_until < now())
                  AND (CAST(:only AS uuid) IS NULL OR m.table_id = CAST(:only AS uuid))
                  AND (m.checked_version < t.current_version
                       OR m.last_vacuum_at IS NULL
                       OR m.last_vacuum_at < now() - make_interval(
                              secs => coalesce(m.vacuum_interval_seconds, :vacuumSeconds)))
                ORDER BY m.lease_until NULLS FIRST, m.table_id
                LIMIT :limit
                FOR UPDATE OF m SKIP LOCKED)
            RETURNING s.table_id, s.checked_version, s.lease_token,
                      CAST(extract(epoch FROM now() - s.last_vacuum_at) AS double precision) AS seconds_since_vacuum
            """;

    /** Live files under {@code :size} bytes: what OPTIMIZE would take, without reading their actions. */
    static final String SMALL_FILES =
            "SELECT count(*) FROM files WHERE table_id = ? AND removed_version IS NULL AND size < ?";

    // Every write of a round is the claim's only while its token is still the table's: a replica
    // whose lease ran out and was taken over records nothing over the one that holds it now.
    static final String HELD = " WHERE table_id = :tableId AND lease_token = :token";

    static final String CHECKED =
            "UPDATE maintenance_state SET checked_version = greatest(checked_version, :version), lease_until = NULL,"
                    + " lease_token = NULL, vacuum_interval_seconds = :vacuumSeconds" + HELD;

    /** Extends a held lease before each step of a round (OPTIMIZE, VACUUM, log clean-up). */
    static final String RENEW =
            "UPDATE maintenance_state SET lease_until = now() + make_interval(secs => :leaseSeconds)" + HELD;

    static final String OPTIMIZED =
            "UPDATE maintenance_state SET last_optimize_at = now()," + " last_optimize = CAST(:result AS jsonb)" + HELD;

    static final String VACUUMED =
            "UPDATE maintenance_state SET last_vacuum_at = now()," + " last_vacuum = CAST(:result AS jsonb)" + HELD;

    static final String LOG_CLEANED = "UPDATE maintenance_state SET last_log_cleanup_at = now(),"
            + " last_log_cleanup = CAST(:result AS jsonb)" + HELD;

    /** A failure keeps the lease for the back-off: the table is left alone until it runs out. */
    static final String FAILED = "UPDATE maintenance_state SET last_error = :error, last_error_at = now(),"
            + " lease_until = now() + make_interval(secs => :backoffSeconds)" + HELD;

    static final String STATE = "SELECT checked_version, last_optimize_at, last_optimize::text, last_vacuum_at,"
            + " last_vacuum::text, last_error, last_error_at, last_log_cleanup_at, last_log_cleanup::text"
            + " FROM maintenance_state WHERE table_id = ?";

    /**
     * A leased table: the version the last round looked at, how long ago it was vacuumed (null:
     * never), and the claim's token (what the round writes counts only while it is the table's).
     */
    record Claim(UUID tableId, long checkedVersion, Double secondsSinceVacuum, UUID token) {

        /** Whether VACUUM is due under an interval. */
        boolean vacuumDue(Duration interval) {
            return secondsSinceVacuum == null || secondsSinceVacuum >= interval.toMillis() / 1000.0;
        }
    }

    /** A table's row. */
    record State(
            long checkedVersion,
            Instant lastOptimizeAt,
            String lastOptimize,
            Instant lastVacuumAt,
            String lastVacuum,
            String lastError,
            Instant lastErrorAt,
            Instant lastLogCleanupAt,
            String lastLogCleanup) {}

    private final JdbcClient jdbc;

    MaintenanceRepository(JdbcClient jdbc) {
        this.jdbc = requireNonNull(jdbc, "jdbc");
    }

    /** Leases due tables ({@code only}: just that one, if it is due and free). */
    List<Claim> claim(int limit, Duration lease, Duration vacuumInterval, UUID only) {
        jdbc.sql(TRACK_NEW_TABLES).update();
        return jdbc.sql(CLAIM)
                .param("only", only == null ? null : only.toString())
                .param("leaseSeconds", lease.toMillis() / 1000.0)
                .param("vacuumSeconds", vacuumInterval.toMillis() / 1000.0)
                .param("limit", limit)
                .query((rs, n) -> new Claim(
                        rs.getObject("table_id", UUID.class),
                        rs.getLong("checked_version"),
                        (Double) rs.getObject("seconds_since_vacuum", Double.class),
                        rs.getObject("lease_token", UUID.class)))
                .list();
    }

    long smallFiles(UUID tableId, long smallerThan) {
        return jdbc.sql(SMALL_FILES)
                .params(tableId, smallerThan)
                .query(Long.class)
                .single();
    }

    /** Extends {@code claim}'s lease; false when another replica holds the table now (the round stops). */
    boolean renew(Claim claim, Duration lease) {
        return held(jdbc.sql(RENEW).param("leaseSeconds", lease.toMillis() / 1000.0), claim);
    }

    boolean optimized(Claim claim, String result) {
        return held(jdbc.sql(OPTIMIZED).param("result", result), claim);
    }

    boolean vacuumed(Claim claim, String result) {
        return held(jdbc.sql(VACUUMED).param("result", result), claim);
    }

    /**
     * Done with the table up to {@code version}; the lease is given back, and the table is due for
     * VACUUM again after {@code vacuumInterval} (its policy's now).
     */
    boolean checked(Claim claim, long version, Duration vacuumInterval) {
        return held(
                jdbc.sql(CHECKED).param("version", version).param("vacuumSeconds", vacuumInterval.toMillis() / 1000.0),
                claim);
    }

    boolean logCleaned(Claim claim, String result) {
        return held(jdbc.sql(LOG_CLEANED).param("result", result), claim);
    }

    /** Records the round's failure, unless another replica holds the table now (its status is not ours to mark). */
    boolean failed(Claim claim, String error, Duration backoff) {
        return held(jdbc.sql(FAILED).param("error", error).param("backoffSeconds", backoff.toMillis() / 1000.0), claim);
    }

    private static boolean held(JdbcClient.StatementSpec statement, Claim claim) {
        return statement
                        .param("tableId", claim.tableId())
                        .param("token", claim.token())
                        .update()
                == 1;
    }

    Optional<State> state(UUID tableId) {
        return jdbc.sql(STATE)
                .params(tableId)
                .query((rs, n) -> new State(
                        rs.getLong(1),
                        instant(rs.getObject(2, OffsetDateTime.class)),
                        rs.getString(3),
                        instant(rs.getObject(4, OffsetDateTime.class)),
                        rs.getString(5),
                        rs.getString(6),
                        instant(rs.getObject(7, OffsetDateTime.class)),
                        instant(rs.getObject(8, OffsetDateTime.class)),
                        rs.getString(9)))
                .optional();
    }

    private static Instant instant(OffsetDateTime at) {
        return at == null ? null : at.toInstant();
    }
}
