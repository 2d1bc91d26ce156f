package io.deltaplane.metadata.publish;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.SmartInitializingSingleton;

/**
 * After a restore of Postgres from a backup ({@code restore_checks} filled by {@code
 * tools/backup/mark-restored.sql}), reconciles every marked table before this instance serves a
 * request: it runs when the application's beans are ready and before the web server takes
 * connections, so no commit can take a version number the log already holds. A table whose
 * reconcile fails (its store unreachable) keeps its mark, and commits to it are refused (503 with
 * Retry-After) until a reconcile of it succeeds: the periodic one, an API one, or the next start.
 */
public class RestoreChecks implements SmartInitializingSingleton {

    private static final Logger log = LoggerFactory.getLogger(RestoreChecks.class);

    private final RestoreMarks marks;
    private final Reconciler reconciler;

    public RestoreChecks(RestoreMarks marks, Reconciler reconciler) {
        this.marks = requireNonNull(marks, "marks");
        this.reconciler = requireNonNull(reconciler, "reconciler");
    }

    @Override
    public void afterSingletonsInstantiated() {
        List<UUID> marked = marks.marked();
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
                        .orElse(0); // a reconcile that succeeds clears the table's mark
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
