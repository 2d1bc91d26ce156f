package io.deltaplane.metadata.publish;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * After a restore of Postgres from a backup ({@code restore_checks} filled by {@code
 * tools/backup/mark-restored.sql}), reconciles every marked table before this instance serves a
 * request: it runs when the application's beans are ready and before the web server takes
 * connections, so no commit can take a version number the log already holds. A table whose
 * reconcile fails (its store unreachable) keeps its mark and is tried again at the next start; the
 * periodic reconcile adopts for it meanwhile.
 */
public class RestoreChecks implements SmartInitializingSingleton {

    private static final Logger log = LoggerFactory.getLogger(RestoreChecks.class);

    static final String MARKED = "SELECT table_id FROM restore_checks ORDER BY marked_at, table_id";
    static final String CHECKED = "DELETE FROM restore_checks WHERE table_id = :tableId";

    private final JdbcClient jdbc;
    private final Reconciler reconciler;

    public RestoreChecks(JdbcClient jdbc, Reconciler reconciler) {
        this.jdbc = requireNonNull(jdbc, "jdbc");
        this.reconciler = requireNonNull(reconciler, "reconciler");
    }

    @Override
    public void afterSingletonsInstantiated() {
        List<UUID> marked = jdbc.sql(MARKED).query(UUID.class).list();
        if (marked.isEmpty()) {
            return;
        }
        log.warn("The database was restored from a backup: reconciling {} tables with their _delta_log", marked.size());
        int adopted = 0;
        for (UUID tableId : marked) {
            try {
                adopted += reconciler
                        .reconcile(tableId, false, true)
                        .map(report -> report.adoptedVersions().size())
                        .orElse(0);
                jdbc.sql(CHECKED).param("tableId", tableId).update();
            } catch (RuntimeException e) {
                log.error(
                        "Reconciling table {} after the restore failed; it is tried again at the next start",
                        tableId,
                        e);
            }
        }
        log.warn("Restore checks done: {} versions adopted from _delta_log", adopted);
    }
}
