package io.deltaplane.metadata.publish;

import static java.util.Objects.requireNonNull;

import io.deltaplane.metadata.commit.VersionCommitted;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * Queues every committed version for publishing, inside the commit's own transaction: a version is
 * queued if and only if it is committed. The file system is not touched here, so commit latency
 * does not depend on it; after the commit, the local publisher is nudged to start at once.
 */
@Component
public class PublishQueue {

    private final PublishRepository repository;
    private final PublishWakeup wakeup;

    public PublishQueue(PublishRepository repository, PublishWakeup wakeup) {
        this.repository = requireNonNull(repository, "repository");
        this.wakeup = requireNonNull(wakeup, "wakeup");
    }

    /**
     * The queue rows as common table expressions for a commit statement that has a {@code cas}
     * CTE (columns {@code id, last_committed_at}) and the parameters {@code :id}, {@code
     * :fullName}, {@code :location} and {@code :version}: the same rows as {@link
     * #enqueue(VersionCommitted)} writes, without a round trip of their own. The statement's caller
     * then calls {@link #enqueuedInStatement()}.
     */
    public static final String ENQUEUE_CTES = "pstate AS (INSERT INTO publish_state (table_id, full_name, location)"
            + " SELECT cas.id, :fullName, :location FROM cas"
            + " WHERE NOT EXISTS (SELECT 1 FROM publish_state WHERE table_id = :id)"
            + " ON CONFLICT (table_id) DO NOTHING),"
            + " pqueue AS (INSERT INTO publish_queue (table_id, version, committed_at)"
            + " SELECT cas.id, :version, cas.last_committed_at FROM cas ON CONFLICT DO NOTHING)";

    /** Called by the commit writer inside the commit's transaction. */
    public void enqueue(VersionCommitted event) {
        repository.enqueue(event.tableId(), event.fullName(), event.location(), event.version(), event.committedAt());
        enqueuedInStatement();
    }

    /** After a commit statement that included {@link #ENQUEUE_CTES}: nudge the publisher once it commits. */
    public void enqueuedInStatement() {
        if (TransactionSynchronizationManager.isSynchronizationActive()) {
            TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
                @Override
                public void afterCommit() {
                    wakeup.signal();
                }
            });
        } else {
            wakeup.signal();
        }
    }
}
