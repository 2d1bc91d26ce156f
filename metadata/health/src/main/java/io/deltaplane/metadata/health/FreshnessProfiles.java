package io.deltaplane.metadata.health;

import static java.util.Objects.requireNonNull;

import io.deltaplane.metadata.health.HealthRepository.Commit;
import java.sql.Array;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * The one writer of {@code freshness_profiles}: each table's {@link FreshnessProfile} learned from
 * its data commit history, relearned when it is a day old (or, when nothing could be learned yet,
 * as soon as the table has a new data commit). The health pass relearns the due ones first, oldest
 * first, within a time budget, so a pass over many tables reads their profiles rather than their
 * histories.
 */
@Component
class FreshnessProfiles {

    private static final Logger log = LoggerFactory.getLogger(FreshnessProfiles.class);

    /** Profiles looked at per pass, at most. */
    static final int DUE_LIMIT = 10_000;

    private static final String COLUMNS = "learned_at, learned_through, history_commits, usual_interval_seconds,"
            + " allowed_seconds, usual_seconds, weeks";

    static final String GET = "SELECT " + COLUMNS + " FROM freshness_profiles WHERE table_id = ?";

    /**
     * Tables whose profile is missing, a day old, from a clock's future, or learned nothing and the
     * table has had a data commit since: oldest first.
     */
    static final String DUE = """
            SELECT t.id FROM tables t LEFT JOIN freshness_profiles p ON p.table_id = t.id
            WHERE p.table_id IS NULL OR p.learned_at <= :stale OR p.learned_at > :now
               OR (p.allowed_seconds IS NULL AND EXISTS (
                     SELECT 1 FROM commits c WHERE c.table_id = t.id AND c.changes_data
                       AND c.committed_at > coalesce(p.learned_through, '-infinity'::timestamptz)))
            ORDER BY p.learned_at NULLS FIRST LIMIT :limit""";

    static final String PUT = "INSERT INTO freshness_profiles (table_id, " + COLUMNS + ")"
            + " VALUES (?, ?, ?, ?, ?, CAST(? AS integer[]), CAST(? AS integer[]), CAST(? AS smallint[]))"
            + " ON CONFLICT (table_id) DO UPDATE SET learned_at = excluded.learned_at,"
            + " learned_through = excluded.learned_through, history_commits = excluded.history_commits,"
            + " usual_interval_seconds = excluded.usual_interval_seconds,"
            + " allowed_seconds = excluded.allowed_seconds, usual_seconds = excluded.usual_seconds,"
            + " weeks = excluded.weeks";

    private final JdbcClient jdbc;
    private final HealthRepository health;

    FreshnessProfiles(JdbcClient jdbc, HealthRepository health) {
        this.jdbc = requireNonNull(jdbc, "jdbc");
        this.health = requireNonNull(health, "health");
    }

    /** The stored profile of a table, current or not. */
    Optional<FreshnessProfile> stored(UUID tableId) {
        return jdbc.sql(GET).param(tableId).query(FreshnessProfiles::row).optional();
    }

    /** Learns the table's profile at {@code now} from its history, without keeping it. */
    FreshnessProfile learn(UUID tableId, Optional<Commit> lastDataCommit, Instant now) {
        Instant historyEnd = lastDataCommit.map(Commit::at).orElse(now);
        List<Instant> history = health.dataCommitTimes(tableId, historyEnd.minus(LearnedFreshness.HISTORY), now);
        Instant newest = history.isEmpty() ? null : history.get(history.size() - 1);
        return LearnedFreshness.profile(
                history, now, lastDataCommit.map(Commit::at).orElse(newest));
    }

    /**
     * Relearns the due profiles at {@code now}, oldest first, until {@code deadlineNanos} ({@link
     * System#nanoTime}); the number relearned. A table dropped meanwhile is skipped.
     */
    int relearnDue(Instant now, long deadlineNanos) {
        List<UUID> due = jdbc.sql(DUE)
                .param("stale", Timestamp.from(now.minus(FreshnessProfile.RELEARNED_AFTER)))
                .param("now", Timestamp.from(now))
                .param("limit", DUE_LIMIT)
                .query(UUID.class)
                .list();
        int relearned = 0;
        for (UUID table : due) {
            if (System.nanoTime() - deadlineNanos > 0) {
                log.debug("health: {} of {} due profiles relearned; the rest next pass", relearned, due.size());
                break;
            }
            try {
                put(table, learn(table, health.lastDataCommit(table), now));
                relearned++;
            } catch (DataIntegrityViolationException gone) {
                log.debug("freshness profile of {} not kept: {}", table, gone.toString());
            }
        }
        return relearned;
    }

    void put(UUID tableId, FreshnessProfile p) {
        boolean learned = !p.hours().isEmpty();
        jdbc.sql(PUT)
                .params(
                        tableId,
                        Timestamp.from(p.learnedAt()),
                        p.learnedThrough() == null ? null : Timestamp.from(p.learnedThrough()),
                        p.historyCommits(),
                        p.usualIntervalSeconds(),
                        learned ? array(p.hours(), FreshnessProfile.Hour::allowedSeconds) : null,
                        learned ? array(p.hours(), FreshnessProfile.Hour::usualSeconds) : null,
                        learned ? array(p.hours(), h -> (long) h.weeks()) : null)
                .update();
    }

    private static String array(
            List<FreshnessProfile.Hour> hours, java.util.function.ToLongFunction<FreshnessProfile.Hour> f) {
        return hours.stream().map(h -> Long.toString(f.applyAsLong(h))).collect(Collectors.joining(",", "{", "}"));
    }

    private static FreshnessProfile row(ResultSet rs, int n) throws SQLException {
        Timestamp through = rs.getTimestamp(2);
        long interval = rs.getLong(4);
        Long usualInterval = rs.wasNull() ? null : interval;
        List<FreshnessProfile.Hour> hours = new ArrayList<>();
        Array allowed = rs.getArray(5);
        if (allowed != null) {
            Integer[] a = (Integer[]) allowed.getArray();
            Integer[] u = (Integer[]) rs.getArray(6).getArray();
            Short[] w = (Short[]) rs.getArray(7).getArray();
            for (int i = 0; i < a.length; i++) {
                hours.add(new FreshnessProfile.Hour(a[i], u[i], w[i]));
            }
        }
        return new FreshnessProfile(
                rs.getTimestamp(1).toInstant(),
                through == null ? null : through.toInstant(),
                rs.getInt(3),
                usualInterval,
                hours);
    }
}
