package io.deltaplane.metadata.table;

import static java.util.Objects.requireNonNull;

import io.deltaplane.support.access.AccessControl;
import io.deltaplane.support.problem.ApiException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.springframework.context.event.EventListener;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * The one writer of {@code dropped_locations}: the platform's own directory of a table dropped
 * without purging its files stays reserved, so {@link StorageRoots#external} refuses it (and what
 * lies inside or above it) to anyone but the principal that dropped it or a metastore admin
 * registering an EXTERNAL table or importing one — a dropped managed table's files never become
 * another team's. {@link DroppedTablePurge} deletes the directory after the retention and ends the
 * reservation.
 */
@Component
public class DroppedLocations {

    static final String RESERVE = """
            INSERT INTO dropped_locations (location, table_id, full_name, dropped_at, dropped_by)
            VALUES (?, ?, ?, ?, ?)
            ON CONFLICT (location) DO UPDATE SET table_id = excluded.table_id, full_name = excluded.full_name,
                                                 dropped_at = excluded.dropped_at, dropped_by = excluded.dropped_by""";

    static final String DROPPED_BEFORE = """
            SELECT location, table_id, full_name FROM dropped_locations
            WHERE dropped_at < ? ORDER BY dropped_at LIMIT ?""";

    static final String RELEASE = "DELETE FROM dropped_locations WHERE location = ? AND table_id = ?";

    /** A dropped managed table's kept directory. */
    public record Dropped(String location, UUID tableId, String fullName) {}

    private final JdbcClient jdbc;
    private final StorageRoots roots;
    private final AccessControl access;
    private final Clock clock;

    public DroppedLocations(JdbcClient jdbc, StorageRoots roots, AccessControl access, Clock clock) {
        this.jdbc = requireNonNull(jdbc, "jdbc");
        this.roots = requireNonNull(roots, "roots");
        this.access = requireNonNull(access, "access");
        this.clock = requireNonNull(clock, "clock");
    }

    /** A table dropped with its files kept, at the platform's own location: the location is reserved. */
    @EventListener
    public void onDropped(TableDropped event) {
        String[] name = event.fullName().split("\\.", 3);
        if (event.purged()
                || name.length != 3
                || !roots.isManaged(event.managed(), name[0], name[1], name[2], event.location())) {
            return;
        }
        reserve(event.location(), event.tableId(), event.fullName());
    }

    /**
     * The platform's own directory of a dropped securable ({@code id}, {@code fullName} as messages
     * name it: a table, or {@code volume c.s.v}) is reserved, then purged after the retention.
     */
    public void reserve(String location, UUID id, String fullName) {
        jdbc.sql(RESERVE)
                .params(location, id, fullName, Timestamp.from(clock.instant()), dropper())
                .update();
    }

    /** The kept directories of tables dropped before {@code cutoff}, oldest first, at most {@code limit}. */
    public List<Dropped> droppedBefore(Instant cutoff, int limit) {
        return jdbc.sql(DROPPED_BEFORE)
                .params(Timestamp.from(cutoff), limit)
                .query((rs, n) -> new Dropped(rs.getString(1), rs.getObject(2, UUID.class), rs.getString(3)))
                .list();
    }

    /** Ends the reservation (its files are being deleted); false when another replica ended it first. */
    public boolean release(Dropped dropped) {
        return jdbc.sql(RELEASE).params(dropped.location(), dropped.tableId()).update() == 1;
    }

    /** The principal of the request that dropped the table, or null outside one. */
    private String dropper() {
        try {
            return access.caller().principal();
        } catch (ApiException e) {
            return null;
        }
    }
}
