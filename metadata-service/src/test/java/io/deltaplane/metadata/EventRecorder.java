package io.deltaplane.metadata;

import io.deltaplane.metadata.commit.VersionCommitted;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.springframework.context.event.EventListener;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/** Records every VersionCommitted with whether it arrived inside a transaction (the listener contract). */
public class EventRecorder {

    public record Seen(VersionCommitted event, boolean inTransaction) {}

    private final List<Seen> seen = new CopyOnWriteArrayList<>();

    @EventListener
    public void on(VersionCommitted event) {
        seen.add(new Seen(event, TransactionSynchronizationManager.isActualTransactionActive()));
    }

    public List<Seen> forTable(String fullName) {
        return seen.stream().filter(s -> s.event().fullName().equals(fullName)).toList();
    }
}
