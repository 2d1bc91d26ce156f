package io.deltaplane.metadata.health;

import static java.util.Objects.requireNonNull;

import io.deltaplane.metadata.delta.FreshnessSla;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * The reads a table's health is made of, all from the commits the catalog ratified: a data commit
 * is one that adds or removes a file with {@code dataChange} not false (OPTIMIZE, VACUUM, property
 * and schema changes are not), and a day's volume sums the adds' {@code numRecords} and sizes.
 * Reads only.
 */
@Repository
class HealthRepository {

    /** The table's newest data commit ({@code changes_data}, kept with each commit): version and time. */
    static final String LAST_DATA_COMMIT = "SELECT c.version, c.committed_at FROM commits c"
            + " WHERE c.table_id = :id AND c.changes_data ORDER BY c.committed_at DESC, c.version DESC LIMIT 1";

    /** The table's first version's time: the baseline of a table never written. */
    static final String CREATED = "SELECT committed_at FROM commits WHERE table_id = :id ORDER BY version LIMIT 1";

    /** Data commit times in [:since, :until], newest first, bounded: the learning needs weeks, not every commit. */
    static final String DATA_COMMIT_TIMES = "SELECT c.committed_at FROM commits c WHERE c.table_id = :id"
            + " AND c.committed_at >= :since AND c.committed_at <= :until AND c.changes_data"
            + " ORDER BY c.committed_at DESC LIMIT " + LearnedFreshness.MAX_COMMITS;

    /**
     * Per UTC day since {@code :since}: data commits, what their adds and removes carried (each
     * commit's {@code volume}, computed when it was stored: V68's {@code commit_volume}), and how
     * many commits removed more bytes than they added.
     */
    static final String DAILY_VOLUME = """
            SELECT (c.committed_at AT TIME ZONE 'UTC')::date AS day,
                   count(*) AS commits,
                   sum(c.volume[1]), sum(c.volume[2]), sum(c.volume[3]), sum(c.volume[4]), sum(c.volume[5]),
                   count(*) FILTER (WHERE c.volume[5] > c.volume[3])
            FROM commits c
            WHERE c.table_id = :id AND c.committed_at >= :since AND c.changes_data
            GROUP BY 1 ORDER BY 1""";

    /**
     * A page of every table, in id order, with what judging its freshness needs and nothing of its
     * history: its last data commit (or, without one, its first version's time), the freshness SLA
     * set on it, its schema and its catalog, and its stored profile's entry for the hour of the week
     * {@code :hour} (1-based; a profile of one entry answers every hour).
     */
    static final String PASS_PAGE = "SELECT tables.id, tables.full_name, d.version, d.committed_at,"
            + " CASE WHEN d.version IS NULL THEN (SELECT c0.committed_at FROM commits c0"
            + "   WHERE c0.table_id = tables.id ORDER BY c0.version LIMIT 1) END,"
            + " (SELECT m.action->'configuration'->>'" + FreshnessSla.KEY + "' FROM metadata_versions m"
            + "   WHERE m.table_id = tables.id ORDER BY m.version DESC LIMIT 1),"
            + " (SELECT s.properties->>'" + FreshnessSla.KEY + "' FROM schemas s"
            + "   WHERE s.catalog = tables.catalog AND s.name = tables.schema),"
            + " (SELECT k.properties->>'" + FreshnessSla.KEY + "' FROM catalogs k WHERE k.name = tables.catalog),"
            + " p.table_id IS NOT NULL, p.history_commits, p.usual_interval_seconds,"
            + " p.allowed_seconds[CASE WHEN cardinality(p.allowed_seconds) = 1 THEN 1 ELSE :hour END],"
            + " p.usual_seconds[CASE WHEN cardinality(p.usual_seconds) = 1 THEN 1 ELSE :hour END],"
            + " p.weeks[CASE WHEN cardinality(p.weeks) = 1 THEN 1 ELSE :hour END]"
            + " FROM tables"
            + " LEFT JOIN LATERAL (SELECT c.version, c.committed_at FROM commits c WHERE c.table_id = tables.id"
            + "   AND c.changes_data ORDER BY c.committed_at DESC, c.version DESC LIMIT 1) d ON true"
            + " LEFT JOIN freshness_profiles p ON p.table_id = tables.id"
            + " WHERE tables.id > :after ORDER BY tables.id LIMIT :limit";

