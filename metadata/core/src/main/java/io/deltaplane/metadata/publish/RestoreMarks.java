package io.deltaplane.metadata.publish;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * The tables a restore from backup marked ({@code restore_checks}, filled by {@code
 * tools/backup/mark-restored.sql}): the commit path refuses them (its compare-and-swap checks the
 * mark) until a reconcile of the table has compared its {@code _delta_log} with Postgres. The one
 * writer of {@code restore_checks} in the service.
 */
@Component
public class RestoreMarks {

    static final String MARKED = "SELECT table_id FROM restore_checks ORDER BY marked_at, table_id";
    static final String CHECKED = "DELETE FROM restore_checks WHERE table_id = ?";

    private final JdbcClient jdbc;

    public RestoreMarks(JdbcClient jdbc) {
        this.jdbc = requireNonNull(jdbc, "jdbc");
    }

    List<UUID> marked() {
        return jdbc.sql(MARKED).query(UUID.class).list();
    }

    /** The table's log was reconciled: commits to it go ahead. */
    void checked(UUID tableId) {
        jdbc.sql(CHECKED).params(tableId).update();
    }
}
