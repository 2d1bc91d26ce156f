package io.deltaplane.metadata.publish;

import static java.util.Objects.requireNonNull;

import io.deltaplane.metadata.commit.CommitOutbox;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * Queues every committed version for publishing, inside the commit's own statement: a version is
 * queued if and only if it is committed. The file system is not touched here, so commit latency
 * does not depend on it; after the commit, the local publisher is nudged to start at once.
 */
@Component
@Order(1)
public class PublishQueue implements CommitOutbox {

    // The table's publish state (created with its first version) and the version's queue row. The
    // NOT EXISTS is not redundant: ON CONFLICT's arbiter check waits for any transaction that has
    // updated the conflicting row and not yet ended (a publisher's claim or its progress, each one
    // short statement, never held across storage I/O), while a plain read of the committed row never
    // waits.
    // A version whose metaData sets another checkpoint interval (delta.checkpointInterval; null is
    // the configured one) records it on the row (pinterval): only then does the commit update the row
    // (and wait, like ON CONFLICT would, for a publisher's short statement on it); every other commit
    // finds nothing to update without reading it. checkpoint_due is left to the publisher: the
    // version is queued, and the progress mark that publishes it sets the flag by the new interval.
    static final String ENQUEUE_CTES = "pstate AS (INSERT INTO publish_state (table_id, full_name, location,"
            + " checkpoint_interval)"
            + " SELECT cas.id, :fullName, :location, CAST(:checkpointInterval AS integer) FROM cas"
            + " WHERE NOT EXISTS (SELECT 1 FROM publish_state WHERE table_id = :id)"
            + " ON CONFLICT (table_id) DO NOTHING),"
            + " pinterval AS (UPDATE publish_state s SET checkpoint_interval = CAST(:checkpointInterval AS integer)"
            + " FROM cas WHERE CAST(:newMetadata AS boolean) AND s.table_id = cas.id"
            + " AND s.checkpoint_interval IS DISTINCT FROM CAST(:checkpointInterval AS integer)),"
            + " pqueue AS (INSERT INTO publish_queue (table_id, version, committed_at)"
            + " SELECT cas.id, :version, cas.last_committed_at FROM cas ON CONFLICT DO NOTHING)";

    private final PublishWakeup wakeup;

    public PublishQueue(PublishWakeup wakeup) {
        this.wakeup = requireNonNull(wakeup, "wakeup");
    }

    @Override
    public String ctes() {
        return ENQUEUE_CTES;
    }

    /** Set while this thread writes versions it publishes itself ({@link PublishNow#publishedByTheCaller}). */
    static final ThreadLocal<Boolean> PUBLISHED_BY_THE_CALLER = new ThreadLocal<>();

    /**
     * Nudges the publisher once the commit's transaction commits; not when the committing request
     * publishes the version itself right after (an engine's staged commit), which a woken worker
     * would only race for the table's lease.
     */
    @Override
    public void written() {
        if (PUBLISHED_BY_THE_CALLER.get() != null) {
            return;
        }
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
