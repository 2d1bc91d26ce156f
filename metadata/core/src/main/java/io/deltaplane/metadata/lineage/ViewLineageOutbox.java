package io.deltaplane.metadata.lineage;

import static java.util.Objects.requireNonNull;

import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;
import tools.jackson.databind.json.JsonMapper;

/**
 * Keeps each view definition until {@link ViewLineageRelay} has delivered it to lineage, written in
 * the transaction that defines the view: a view that exists reaches lineage, a refused one never,
 * and a lineage-service that is down holds nothing up.
 */
@Component
public class ViewLineageOutbox {

    static final String ENQUEUE = "INSERT INTO view_lineage_outbox (run_id, full_name, view_type, reads, defined_at,"
            + " next_attempt_at, created_at) VALUES (:runId, :view, :type, CAST(:reads AS jsonb), :definedAt, :now,"
            + " :now)";

    private final JdbcClient jdbc;
    private final JsonMapper json;
    private final RelayLoop relay;
    private final Clock clock;

    public ViewLineageOutbox(
            JdbcClient jdbc, JsonMapper json, @Qualifier("viewLineageRelayLoop") RelayLoop relay, Clock clock) {
        this.jdbc = requireNonNull(jdbc, "jdbc");
        this.json = requireNonNull(json, "json");
        this.relay = requireNonNull(relay, "relay");
        this.clock = requireNonNull(clock, "clock");
    }

    /** Inside the defining transaction; the relay is woken once it commits. */
    public void record(ViewDefinition view) {
        jdbc.sql(ENQUEUE)
                .param("runId", view.runId())
                .param("view", view.view())
                .param("type", view.viewType())
                .param("reads", json.writeValueAsString(view.reads()))
                .param("definedAt", utc(view.definedAt()))
                .param("now", utc(clock.instant()))
                .update();
        if (TransactionSynchronizationManager.isSynchronizationActive()) {
            TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
                @Override
                public void afterCommit() {
                    relay.wakeUp();
                }
            });
        } else {
            relay.wakeUp();
        }
    }

    private static OffsetDateTime utc(Instant instant) {
        return OffsetDateTime.ofInstant(instant, ZoneOffset.UTC);
    }
}
