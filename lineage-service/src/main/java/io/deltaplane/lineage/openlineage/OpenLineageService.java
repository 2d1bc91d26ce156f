package io.deltaplane.lineage.openlineage;

import static java.util.Objects.requireNonNull;

import io.deltaplane.lineage.column.ColumnLineageRecorder;
import io.deltaplane.lineage.common.Times;
import io.deltaplane.lineage.run.Run;
import io.deltaplane.lineage.run.RunRecords.CompleteRun;
import io.deltaplane.lineage.run.RunRecords.StartRun;
import io.deltaplane.lineage.run.RunRepository;
import io.deltaplane.lineage.run.RunService;
import io.deltaplane.lineage.runref.RunLookup;
import io.deltaplane.lineage.runref.RunRef;
import io.deltaplane.lineage.runref.RunState;
import io.deltaplane.lineage.snapshot.SnapshotService;
import io.deltaplane.support.names.Names;
import io.deltaplane.support.problem.ApiException;
import io.deltaplane.support.problem.ErrorCode;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * Maps OpenLineage RunEvents onto the same jobs, runs and snapshots the REST API makes, as Marquez
 * does: START opens the run (with the event's run id), inputs become reads, outputs become
 * snapshots written by the run, COMPLETE/FAIL/ABORT end it. The raw event is kept. An event for an
 * existing run must name its job, and an ended run takes only a repeat of its end or OTHER (see
 * {@link ExistingRun}); inputs and outputs must be arrays of datasets.
 */
@Service
public class OpenLineageService {

    private static final Set<String> TYPES = Set.of("START", "RUNNING", "COMPLETE", "FAIL", "ABORT", "OTHER");

    private final OpenLineageRepository events;
    private final RunService runService;
    private final RunRepository runs;
    private final RunLookup lookup;
    private final SnapshotService snapshots;
    private final ColumnLineageRecorder columnLineage;
    private final JsonMapper json;
    private final Clock clock;

    public OpenLineageService(
            OpenLineageRepository events,
            RunService runService,
            RunRepository runs,
            RunLookup lookup,
            SnapshotService snapshots,
            ColumnLineageRecorder columnLineage,
            JsonMapper json,
            Clock clock) {
        this.events = requireNonNull(events, "events");
        this.runService = requireNonNull(runService, "runService");
        this.runs = requireNonNull(runs, "runs");
        this.lookup = requireNonNull(lookup, "lookup");
        this.snapshots = requireNonNull(snapshots, "snapshots");
        this.columnLineage = requireNonNull(columnLineage, "columnLineage");
        this.json = requireNonNull(json, "json");
        this.clock = requireNonNull(clock, "clock");
    }

    public record Accepted(UUID runId, String jobName, RunState state) {}

    /** The parts of a RunEvent every event must have, checked as this endpoint checks them. */
    record Header(String type, Instant eventTime, UUID runId, String namespace, String jobName) {}

    static Header header(JsonNode event) {
        if (event == null || !event.isObject()) {
            throw invalid("the body must be a JSON object (an OpenLineage RunEvent)");
        }
        String type = text(event, "eventType", "START").toUpperCase(java.util.Locale.ROOT);
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

    @Transactional
    public Accepted accept(JsonNode event) {
        Header header = header(event);
        String type = header.type();
        Instant eventTime = header.eventTime();
        UUID runId = header.runId();
        String namespace = header.namespace();
        String jobName = header.jobName();

        // Locked until the event is applied, so the run cannot end or change meanwhile.
        Optional<Run> existing = runs.lock(runId);
        existing.ifPresent(
                r -> new ExistingRun(r.id(), r.jobName(), events.firstNamespace(runId), r.state()).admit(header));

        events.insert(runId, type, eventTime, namespace, jobName, json.writeValueAsString(event), Times.now(clock));

        if (existing.isEmpty()) {
            runService.start(
                    jobName,
                    namespace,
                    runId,
                    new StartRun(facets(event.path("run")), null, null),
                    eventTime,
                    "openlineage");
        }
        RunRef run = lookup.require(runId, null);
        // An ABANDONED run was only silent: what it reports late still counts.
        if (run.state() == RunState.RUNNING || run.state() == RunState.ABANDONED) {
            for (JsonNode input : event.path("inputs")) {
                snapshots.recordRead(
                        run,
                        name(input.path("name"), "inputs[].name"),
                        name(input.path("namespace"), "inputs[].namespace"));
            }
            for (JsonNode output : event.path("outputs")) {
                String dsNamespace = name(output.path("namespace"), "outputs[].namespace");
                String dsName = name(output.path("name"), "outputs[].name");
                JsonNode facets = output.path("facets");
                snapshots.recordWrite(
                        run,
                        dsName,
                        dsNamespace,
                        uri(dsNamespace, dsName),
                        format(facets),
                        schema(facets.path("schema")));
                columnLineage.record(runId, dsNamespace, dsName, facets.path("columnLineage"));
            }
        }
        RunState state = run.state();
        if (ends(type)) {
            state = runService
                    .complete(null, runId, new CompleteRun(type.equals("COMPLETE"), null, null), eventTime)
                    .state();
        }
        return new Accepted(runId, run.jobName(), state);
    }

    // The run facets are kept as the run's metadata (nominal time, parent, processing engine, …).
    static JsonNode facets(JsonNode run) {
        JsonNode facets = run.path("facets");
        return facets.isObject() && !facets.isEmpty() ? facets : null;
    }

    JsonNode schema(JsonNode facet) {
        if (!facet.path("fields").isArray()) {
            return null;
        }
        ObjectNode schema = json.createObjectNode();
        schema.set("fields", facet.get("fields"));
        return schema;
    }

    static String format(JsonNode facets) {
        String fileFormat = facets.path("storage").path("fileFormat").asString("");
        return fileFormat.matches("[A-Za-z0-9_.-]{1,64}") ? fileFormat : "openlineage";
    }

    // A dataset's address is its namespace (a scheme and authority, e.g. s3://bucket) plus its name.
    static String uri(String namespace, String name) {
        if (name.contains("://")) {
            return name;
        }
        if (namespace.endsWith("/") || name.startsWith("/")) {
            return namespace + name;
        }
        return namespace + "/" + name;
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

    static String name(JsonNode node, String field) {
        if (!node.isString() || !Names.isForeign(node.asString())) {
            throw invalid(field, "must be a non-empty string without control characters");
        }
        return node.asString();
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
