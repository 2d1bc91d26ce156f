package io.deltaplane.metadata.lineage;

import static java.util.Objects.requireNonNull;

import io.deltaplane.metadata.commit.CommitOutbox;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * Writes every committed version to the lineage outbox in the commit's own statement: the row
 * exists if and only if the commit does, and carries the committing request's id to lineage, and
 * the run that wrote the version when the commitInfo names one ({@code deltaplaneRunId}): the
 * version reaches lineage once, from here, already linked to its writer.
 * Synchronous on purpose: there is no way to write a version without its lineage row.
 */
@Component
@Order(2)
public class LineageOutbox implements CommitOutbox {

    static final String ENQUEUE_CTE = "lineage AS (INSERT INTO lineage_outbox (table_id, full_name, location,"
            + " version, committed_at, request_id, run_id, next_attempt_at, created_at)"
            + " SELECT cas.id, :fullName, :location, :version, cas.last_committed_at, :requestId,"
            + " CAST(:runId AS uuid), :outboxNow, :outboxNow FROM cas)";

    private final RelayLoop relay;

    public LineageOutbox(@Qualifier("lineageRelayLoop") RelayLoop relay) {
        this.relay = requireNonNull(relay, "relay");
    }

    @Override
    public String ctes() {
        return ENQUEUE_CTE;
    }

    /** Wakes the relay once the commit's transaction commits (refused outside a transaction). */
    @Override
    @Transactional(propagation = Propagation.MANDATORY)
    public void written() {
        // Deliver soon after the commit rather than at the next poll: a pipeline that commits and
        // then asks lineage for the table's latest snapshot should find this version.
        TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
            @Override
            public void afterCommit() {
                relay.wakeUp();
            }
        });
    }
}
