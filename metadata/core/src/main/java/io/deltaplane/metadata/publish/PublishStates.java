package io.deltaplane.metadata.publish;

import static java.util.Objects.requireNonNull;

import java.sql.Timestamp;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * Reads each table's publish state ({@code publish_state}, with what its {@code publish_queue}
 * holds) for the publish status, the reconciler and the lag gauges, and nothing else: it never
 * writes either table, whose one writer is {@link PublishRepository}.
 */
@Repository
public class PublishStates {

    // The oldest unpublished version's commit time is that of the first queued version above
    // published_version (a table's commit times rise with its versions): one primary-key probe,
    // where min(committed_at) read every unpublished queue row of a lagging table.
    static final String STATE_BY_ID = """
            SELECT s.table_id, s.full_name, s.location, s.published_version, s.verified_from_version,
                   s.last_checkpoint_version, s.last_error, s.last_error_at,
                   (SELECT max(q.version) FROM publish_queue q WHERE q.table_id = s.table_id) AS queued_version,
                   (SELECT q.committed_at FROM publish_queue q
                     WHERE q.table_id = s.table_id AND q.version > s.published_version
                     ORDER BY q.version LIMIT 1) AS oldest_unpublished_at
            FROM publish_state s
            WHERE s.table_id = :tableId
            """;

    static final String ALL_STATES = """
            SELECT s.table_id, s.full_name, s.location, s.published_version, s.verified_from_version,
                   s.last_checkpoint_version, s.last_error, s.last_error_at,
                   (SELECT max(q.version) FROM publish_queue q WHERE q.table_id = s.table_id) AS queued_version,
                   (SELECT q.committed_at FROM publish_queue q
                     WHERE q.table_id = s.table_id AND q.version > s.published_version
                     ORDER BY q.version LIMIT 1) AS oldest_unpublished_at
            FROM publish_state s
            ORDER BY s.full_name
            """;

    // The most lagging tables, found from the queue (its distinct tables), never by scanning every
    // table's state: the cost follows the number of tables with unpublished versions.
    static final String MOST_LAGGING = """
            WITH RECURSIVE queued (table_id) AS (
                (SELECT table_id FROM publish_queue ORDER BY table_id LIMIT 1)
                UNION ALL
                SELECT (SELECT q.table_id FROM publish_queue q
                        WHERE q.table_id > queued.table_id ORDER BY q.table_id LIMIT 1)
                FROM queued WHERE queued.table_id IS NOT NULL)
            SELECT * FROM (
                SELECT s.table_id, s.full_name, s.location, s.published_version, s.verified_from_version,
                       s.last_checkpoint_version, s.last_error, s.last_error_at,
                       (SELECT max(q.version) FROM publish_queue q WHERE q.table_id = s.table_id) AS queued_version,
                       (SELECT q.committed_at FROM publish_queue q
                         WHERE q.table_id = s.table_id AND q.version > s.published_version
                         ORDER BY q.version LIMIT 1) AS oldest_unpublished_at
                FROM publish_state s
                WHERE s.table_id IN (SELECT table_id FROM queued)) lagging
            WHERE lagging.queued_version > lagging.published_version
            ORDER BY lagging.queued_version - lagging.published_version DESC, lagging.full_name
            LIMIT :limit
            """;

    static final String TABLE_IDS = "SELECT table_id FROM publish_state ORDER BY created_at";

    private final JdbcClient jdbc;

    public PublishStates(JdbcClient jdbc) {
        this.jdbc = requireNonNull(jdbc, "jdbc");
    }

    public Optional<PublishState> state(UUID tableId) {
        return jdbc.sql(STATE_BY_ID)
                .param("tableId", tableId)
                .query(PublishStates::state)
                .optional();
    }

    public List<PublishState> allStates() {
        return jdbc.sql(ALL_STATES).query(PublishStates::state).list();
    }

    /** Up to {@code limit} tables with unpublished versions, the most lagging first. */
    public List<PublishState> mostLagging(int limit) {
        return jdbc.sql(MOST_LAGGING)
                .param("limit", limit)
                .query(PublishStates::state)
                .list();
    }

    public List<UUID> tableIds() {
        return jdbc.sql(TABLE_IDS).query(UUID.class).list();
    }

    private static PublishState state(java.sql.ResultSet rs, int n) throws java.sql.SQLException {
        Timestamp oldest = rs.getTimestamp("oldest_unpublished_at");
        Timestamp errorAt = rs.getTimestamp("last_error_at");
        long queued = rs.getLong("queued_version");
        boolean noQueue = rs.wasNull();
        long checkpoint = rs.getLong("last_checkpoint_version");
        boolean noCheckpoint = rs.wasNull();
        return new PublishState(
                rs.getObject("table_id", UUID.class),
                rs.getString("full_name"),
                rs.getString("location"),
                rs.getLong("published_version"),
                rs.getLong("verified_from_version"),
                noQueue ? null : queued,
                oldest == null ? null : oldest.toInstant(),
                noCheckpoint ? null : checkpoint,
                rs.getString("last_error"),
                errorAt == null ? null : errorAt.toInstant());
    }
}
