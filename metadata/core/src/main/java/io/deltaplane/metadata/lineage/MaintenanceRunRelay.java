package io.deltaplane.metadata.lineage;

import static java.util.Objects.requireNonNull;

import io.deltaplane.support.request.RequestIds;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.json.JsonMapper;

/**
 * Delivers maintenance runs to lineage-service as OpenLineage runs of job {@code
 * maintenance:<table>} ({@code POST /api/v1/lineage}), at least once and idempotently: per run a
 * {@code START} at its start time, carrying what it did as the run facet {@code
 * deltaplane_maintenance}, then {@code COMPLETE} (or {@code FAIL} with an {@code errorMessage}
 * facet) at its end. The run id is chosen when the run ends, so a repeated delivery names the same
 * run: lineage answers a repeated {@code START} of an ended run 409 {@code RUN_NOT_RUNNING} (taken
 * as delivered) and a repeated end as the end it already has. A row is claimed with a lease (as
 * the version relay does: several replicas, no transaction open while lineage is called), deleted
 * once lineage has both events, and otherwise backs off exponentially.
 */
public class MaintenanceRunRelay {

    private static final Logger log = LoggerFactory.getLogger(MaintenanceRunRelay.class);

    static final String OPENLINEAGE_PATH = "/api/v1/lineage";
    /** Runs claimed per round: maintenance runs are minutes apart per table, a round is never long. */
    static final int BATCH = 50;

    static final String PRODUCER = OpenLineageRuns.PRODUCER;
    static final String FACET_SCHEMA = "https://github.com/deltaplane/deltaplane/docs/maintenance.md#lineage";
    /** The OpenLineage job namespace of the platform's own jobs. */
    public static final String JOB_NAMESPACE = "deltaplane";

    private final RelayOutbox<Pending> outbox;
    private final LineageCalls lineage;
    private final LineageRelayProperties properties;
    private final JsonMapper json;

    public MaintenanceRunRelay(
            JdbcClient jdbc, LineageCalls lineage, LineageRelayProperties properties, JsonMapper json, Clock clock) {
        this.properties = requireNonNull(properties, "properties");
        this.json = requireNonNull(json, "json");
        this.outbox = new RelayOutbox<>(
                jdbc,
                "maintenance_run_outbox",
                "o.id, o.run_id, o.full_name, o.operation, o.run_trigger, o.started_at, o.ended_at, o.error,"
                        + " o.figures, o.attempts",
                (rs, n) -> new Pending(
                        rs.getLong("id"),
                        new MaintenanceRun(
                                rs.getObject("run_id", UUID.class),
                                rs.getString("full_name"),
                                rs.getString("operation"),
                                rs.getString("run_trigger"),
                                rs.getObject("started_at", OffsetDateTime.class).toInstant(),
                                rs.getObject("ended_at", OffsetDateTime.class).toInstant(),
                                rs.getString("error"),
                                json.readTree(rs.getString("figures"))),
                        rs.getInt("attempts")),
                Pending::id,
                Pending::attempts,
                properties,
                requireNonNull(clock, "clock"));
        this.lineage = requireNonNull(lineage, "lineage");
    }

    record Pending(long id, MaintenanceRun run, int attempts) {}

    /** One round: delivers the runs due, up to a batch, in the order they ran; how many reached lineage. */
    public int relayDue() {
        if (!properties.hasApiKey()) {
            return 0; // LineageRelay says so in the log; the runs wait in the outbox
        }
        return outbox.deliverEach(
                BATCH,
                row -> deliver(row.run()),
                (row, retry, error) -> log.warn(
                        "Lineage delivery of {} run {} of {} failed (attempt {}), retrying at {}: {}",
                        row.run().operation(),
                        row.run().runId(),
                        row.run().table(),
                        retry.attempt(),
                        retry.next(),
                        error));
    }

    /** Null when lineage has both events of the run, else why not. */
    private String deliver(MaintenanceRun run) {
        String requestId = RequestIds.generate();
        String started = post(startEvent(run), requestId, "RUN_NOT_RUNNING");
        return started != null ? started : post(endEvent(run), requestId, null);
    }

    private String post(Map<String, Object> event, String requestId, String alreadyApplied) {
        return OpenLineageRuns.post(lineage, json, event, requestId, alreadyApplied);
    }

    static Map<String, Object> startEvent(MaintenanceRun run) {
        Map<String, Object> facet = new LinkedHashMap<>();
        facet.put("_producer", PRODUCER);
        facet.put("_schemaURL", FACET_SCHEMA);
        facet.put("operation", run.operation());
        facet.put("table", run.table());
        facet.put("trigger", run.trigger());
        facet.put(
                "duration_ms", Duration.between(run.startedAt(), run.endedAt()).toMillis());
        facet.put("result", run.figures());
        return event("START", run.startedAt(), run, Map.of("deltaplane_maintenance", facet));
    }

    static Map<String, Object> endEvent(MaintenanceRun run) {
        if (run.succeeded()) {
            return event("COMPLETE", run.endedAt(), run, Map.of());
        }
        Map<String, Object> errorMessage = new LinkedHashMap<>();
        errorMessage.put("_producer", PRODUCER);
        errorMessage.put(
                "_schemaURL",
                "https://openlineage.io/spec/facets/1-0-1/ErrorMessageRunFacet.json#/$defs/ErrorMessageRunFacet");
        errorMessage.put("message", run.error());
        errorMessage.put("programmingLanguage", "Java");
        return event("FAIL", run.endedAt(), run, Map.of("errorMessage", errorMessage));
    }

    private static Map<String, Object> event(
            String type, Instant at, MaintenanceRun run, Map<String, Object> runFacets) {
        return OpenLineageRuns.event(type, at, run.runId(), run.jobName(), runFacets, List.of(), List.of());
    }

    Duration backoff(int attempts) {
        return outbox.backoff(attempts);
    }
}
