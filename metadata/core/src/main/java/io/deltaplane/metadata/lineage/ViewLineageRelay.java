package io.deltaplane.metadata.lineage;

import static java.util.Objects.requireNonNull;

import io.deltaplane.support.request.RequestIds;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/**
 * Delivers view definitions to lineage-service as OpenLineage runs of job {@code view:<view>}
 * ({@code POST /api/v1/lineage}), at least once and idempotently: a {@code START} at the
 * definition's time whose inputs are the tables and views the view reads and whose output is the
 * view (so lineage's graph has an edge from each to the view), then {@code COMPLETE}. The run id is
 * chosen when the view is defined, so a repeated delivery names the same run (lineage answers a
 * repeated {@code START} of an ended run 409 {@code RUN_NOT_RUNNING}, taken as delivered). Rows are
 * claimed, deleted and backed off as every outbox's ({@link RelayOutbox}).
 */
public class ViewLineageRelay {

    private static final Logger log = LoggerFactory.getLogger(ViewLineageRelay.class);

    /** Views claimed per round. */
    static final int BATCH = 50;

    private static final TypeReference<List<String>> NAMES = new TypeReference<>() {};

    private final RelayOutbox<Pending> outbox;
    private final LineageCalls lineage;
    private final LineageRelayProperties properties;
    private final JsonMapper json;

    public ViewLineageRelay(
            JdbcClient jdbc, LineageCalls lineage, LineageRelayProperties properties, JsonMapper json, Clock clock) {
        this.properties = requireNonNull(properties, "properties");
        this.json = requireNonNull(json, "json");
        this.lineage = requireNonNull(lineage, "lineage");
        this.outbox = new RelayOutbox<>(
                jdbc,
                "view_lineage_outbox",
                "o.id, o.run_id, o.full_name, o.view_type, o.reads, o.defined_at, o.attempts",
                (rs, n) -> new Pending(
                        rs.getLong("id"),
                        new ViewDefinition(
                                rs.getObject("run_id", UUID.class),
                                rs.getString("full_name"),
                                rs.getString("view_type"),
                                json.readValue(rs.getString("reads"), NAMES),
                                rs.getObject("defined_at", OffsetDateTime.class).toInstant()),
                        rs.getInt("attempts")),
                Pending::id,
                Pending::attempts,
                properties,
                requireNonNull(clock, "clock"));
    }

    record Pending(long id, ViewDefinition view, int attempts) {}

    /** One round: delivers the definitions due, up to a batch, in order; how many reached lineage. */
    public int relayDue() {
        if (!properties.hasApiKey()) {
            return 0; // LineageRelay says so in the log; the definitions wait in the outbox
        }
        return outbox.deliverEach(
                BATCH,
                row -> deliver(row.view()),
                (row, retry, error) -> log.warn(
                        "Lineage delivery of view {} failed (attempt {}), retrying at {}: {}",
                        row.view().view(),
                        retry.attempt(),
                        retry.next(),
                        error));
    }

    /** Null when lineage has both events of the definition, else why not. */
    private String deliver(ViewDefinition view) {
        String requestId = RequestIds.generate();
        String started = OpenLineageRuns.post(lineage, json, startEvent(view), requestId, "RUN_NOT_RUNNING");
        return started != null ? started : OpenLineageRuns.post(lineage, json, endEvent(view), requestId, null);
    }

    static Map<String, Object> startEvent(ViewDefinition view) {
        return OpenLineageRuns.event(
                "START",
                view.definedAt(),
                view.runId(),
                view.jobName(),
                Map.of(),
                view.reads().stream().map(OpenLineageRuns::dataset).toList(),
                List.of(OpenLineageRuns.dataset(view.view())));
    }

    static Map<String, Object> endEvent(ViewDefinition view) {
        return OpenLineageRuns.event(
                "COMPLETE", view.definedAt(), view.runId(), view.jobName(), Map.of(), List.of(), List.of());
    }
}
