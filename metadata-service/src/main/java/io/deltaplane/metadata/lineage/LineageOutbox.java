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

    /**
     * The outbox row as a common table expression for a commit statement that has a {@code cas}
     * CTE (columns {@code id, last_committed_at}) and the parameters {@code :fullName}, {@code
     * :location}, {@code :version}, plus {@link #REQUEST_PARAM} and {@link #NOW_PARAM} from {@link
     * #request()} and {@link #now()}. The statement's caller then calls {@link
     * #enqueuedInStatement()}.
     */
    public static final String ENQUEUE_CTE = "lineage AS (INSERT INTO lineage_outbox (table_id, full_name, location,"
            + " version, committed_at, request_id, next_attempt_at, created_at)"
            + " SELECT cas.id, :fullName, :location, :version, cas.last_committed_at, :lineageRequest,"
            + " :lineageNow, :lineageNow FROM cas)";

    public static final String REQUEST_PARAM = "lineageRequest";
    public static final String NOW_PARAM = "lineageNow";

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
        enqueuedInStatement();
    }

    /** The request id the outbox row records. */
    public static String request() {
        return RequestIds.current();
    }

    /** The row's creation time. */
    public OffsetDateTime now() {
        return OffsetDateTime.ofInstant(clock.instant(), ZoneOffset.UTC);
    }

    /** After a commit statement that included {@link #ENQUEUE_CTE} (refused outside a transaction). */
    @Transactional(propagation = Propagation.MANDATORY)
    public void enqueuedInStatement() {
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
