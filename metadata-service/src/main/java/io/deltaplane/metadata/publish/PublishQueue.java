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

    /** Called by the commit writer inside the commit's transaction. */
    public void enqueue(VersionCommitted event) {
        repository.enqueue(event.tableId(), event.fullName(), event.location(), event.version(), event.committedAt());
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
