package io.deltaplane.lineage.openlineage;

import io.deltaplane.support.names.Names;
import io.deltaplane.support.problem.ApiException;
import io.deltaplane.support.problem.ErrorCode;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * What this service reads from an OpenLineage RunEvent, and what it requires of one before anything
 * is stored: a known event type, an event time with an offset, a run id, a job, and inputs and
 * outputs that are arrays of datasets. A missing or malformed part is the 400 {@code
 * INVALID_OPENLINEAGE_EVENT} naming the field. Also how a dataset becomes a snapshot: its address,
 * format and schema.
 */
final class RunEvents {

    private static final Set<String> TYPES = Set.of("START", "RUNNING", "COMPLETE", "FAIL", "ABORT", "OTHER");

    private RunEvents() {}

    /** The parts of a RunEvent every event must have. */
    record Header(String type, Instant eventTime, UUID runId, String namespace, String jobName) {}

    /** The event's header, once the whole event is checked; the 400 the event gets otherwise. */
    static Header header(JsonNode event) {
        if (event == null || !event.isObject()) {
            throw invalid("the body must be a JSON object (an OpenLineage RunEvent)");
        }
        String type = text(event, "eventType", "START").toUpperCase(Locale.ROOT);
        if (!TYPES.contains(type)) {
            throw invalid("eventType", "must be one of " + TYPES);
        }
        Instant eventTime = time(event.path("eventTime"));
        UUID runId = uuid(event.path("run").path("runId"));
        JsonNode job = event.path("job");
        String namespace = name(job.path("namespace"), "job.namespace");
        String jobName = name(job.path("name"), "job.name");
        requireDatasets(event, "inputs");
        requireDatasets(event, "outputs");
        return new Header(type, eventTime, runId, namespace, jobName);
    }

    // inputs and outputs are lists of dataset objects (absent or null: none), checked whole before
    // anything is stored: an object's members, or a string, are not datasets to skip or guess.
    private static void requireDatasets(JsonNode event, String field) {
        JsonNode datasets = event.path(field);
        if (datasets.isMissingNode() || datasets.isNull()) {
            return;
        }
        if (!datasets.isArray()) {
            throw invalid(field, "must be an array of datasets");
        }
        for (int i = 0; i < datasets.size(); i++) {
            JsonNode dataset = datasets.get(i);
            String at = field + "[" + i + "]";
            if (!dataset.isObject()) {
                throw invalid(at, "must be an object (a dataset)");
            }
            name(dataset.path("namespace"), at + ".namespace");
            name(dataset.path("name"), at + ".name");
        }
    }

    /** Whether an event of this type ends its run. */
    static boolean ends(String type) {
        return type.equals("COMPLETE") || type.equals("FAIL") || type.equals("ABORT");
    }

    /** The run facets, kept as the run's metadata (nominal time, parent, processing engine, …); null for none. */
    static JsonNode facets(JsonNode run) {
        JsonNode facets = run.path("facets");
        return facets.isObject() && !facets.isEmpty() ? facets : null;
    }

    /** A dataset's {@code schema} facet as the snapshot's schema ({@code {"fields": […]}}); null without fields. */
    static JsonNode schema(JsonNode facet) {
        if (!facet.path("fields").isArray()) {
            return null;
        }
        ObjectNode schema = JsonNodeFactory.instance.objectNode();
        schema.set("fields", facet.get("fields"));
        return schema;
    }

    /** The snapshot's format: the {@code storage} facet's file format, else "openlineage". */
    static String format(JsonNode facets) {
        String fileFormat = facets.path("storage").path("fileFormat").asString("");
        return fileFormat.matches("[A-Za-z0-9_.-]{1,64}") ? fileFormat : "openlineage";
    }

    /** A dataset's address: its namespace (a scheme and authority, e.g. s3://bucket) plus its name. */
    static String uri(String namespace, String name) {
        if (name.contains("://")) {
            return name;
        }
        if (namespace.endsWith("/") || name.startsWith("/")) {
            return namespace + name;
        }
        return namespace + "/" + name;
    }

    /** A job or dataset name or namespace: a non-empty string without control characters. */
    static String name(JsonNode node, String field) {
        if (!node.isString() || !Names.isForeign(node.asString())) {
            throw invalid(field, "must be a non-empty string without control characters");
        }
        return node.asString();
    }

    private static String text(JsonNode node, String field, String fallback) {
        JsonNode value = node.path(field);
        if (value.isMissingNode() || value.isNull()) {
            return fallback;
        }
        if (!value.isString()) {
            throw invalid(field, "must be a string");
        }
        return value.asString();
    }

    private static UUID uuid(JsonNode node) {
        try {
            if (node.isString()) {
                return UUID.fromString(node.asString());
            }
        } catch (IllegalArgumentException e) {
            // falls through
        }
        throw invalid("run.runId", "must be a UUID");
    }

    private static Instant time(JsonNode node) {
        try {
            if (node.isString()) {
                return OffsetDateTime.parse(node.asString()).toInstant().truncatedTo(ChronoUnit.MICROS);
            }
        } catch (DateTimeParseException e) {
            // falls through
        }
        throw invalid("eventTime", "must be an ISO-8601 date-time with an offset");
    }

    private static ApiException invalid(String detail) {
        return ApiException.badRequest(
                ErrorCode.INVALID_OPENLINEAGE_EVENT, "Not an OpenLineage RunEvent: " + detail + ".");
    }

    // As the platform's validation problems do, errors names the field (InvalidField's shape).
    private static ApiException invalid(String field, String message) {
        return new ApiException(
                ErrorCode.INVALID_OPENLINEAGE_EVENT,
                "Not an OpenLineage RunEvent: " + field + " " + message + ".",
                Map.of("errors", List.of(Map.of("field", field, "message", message))));
    }
}