    /**
     * One table as the pass reads it: its name, not its whole row (the few that are late are read
     * whole afterwards).
     *
     * @param since its last data commit's time, else its first version's
     * @param slas the freshness SLA as set on the table, its schema and its catalog (null where unset)
     * @param learned its stored profile's expectation for this hour; empty when it has none (yet)
     */
    record PassRow(
            UUID tableId,
            String fullName,
            Optional<Commit> lastDataCommit,
            Instant since,
            List<String> slas,
            Optional<LearnedFreshness.Learned> learned,
            Long usualIntervalSeconds,
            int historyCommits) {}

    /** A version and when it was committed. */
    record Commit(long version, Instant at) {}

    /** A UTC day's data commits and what they carried. */
    record DayVolume(
            LocalDate day,
            long commits,
            long filesAdded,
            long rowsAdded,
            long bytesAdded,
            long filesRemoved,
            long bytesRemoved,
            long commitsRemovingMore) {}

    private final JdbcClient jdbc;

    HealthRepository(JdbcClient jdbc) {
        this.jdbc = requireNonNull(jdbc, "jdbc");
    }

    Optional<Commit> lastDataCommit(UUID tableId) {
        return jdbc.sql(LAST_DATA_COMMIT)
                .param("id", tableId)
                .query((rs, n) -> new Commit(rs.getLong(1), rs.getTimestamp(2).toInstant()))
                .optional();
    }

    Optional<Instant> created(UUID tableId) {
        return jdbc.sql(CREATED)
                .param("id", tableId)
                .query((rs, n) -> rs.getTimestamp(1).toInstant())
                .optional();
    }

    /** Oldest first: the newest {@link LearnedFreshness#MAX_COMMITS} data commits in [since, until]. */
    List<Instant> dataCommitTimes(UUID tableId, Instant since, Instant until) {
        List<Instant> newestFirst = new ArrayList<>(jdbc.sql(DATA_COMMIT_TIMES)
                .param("id", tableId)
                .param("since", Timestamp.from(since))
                .param("until", Timestamp.from(until))
                .query((rs, n) -> rs.getTimestamp(1).toInstant())
                .list());
        Collections.reverse(newestFirst);
        return newestFirst;
    }

    /** The tables after {@code after} in id order, at most {@code limit}, judged at {@code now}. */
    List<PassRow> passPage(UUID after, int limit, Instant now) {
        return jdbc.sql(PASS_PAGE)
                .param("after", after)
                .param("limit", limit)
                .param("hour", FreshnessProfile.hourOfWeek(now) + 1)
                .query((rs, n) -> {
                    UUID id = rs.getObject(1, UUID.class);
                    String fullName = rs.getString(2);
                    int c = 2;
                    long version = rs.getLong(c + 1);
                    Optional<Commit> last = rs.wasNull()
                            ? Optional.empty()
                            : Optional.of(
                                    new Commit(version, rs.getTimestamp(c + 2).toInstant()));
                    Timestamp created = rs.getTimestamp(c + 3);
                    Instant since = last.map(Commit::at).orElse(created == null ? now : created.toInstant());
                    List<String> slas = Arrays.asList(rs.getString(c + 4), rs.getString(c + 5), rs.getString(c + 6));
                    boolean profiled = rs.getBoolean(c + 7);
                    int historyCommits = rs.getInt(c + 8);
                    long interval = rs.getLong(c + 9);
                    Long usualInterval = rs.wasNull() ? null : interval;
                    long allowed = rs.getLong(c + 10);
                    Optional<LearnedFreshness.Learned> learned = profiled && !rs.wasNull()
                            ? Optional.of(new FreshnessProfile.Hour(allowed, rs.getLong(c + 11), rs.getInt(c + 12))
                                    .learned(usualInterval))
                            : Optional.empty();
                    return new PassRow(id, fullName, last, since, slas, learned, usualInterval, historyCommits);
                })
                .list();
    }

    List<DayVolume> dailyVolume(UUID tableId, Instant since) {
        return jdbc.sql(DAILY_VOLUME)
                .param("id", tableId)
                .param("since", Timestamp.from(since))
                .query((rs, n) -> new DayVolume(
                        rs.getObject(1, LocalDate.class),
                        rs.getLong(2),
                        rs.getLong(3),
                        rs.getLong(4),
                        rs.getLong(5),
                        rs.getLong(6),
                        rs.getLong(7),
                        rs.getLong(8)))
                .list();
    }
}
