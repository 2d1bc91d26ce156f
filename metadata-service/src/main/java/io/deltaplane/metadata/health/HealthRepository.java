package io.deltaplane.metadata.health;

import static java.util.Objects.requireNonNull;

import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
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
 * Reads only: the health of a table is computed when asked, nothing is stored.
 */
@Repository
class HealthRepository {

    /** Whether the commit row {@code c} changed data: an add or remove without dataChange false. */
    private static final String CHANGES_DATA = """
            EXISTS (SELECT 1 FROM jsonb_array_elements(c.actions) e
                    WHERE (e->'add' IS NOT NULL AND coalesce(e->'add'->>'dataChange', 'true') <> 'false')
                       OR (e->'remove' IS NOT NULL AND coalesce(e->'remove'->>'dataChange', 'true') <> 'false'))""";

    /** The table's newest data commit: version and time. */
    static final String LAST_DATA_COMMIT = "SELECT c.version, c.committed_at FROM commits c WHERE c.table_id = :id AND "
            + CHANGES_DATA + " ORDER BY c.version DESC LIMIT 1";

    /** The table's first version's time: the baseline of a table never written. */
    static final String CREATED = "SELECT committed_at FROM commits WHERE table_id = :id ORDER BY version LIMIT 1";

    /** Data commit times in [:since, :until], newest first, bounded: the learning needs weeks, not every commit. */
    static final String DATA_COMMIT_TIMES = "SELECT c.committed_at FROM commits c WHERE c.table_id = :id"
            + " AND c.committed_at >= :since AND c.committed_at <= :until AND " + CHANGES_DATA
            + " ORDER BY c.committed_at DESC LIMIT " + LearnedFreshness.MAX_COMMITS;

    /**
     * Per UTC day since {@code :since}: data commits, what their adds and removes carried, and how
     * many commits removed more bytes than they added. {@code numRecords} is read from the stats
     * text with a pattern, so a file without (or with unreadable) stats adds no rows rather than
     * failing the read.
     */
    static final String DAILY_VOLUME = """
            SELECT (c.committed_at AT TIME ZONE 'UTC')::date AS day,
                   count(*) AS commits,
                   coalesce(sum(v.files_added), 0), coalesce(sum(v.rows_added), 0),
                   coalesce(sum(v.bytes_added), 0), coalesce(sum(v.files_removed), 0),
                   coalesce(sum(v.bytes_removed), 0),
                   count(*) FILTER (WHERE coalesce(v.bytes_removed, 0) > coalesce(v.bytes_added, 0))
            FROM commits c
            CROSS JOIN LATERAL (
              SELECT count(*) FILTER (WHERE e->'add' IS NOT NULL) AS files_added,
                     sum(substring(e->'add'->>'stats' FROM '"numRecords"\\s*:\\s*([0-9]{1,18})')::bigint)
                       AS rows_added,
                     sum(CASE WHEN e->'add' IS NOT NULL AND jsonb_typeof(e->'add'->'size') = 'number'
                              THEN (e->'add'->>'size')::numeric END) AS bytes_added,
                     count(*) FILTER (WHERE e->'remove' IS NOT NULL) AS files_removed,
                     sum(CASE WHEN e->'remove' IS NOT NULL AND jsonb_typeof(e->'remove'->'size') = 'number'
                              THEN (e->'remove'->>'size')::numeric END) AS bytes_removed
              FROM jsonb_array_elements(c.actions) e
              WHERE (e->'add' IS NOT NULL AND coalesce(e->'add'->>'dataChange', 'true') <> 'false')
                 OR (e->'remove' IS NOT NULL AND coalesce(e->'remove'->>'dataChange', 'true') <> 'false')
              HAVING count(*) > 0) v
            WHERE c.table_id = :id AND c.committed_at >= :since
            GROUP BY 1 ORDER BY 1""";

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
