package io.deltaplane.metadata.commit;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.UUID;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * Tells every {@link CommittedVersionListener} of a written version once the commit's transaction
 * commits (at once outside a transaction). The listeners are resolved at the first commit: they
 * (Iceberg's converter) depend on what commits.
 */
@Component
class CommittedVersionListeners {

    private final ObjectProvider<CommittedVersionListener> beans;
    private volatile List<CommittedVersionListener> listeners;

    CommittedVersionListeners(ObjectProvider<CommittedVersionListener> beans) {
        this.beans = requireNonNull(beans, "beans");
    }

    /** After the current transaction commits, tells each listener that {@code tableId} has a new version. */
    void tellAfterCommit(UUID tableId) {
        List<CommittedVersionListener> told = listeners;
        if (told == null) {
            told = List.copyOf(beans.orderedStream().toList());
            listeners = told;
        }
        if (told.isEmpty()) {
            return;
        }
        if (!TransactionSynchronizationManager.isSynchronizationActive()) {
            told.forEach(listener -> listener.committed(tableId));
            return;
        }
        List<CommittedVersionListener> each = told;
        TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
            @Override
            public void afterCommit() {
                each.forEach(listener -> listener.committed(tableId));
            }
        });
    }
}
