package io.deltaplane.metadata.lineage;

import static java.util.Objects.requireNonNull;

import java.sql.Types;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;

/**
 * Keeps each maintenance run that ended until {@link MaintenanceRunRelay} has delivered it to
 * lineage: a lineage-service that is down or slow never holds up nor fails the maintenance itself.
 */
@Component
public class MaintenanceRunOutbox {

    static final String ENQUEUE = "INSERT INTO maintenance_run_outbox (run_id, full_name, operation, run_trigger,"
            + " started_at, ended_at, error, figures, next_attempt_at, created_at)"
            + " VALUES (:runId, :table, :operation, :trigger, :startedAt, :endedAt, :error, CAST(:figures AS jsonb),"
            + " :now, :now)";

    private final JdbcClient jdbc;
    private final JsonMapper json;
    private final RelayLoop relay;
    private final Clock clock;

    public MaintenanceRunOutbox(
            JdbcClient jdbc, JsonMapper json, @Qualifier("maintenanceRunRelayLoop") RelayLoop relay, Clock clock) {
        this.jdbc = requireNonNull(jdbc, "jdbc");
        this.json = requireNonNull(json, "json");
        this.relay = requireNonNull(relay, "relay");
        this.clock = requireNonNull(clock, "clock");
    }

    public void record(MaintenanceRun run) {
        jdbc.sql(ENQUEUE)
                .param("runId", run.runId())
                .param("table", run.table())
                .param("operation", run.operation())
                .param("trigger", run.trigger())
                .param("startedAt", utc(run.startedAt()))
                .param("endedAt", utc(run.endedAt()))
                .param("error", run.error(), Types.VARCHAR)
                .param("figures", json.writeValueAsString(run.figures()))
                .param("now", utc(clock.instant()))
                .update();
        relay.wakeUp();
    }

    private static OffsetDateTime utc(Instant instant) {
        return OffsetDateTime.ofInstant(instant, ZoneOffset.UTC);
    }
}
