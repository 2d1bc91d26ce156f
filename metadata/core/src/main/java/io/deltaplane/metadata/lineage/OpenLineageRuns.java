package io.deltaplane.metadata.lineage;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/**
 * The OpenLineage run events the platform sends about its own work (maintenance runs, views), and
 * how a relay posts one: the same producer, schema and job namespace for each, and a 409 that says
 * the event was applied before taken as delivered.
 */
final class OpenLineageRuns {

    static final String PRODUCER = "https://github.com/deltaplane/deltaplane/metadata-service";
    static final String RUN_EVENT_SCHEMA = "https://openlineage.io/spec/2-0-2/OpenLineage.json#/definitions/RunEvent";
    /** The namespace lineage-service keeps the platform's own tables in (its snapshots' datasets). */
    static final String TABLE_NAMESPACE = "default";

    private static final TypeReference<Map<String, Object>> PLAIN = new TypeReference<>() {};

    private OpenLineageRuns() {}

    /** A run event of the platform's job {@code jobName}; datasets as {@link #dataset}. */
    static Map<String, Object> event(
            String type,
            Instant at,
            UUID runId,
            String jobName,
            Map<String, Object> runFacets,
            List<Map<String, Object>> inputs,
            List<Map<String, Object>> outputs) {
        Map<String, Object> run = new LinkedHashMap<>();
        run.put("runId", runId.toString());
        if (!runFacets.isEmpty()) {
            run.put("facets", runFacets);
        }
        Map<String, Object> event = new LinkedHashMap<>();
        event.put("eventType", type);
        event.put("eventTime", at.toString());
        event.put("run", run);
        event.put("job", Map.of("namespace", MaintenanceRunRelay.JOB_NAMESPACE, "name", jobName));
        if (!inputs.isEmpty()) {
            event.put("inputs", inputs);
        }
        if (!outputs.isEmpty()) {
            event.put("outputs", outputs);
        }
        event.put("producer", PRODUCER);
        event.put("schemaURL", RUN_EVENT_SCHEMA);
        return event;
    }

    /** One of the platform's tables or views as an OpenLineage dataset. */
    static Map<String, Object> dataset(String fullName) {
        return Map.of("namespace", TABLE_NAMESPACE, "name", fullName);
    }

    /**
     * Posts {@code event}; null when lineage took it (or answered 409 {@code alreadyApplied}: a
     * repeated delivery), else why not.
     */
    static String post(
            LineageCalls lineage, JsonMapper json, Map<String, Object> event, String requestId, String alreadyApplied) {
        try {
            // plain maps and lists: parts of an event may be JSON trees of this service's JSON library
            lineage.runEvent(json.convertValue(event, PLAIN), requestId);
            return null;
        } catch (LineageCalls.Failed e) {
            if (alreadyApplied != null && e.status() == 409 && e.errorCode().equals(alreadyApplied)) {
                return null;
            }
            return e.describe();
        }
    }
}
