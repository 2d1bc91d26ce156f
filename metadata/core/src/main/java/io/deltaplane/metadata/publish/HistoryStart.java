package io.deltaplane.metadata.publish;

import static java.util.Objects.requireNonNull;

import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * The first version Postgres keeps of a table, {@code publish_state.history_start_version} (V55):
 * 0 until history pruning ({@code maintenance.HistoryPruning}) deleted the versions before it.
 * Beside {@code log_start_version}, which it never passes: Postgres holds every version {@code
 * _delta_log} holds, so the reconciler, which works from the log's first version on, never finds
 * one missing. Read by every path that answers for an older version than the latest.
 */
@Component
public class HistoryStart {

    static final String READ = "SELECT history_start_version FROM publish_state WHERE table_id = ?";

    /**
     * Moves the start forward, never back and never past the log's first version (the row's check
     * constraint says so too); no row when it would not move.
     */
    static final String ADVANCE = "UPDATE publish_state SET history_start_version = :start"
            + " WHERE table_id = :tableId AND history_start_version < :start AND log_start_version >= :start";

    private final JdbcClient jdbc;

    public HistoryStart(JdbcClient jdbc) {
        this.jdbc = requireNonNull(jdbc, "jdbc");
    }

    /** The first version Postgres keeps of the table (0: every version). */
    public long of(UUID tableId) {
        return jdbc.sql(READ).params(tableId).query(Long.class).optional().orElse(0L);
    }

    /**
     * Records {@code start} as the table's first kept version, before anything older is deleted;
     * whether it moved (not when it is not beyond the current start, or beyond the log's start).
     */
    public boolean advance(UUID tableId, long start) {
        return jdbc.sql(ADVANCE).param("start", start).param("tableId", tableId).update() == 1;
    }
}
