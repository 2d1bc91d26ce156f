package io.deltaplane.metadata.lineage;

import static java.util.Objects.requireNonNull;

import io.deltaplane.metadata.commit.VersionCommitted;
import io.deltaplane.support.request.RequestIds;
import java.sql.Types;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * Writes every committed version to the lineage outbox in the commit's own transaction: the row
 * exists if and only if the commit does. Synchronous on purpose; a commit published outside a
 * transaction fails rather than silently losing its lineage.
 */
@Component
public class LineageOutbox {

    static final String ENQUEUE = "INSERT INTO lineage_outbox (table_id, full_name, location, version, committed_at,"
            + " request_id, next_attempt_at, created_at) VALUES (:table, :name, :location, :version, :committed,"
            + " :request, :now, :now)";

    private final JdbcClient jdbc;
    private final Clock clock;
    private final LineageRelayConfiguration.RelaySchedule relay;

    public LineageOutbox(JdbcClient jdbc, Clock clock, LineageRelayConfiguration.RelaySchedule relay) {
        this.jdbc = requireNonNull(jdbc, "jdbc");
        this.clock = requireNonNull(clock, "clock");
        this.relay = requireNonNull(relay, "relay");
    }

    /** Called by the commit writer inside the commit's transaction (refused outside one). */
    @Transactional(propagation = Propagation.MANDATORY)
    public void enqueue(VersionCommitted event) {
        OffsetDateTime now = OffsetDateTime.ofInstant(clock.instant(), ZoneOffset.UTC);
        jdbc.sql(ENQUEUE)
                .param("table", event.tableId())
                .param("name", event.fullName())
                .param("location", event.location())
                .param("version", event.version())
                .param("committed", OffsetDateTime.ofInstant(event.committedAt(), ZoneOffset.UTC))
                .param("request", RequestIds.current(), Types.VARCHAR)
                .param("now", now)
                .update();
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
