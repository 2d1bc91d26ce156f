package io.deltaplane.lineage.openlineage;

import static java.util.Objects.requireNonNull;

import io.deltaplane.lineage.column.ColumnLineageRecorder;
import io.deltaplane.lineage.column.ColumnLineageRecorder.FieldPair;
import io.deltaplane.lineage.common.Times;
import io.deltaplane.lineage.openlineage.OpenLineageService.Accepted;
import io.deltaplane.lineage.openlineage.OpenLineageService.Header;
import io.deltaplane.lineage.run.RunProperties;
import io.deltaplane.lineage.runref.RunState;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.regex.Pattern;
import org.springframework.jdbc.core.RowCallbackHandler;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.support.SqlArrayValue;
import org.springframework.stereotype.Component;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * Applies a whole batch of OpenLineage RunEvents with a handful of set-based statements (one
 * multi-row INSERT … SELECT FROM unnest(…) per table, idempotent with ON CONFLICT) instead of a dozen
 * statements per event, leaving exactly what {@link OpenLineageService#accept} leaves when the events
 * are sent one by one, in order: the runs' states are followed event by event in memory, so a repeat
 * of a run's end or an OTHER event after it adds no reads or writes, a read sees the snapshot an
 * earlier event of the batch wrote, a run's first event starts it. Whatever this path cannot apply
 * exactly as the single events would be applied (an invalid event, one {@link ExistingRun} refuses,
 * a completion that conflicts with the recorded one, a value Postgres refuses) throws, and the
 * caller falls back to the event-by-event path. Runs in the caller's transaction.
 */
@Component
public class OpenLineageBatchWriter {

    /** Thrown when the batch holds something only the event-by-event path answers exactly. */
    static final class NotSetBased extends RuntimeException {
        NotSetBased(String why) {
            super(why, null, false, false);
        }
    }

    // The runs the batch names that exist, locked (as a single event locks its run), in one order;
    // with the job namespace each run's first event named (ExistingRun's rule needs it).
    static final String LOCK_RUNS = "SELECT r.id, r.job_id, j.name AS job_name, r.state, r.completion::text AS"
            + " completion, (SELECT e.job_namespace FROM openlineage_events e WHERE e.run_id = r.id ORDER BY e.id"
            + " LIMIT 1) AS namespace FROM runs r JOIN jobs j ON j.id = r.job_id"
            + " WHERE r.id = ANY (CAST(:ids AS uuid[])) ORDER BY r.id FOR UPDATE OF r";
    // Finds the jobs by name and creates those missing, in one statement.
    static final String UPSERT_JOBS = "WITH want AS (SELECT * FROM unnest(CAST(:names AS text[]),"
            + " CAST(:namespaces AS text[])) AS u(name, namespace)), found AS (SELECT j.id, j.name FROM jobs j"
            + " JOIN want w ON j.name = w.name), added AS (INSERT INTO jobs (name, namespace, created_at, updated_at)"
            + " SELECT w.name, w.namespace, :now, :now FROM want w WHERE NOT EXISTS (SELECT 1 FROM found f"
            + " WHERE f.name = w.name) ORDER BY w.name ON CONFLICT (name) DO NOTHING RETURNING id, name)"
            + " SELECT id, name FROM found UNION ALL SELECT id, name FROM added";
    // A run the batch starts is stored once, in the state the batch leaves it in (a run started and
    // completed by one batch is never updated: one row version, one entry in each of its indexes).
    static final String INSERT_RUNS = "INSERT INTO runs (id, job_id, state, metadata, started_at, ended_at,"
            + " completion, heartbeat_timeout_ms, heartbeat_deadline, source) SELECT CAST(u.id AS uuid), u.job_id,"
            + " u.state, CAST(u.metadata AS jsonb), CAST(u.started_at AS timestamptz),"
            + " CAST(u.ended_at AS timestamptz), CAST(u.completion AS jsonb), :timeout, :deadline, 'openlineage'"
            + " FROM unnest(CAST(:ids AS text[]), CAST(:jobs AS bigint[]), CAST(:states AS text[]),"
            + " CAST(:metadata AS text[]), CAST(:started AS text[]), CAST(:ended AS text[]),"
            + " CAST(:completions AS text[])) AS u(id, job_id, state, metadata, started_at, ended_at, completion)"
            + " ORDER BY u.id";
    static final String FINISH_RUNS = "UPDATE runs r SET state = u.state, ended_at = CAST(u.ended_at AS timestamptz),"
            + " completion = CAST(u.completion AS jsonb) FROM unnest(CAST(:ids AS text[]), CAST(:states AS text[]),"
            + " CAST(:ended AS text[]), CAST(:completions AS text[])) AS u(id, state, ended_at, completion)"
            + " WHERE r.id = CAST(u.id AS uuid)";
    static final String INSERT_EVENTS = "INSERT INTO openlineage_events (run_id, event_type, event_time,"
            + " job_namespace, job_name, payload, received_at) SELECT CAST(u.run_id AS uuid), u.type,"
            + " CAST(u.event_time AS timestamptz), u.namespace, u.job, CAST(u.payload AS jsonb), :now"
            + " FROM unnest(CAST(:runs AS text[]), CAST(:types AS text[]), CAST(:times AS text[]),"
            + " CAST(:namespaces AS text[]), CAST(:jobs AS text[]), CAST(:payloads AS text[]))"
            + " WITH ORDINALITY AS u(run_id, type, event_time, namespace, job, payload, n) ORDER BY u.n";
    // Finds the datasets and registers those missing, in one statement; for each known dataset the
    // batch reads, its latest snapshot as SnapshotRepository.LATEST orders them (one index probe each).
    static final String UPSERT_TABLES = "WITH want AS (SELECT * FROM unnest(CAST(:namespaces AS text[]),"
            + " CAST(:names AS text[]), CAST(:reads AS boolean[])) AS u(namespace, name, read)), found AS ("
            + "SELECT t.id, t.namespace, t.name, w.read FROM tracked_tables t JOIN want w ON t.namespace ="
            + " w.namespace AND t.name = w.name), added AS (INSERT INTO tracked_tables (name, namespace,"
            + " created_at) SELECT w.name, w.namespace, :now FROM want w WHERE NOT EXISTS (SELECT 1 FROM found f"
            + " WHERE f.namespace = w.namespace AND f.name = w.name) ORDER BY w.namespace, w.name"
            + " ON CONFLICT (namespace, name) DO NOTHING RETURNING id, namespace, name)"
            + " SELECT f.id, f.namespace, f.name, l.id AS latest, l.versioned, l.created_at FROM found f"
            + " LEFT JOIN LATERAL (SELECT s.id, s.version IS NOT NULL AS versioned, s.created_at FROM snapshots s"
            + " WHERE f.read AND s.table_id = f.id ORDER BY s.version IS NULL, s.version DESC, s.created_at DESC,"
            + " s.id DESC LIMIT 1) l ON true UNION ALL SELECT a.id, a.namespace, a.name, NULL, NULL, NULL"
            + " FROM added a";
    static final String WRITTEN = "SELECT run_id, table_id FROM snapshots WHERE run_id = ANY (CAST(:runs AS uuid[]))";
    static final String INSERT_SNAPSHOTS = "INSERT INTO snapshots (table_id, uri, format, schema, run_id, created_at,"
            + " source) SELECT u.table_id, u.uri, u.format, CAST(u.schema AS jsonb), CAST(u.run_id AS uuid), :now,"
            + " 'openlineage' FROM unnest(CAST(:tables AS bigint[]), CAST(:uris AS text[]), CAST(:formats AS text[]),"
            + " CAST(:schemas AS text[]), CAST(:runs AS text[])) WITH ORDINALITY"
            + " AS u(table_id, uri, format, schema, run_id, n) ORDER BY u.n RETURNING id, table_id, run_id";
    static final String INSERT_INPUTS = "INSERT INTO run_inputs (run_id, table_id, snapshot_id, read_at)"
            + " SELECT CAST(u.run_id AS uuid), u.table_id, u.snapshot_id, :now FROM unnest(CAST(:runs AS text[]),"
            + " CAST(:tables AS bigint[]), CAST(:snapshots AS bigint[])) AS u(run_id, table_id, snapshot_id)"
            + " ORDER BY 1, 2, 3 ON CONFLICT DO NOTHING";
    static final String INSERT_EDGES = "INSERT INTO edges (src, dst, first_seen) SELECT u.src, u.dst, :now"
            + " FROM unnest(CAST(:srcs AS bigint[]), CAST(:dsts AS bigint[])) AS u(src, dst) ORDER BY u.src, u.dst"
            + " ON CONFLICT (src, dst) DO NOTHING";
    static final String INSERT_COLUMNS = "INSERT INTO column_lineage (run_id, output_table_id, output_field,"
            + " input_table_id, input_field, transformation_type, transformation_subtype, description, created_at)"
            + " SELECT CAST(u.run_id AS uuid), u.out_table, u.out_field, u.in_table, u.in_field, u.type, u.subtype,"
            + " u.description, :now FROM unnest(CAST(:runs AS text[]), CAST(:out_tables AS bigint[]),"
            + " CAST(:out_fields AS text[]), CAST(:in_tables AS bigint[]), CAST(:in_fields AS text[]),"
            + " CAST(:types AS text[]), CAST(:subtypes AS text[]), CAST(:descriptions AS text[])) WITH ORDINALITY"
            + " AS u(run_id, out_table, out_field, in_table, in_field, type, subtype, description, n) ORDER BY u.n"
            + " ON CONFLICT ON CONSTRAINT column_lineage_once DO NOTHING";

    // Timestamps travel as ISO text; outside these years the event-by-event path binds them itself.
    private static final Instant EARLIEST = Instant.parse("0001-01-01T00:00:00Z");
    private static final Instant LATEST = Instant.parse("9999-12-31T23:59:59Z");

    private final JdbcClient jdbc;
    private final OpenLineageService service;
    private final RunProperties runProperties;
    private final JsonMapper json;
    private final Clock clock;

    public OpenLineageBatchWriter(
            JdbcClient jdbc, OpenLineageService service, RunProperties runProperties, JsonMapper json, Clock clock) {
        this.jdbc = requireNonNull(jdbc, "jdbc");
        this.service = requireNonNull(service, "service");
        this.runProperties = requireNonNull(runProperties, "runProperties");
        this.json = requireNonNull(json, "json");
        this.clock = requireNonNull(clock, "clock");
    }

    /** A dataset by namespace and name. */
    private record Dataset(String namespace, String name) {}

    /** What the batch knows of a run as it goes through the events. */
    private static final class RunSoFar {
        final UUID id;
        long jobId;
        String jobName;
        String namespace;
        RunState state;
        String completion;
        boolean created;
        String metadata;
        Instant startedAt;
        boolean finished;
        Instant endedAt;

        RunSoFar(UUID id, long jobId, String jobName, String namespace, RunState state, String completion) {
            this.id = id;
            this.jobId = jobId;
            this.jobName = jobName;
            this.namespace = namespace;
            this.state = state;
            this.completion = completion;
        }

        boolean open() {
            return state == RunState.RUNNING || state == RunState.ABANDONED;
        }

        ExistingRun existing() {
            return new ExistingRun(id, jobName, namespace, state);
        }
    }

    private record Read(int event, RunSoFar run, Dataset dataset) {}

    private record Write(int event, RunSoFar run, Dataset dataset, String uri, String format, String schema) {}

    private record Columns(RunSoFar run, Dataset output, List<FieldPair> pairs) {}

    /** Applies the events in order; one answer per event. Throws when only the event-by-event path can. */
    public List<Accepted> apply(List<JsonNode> batch) {
        Instant now = Times.now(clock);
        int n = batch.size();
        List<Header> headers = new ArrayList<>(n);
        for (JsonNode event : batch) {
            Header h;
            try {
                h = OpenLineageService.header(event);
            } catch (RuntimeException invalid) {
                throw new NotSetBased("event is not valid: " + invalid.getMessage());
            }
            if (h.eventTime().isBefore(EARLIEST) || h.eventTime().isAfter(LATEST)) {
                throw new NotSetBased("event time outside 0001-9999");
            }
            headers.add(h);
        }

        Map<UUID, RunSoFar> runs = lockRuns(headers);
        startRuns(batch, headers, runs, now);

        // Follow each run through the events, in order, as the event-by-event path would.
        List<Accepted> answers = new ArrayList<>(n);
        List<Read> reads = new ArrayList<>();
        List<Write> writes = new ArrayList<>();
        List<Columns> columns = new ArrayList<>();
        Set<Dataset> datasets = new HashSet<>();
        Set<Dataset> readDatasets = new HashSet<>();
        ObjectNode succeeded = json.createObjectNode().put("success", true);
        ObjectNode failed = json.createObjectNode().put("success", false);
        for (int i = 0; i < n; i++) {
            JsonNode event = batch.get(i);
            Header h = headers.get(i);
            RunSoFar run = runs.get(h.runId());
            RunState stateThen = run.state;
            try {
                // another job's run, or an ended run told something new: the 409 it gets alone
                run.existing().admit(h);
                if (run.namespace == null) {
                    // a run the REST API started: its first event names its namespace, as alone
                    run.namespace = h.namespace();
                }
                if (run.open()) {
                    for (JsonNode input : event.path("inputs")) {
                        Dataset d = new Dataset(
                                OpenLineageService.name(input.path("namespace"), "inputs[].namespace"),
                                OpenLineageService.name(input.path("name"), "inputs[].name"));
                        reads.add(new Read(i, run, d));
                        datasets.add(d);
                        readDatasets.add(d);
                    }
                    for (JsonNode output : event.path("outputs")) {
                        String ns = OpenLineageService.name(output.path("namespace"), "outputs[].namespace");
                        String name = OpenLineageService.name(output.path("name"), "outputs[].name");
                        Dataset d = new Dataset(ns, name);
                        JsonNode facets = output.path("facets");
                        JsonNode schema = service.schema(facets.path("schema"));
                        writes.add(new Write(
                                i,
                                run,
                                d,
                                OpenLineageService.uri(ns, name),
                                OpenLineageService.format(facets),
                                schema == null ? null : json.writeValueAsString(schema)));
                        datasets.add(d);
                        JsonNode facet = facets.path("columnLineage");
                        if (ColumnLineageRecorder.hasFields(facet)) {
                            List<FieldPair> pairs = ColumnLineageRecorder.parse(facet);
                            columns.add(new Columns(run, d, pairs));
                            for (FieldPair p : pairs) {
                                datasets.add(new Dataset(p.inputNamespace(), p.inputName()));
                            }
                        }
                    }
                }
            } catch (RuntimeException refused) {
                throw new NotSetBased("event " + i + " is refused: " + refused.getMessage());
            }
            if (OpenLineageService.ends(h.type())) {
                boolean success = h.type().equals("COMPLETE");
                ObjectNode completion = success ? succeeded : failed;
                if (run.open() && run.completion == null) {
                    run.state = success ? RunState.COMPLETED : RunState.FAILED;
                    run.completion = json.writeValueAsString(completion);
                    run.endedAt = h.eventTime();
                    run.finished = true;
                } else if (run.completion == null
                        || !json.readTree(run.completion).equals(completion)) {
                    throw new NotSetBased("event " + i + " conflicts with its run's recorded outcome");
                }
                stateThen = run.state;
            }
            answers.add(new Accepted(h.runId(), run.jobName, stateThen));
        }

        Map<Long, Latest> latest = new HashMap<>();
        Map<Dataset, Long> tables = tableIds(datasets, readDatasets, latest, now);
        // Two round trips write it all: the runs, the raw events and the snapshots (whose ids the reads
        // need), then the reads, the edges, the column lineage and the runs that ended.
        Pending first = new Pending();
        insertRuns(first, runs.values(), now);
        insertEvents(first, batch, headers, now);
        List<Written> written = insertSnapshots(first, writes, tables, now);
        first.run();
        Pending second = new Pending();
        insertInputs(second, reads, written, tables, latest, now);
        insertEdges(second, reads, writes, tables, now);
        insertColumns(second, columns, tables, now);
        finishRuns(second, runs.values());
        second.run();
        return answers;
    }

    private Map<UUID, RunSoFar> lockRuns(List<Header> headers) {
        Set<UUID> ids = new TreeSet<>();
        for (Header h : headers) {
            ids.add(h.runId());
        }
        Map<UUID, RunSoFar> runs = new HashMap<>();
        jdbc.sql(LOCK_RUNS).param("ids", uuids(ids)).query(rs -> {
            UUID id = rs.getObject("id", UUID.class);
            runs.put(
                    id,
                    new RunSoFar(
                            id,
                            rs.getLong("job_id"),
                            rs.getString("job_name"),
                            rs.getString("namespace"),
                            RunState.valueOf(rs.getString("state")),
                            rs.getString("completion")));
        });
        return runs;
    }

    // A run the database does not know is started by its first event: that event's job, facets and
    // time. Its job is found or created now; the run is stored once the batch's events are followed.
    private void startRuns(List<JsonNode> batch, List<Header> headers, Map<UUID, RunSoFar> runs, Instant now) {
        Map<UUID, Integer> firstEvent = new LinkedHashMap<>();
        for (int i = 0; i < headers.size(); i++) {
            if (!runs.containsKey(headers.get(i).runId())) {
                firstEvent.putIfAbsent(headers.get(i).runId(), i);
            }
        }
        if (firstEvent.isEmpty()) {
            return;
        }
        Map<String, String> jobNamespaces = new LinkedHashMap<>();
        for (int i : firstEvent.values()) {
            jobNamespaces.putIfAbsent(headers.get(i).jobName(), headers.get(i).namespace());
        }
        Map<String, Long> jobIds = jobIds(jobNamespaces, now);
        for (Map.Entry<UUID, Integer> e : firstEvent.entrySet()) {
            Header h = headers.get(e.getValue());
            JsonNode facets = OpenLineageService.facets(batch.get(e.getValue()).path("run"));
            RunSoFar run = new RunSoFar(
                    e.getKey(), jobIds.get(h.jobName()), h.jobName(), h.namespace(), RunState.RUNNING, null);
            run.created = true;
            run.metadata = facets == null ? null : json.writeValueAsString(facets);
            run.startedAt = h.eventTime();
            runs.put(e.getKey(), run);
        }
    }

    // The runs this batch started, as the batch leaves them.
    private void insertRuns(Pending pending, Collection<RunSoFar> runs, Instant now) {
        List<RunSoFar> created = runs.stream().filter(r -> r.created).toList();
        if (created.isEmpty()) {
            return;
        }
        var timeout = runProperties.heartbeatTimeout();
        pending.add(
                INSERT_RUNS,
                new Params()
                        .put(
                                "ids",
                                array(
                                        "text",
                                        created.stream()
                                                .map(r -> r.id.toString())
                                                .toList()))
                        .put(
                                "jobs",
                                array(
                                        "bigint",
                                        created.stream().map(r -> r.jobId).toList()))
                        .put(
                                "states",
                                array(
                                        "text",
                                        created.stream()
                                                .map(r -> r.state.name())
                                                .toList()))
                        .put(
                                "metadata",
                                array(
                                        "text",
                                        created.stream().map(r -> r.metadata).toList()))
                        .put(
                                "started",
                                array(
                                        "text",
                                        created.stream()
                                                .map(r -> r.startedAt.toString())
                                                .toList()))
                        .put(
                                "ended",
                                array(
                                        "text",
                                        created.stream()
                                                .map(r -> text(r.endedAt))
                                                .toList()))
                        .put(
                                "completions",
                                array(
                                        "text",
                                        created.stream().map(r -> r.completion).toList()))
                        .put("timeout", timeout.toMillis())
                        // Silence counts from when we heard of the run (an OpenLineage START may be old news).
                        .put("deadline", Times.utc(now.plus(timeout)))
                        .map());
    }

    private static String text(Instant instant) {
        return instant == null ? null : instant.toString();
    }

    private Map<String, Long> jobIds(Map<String, String> jobNamespaces, Instant now) {
        Map<String, Long> ids = new HashMap<>();
        List<String> names = new ArrayList<>(jobNamespaces.keySet());
        // Twice at most: a job another request was creating meanwhile is found the second time.
        for (int attempt = 0; attempt < 2 && ids.size() < names.size(); attempt++) {
            jdbc.sql(UPSERT_JOBS)
                    .param("names", array("text", names))
                    .param(
                            "namespaces",
                            array("text", names.stream().map(jobNamespaces::get).toList()))
                    .param("now", Times.utc(now))
                    .query(rs -> {
                        ids.put(rs.getString("name"), rs.getLong("id"));
                    });
        }
        if (ids.size() < names.size()) {
            throw new NotSetBased("another request was creating a job of this batch");
        }
        return ids;
    }

    private void insertEvents(Pending pending, List<JsonNode> batch, List<Header> headers, Instant now) {
        int n = batch.size();
        String[] runIds = new String[n];
        String[] types = new String[n];
        String[] times = new String[n];
        String[] namespaces = new String[n];
        String[] jobs = new String[n];
        String[] payloads = new String[n];
        for (int i = 0; i < n; i++) {
            Header h = headers.get(i);
            runIds[i] = h.runId().toString();
            types[i] = h.type();
            times[i] = h.eventTime().toString();
            namespaces[i] = h.namespace();
            jobs[i] = h.jobName();
            payloads[i] = json.writeValueAsString(batch.get(i));
        }
        pending.add(
                INSERT_EVENTS,
                new Params()
                        .put("runs", new SqlArrayValue("text", (Object[]) runIds))
                        .put("types", new SqlArrayValue("text", (Object[]) types))
                        .put("times", new SqlArrayValue("text", (Object[]) times))
                        .put("namespaces", new SqlArrayValue("text", (Object[]) namespaces))
                        .put("jobs", new SqlArrayValue("text", (Object[]) jobs))
                        .put("payloads", new SqlArrayValue("text", (Object[]) payloads))
                        .put("now", Times.utc(now))
                        .map());
    }

    private Map<Dataset, Long> tableIds(
            Set<Dataset> datasets, Set<Dataset> read, Map<Long, Latest> latest, Instant now) {
        Map<Dataset, Long> ids = new HashMap<>();
        if (datasets.isEmpty()) {
            return ids;
        }
        List<Dataset> all = new ArrayList<>(datasets);
        // Twice at most: a dataset another request was registering meanwhile is found the second time.
        for (int attempt = 0; attempt < 2 && ids.size() < all.size(); attempt++) {
            jdbc.sql(UPSERT_TABLES)
                    .param(
                            "namespaces",
                            array("text", all.stream().map(Dataset::namespace).toList()))
                    .param(
                            "names",
                            array("text", all.stream().map(Dataset::name).toList()))
                    .param(
                            "reads",
                            array("boolean", all.stream().map(read::contains).toList()))
                    .param("now", Times.utc(now))
                    .query(rs -> {
                        long id = rs.getLong("id");
                        ids.put(new Dataset(rs.getString("namespace"), rs.getString("name")), id);
                        long snapshot = rs.getLong("latest");
                        if (!rs.wasNull()) {
                            latest.put(
                                    id,
                                    new Latest(
                                            snapshot,
                                            rs.getBoolean("versioned"),
                                            rs.getObject("created_at", OffsetDateTime.class)
                                                    .toInstant()));
                        }
                    });
        }
        if (ids.size() < all.size()) {
            throw new NotSetBased("another request was registering a dataset of this batch");
        }
        return ids;
    }

    private static String key(UUID run, long table) {
        return run + "/" + table;
    }

    /** A snapshot this batch stored: of which table, at which event. */
    private record Written(int event, long table, long id) {}

    // One snapshot per run and table however often told: the first write of a pair the run has not
    // written yet. Answers the new snapshots in the order of their events.
    private List<Written> insertSnapshots(Pending pending, List<Write> writes, Map<Dataset, Long> tables, Instant now) {
        if (writes.isEmpty()) {
            return List.of();
        }
        Set<String> already = new HashSet<>();
        Set<UUID> known = new TreeSet<>();
        for (Write w : writes) {
            if (!w.run().created) {
                known.add(w.run().id);
            }
        }
        if (!known.isEmpty()) {
            jdbc.sql(WRITTEN).param("runs", uuids(known)).query(rs -> {
                already.add(key(rs.getObject("run_id", UUID.class), rs.getLong("table_id")));
            });
        }
        List<Write> fresh = new ArrayList<>();
        for (Write w : writes) {
            if (already.add(key(w.run().id, tables.get(w.dataset())))) {
                fresh.add(w);
            }
        }
        if (fresh.isEmpty()) {
            return List.of();
        }
        int m = fresh.size();
        Long[] tableIds = new Long[m];
        String[] uris = new String[m];
        String[] formats = new String[m];
        String[] schemas = new String[m];
        String[] runIds = new String[m];
        for (int i = 0; i < m; i++) {
            Write w = fresh.get(i);
            tableIds[i] = tables.get(w.dataset());
            uris[i] = w.uri();
            formats[i] = w.format();
            schemas[i] = w.schema();
            runIds[i] = w.run().id.toString();
        }
        Map<String, Long> ids = new HashMap<>();
        String stored = pending.add(
                INSERT_SNAPSHOTS,
                new Params()
                        .put("tables", new SqlArrayValue("bigint", (Object[]) tableIds))
                        .put("uris", new SqlArrayValue("text", (Object[]) uris))
                        .put("formats", new SqlArrayValue("text", (Object[]) formats))
                        .put("schemas", new SqlArrayValue("text", (Object[]) schemas))
                        .put("runs", new SqlArrayValue("text", (Object[]) runIds))
                        .put("now", Times.utc(now))
                        .map());
        pending.run("SELECT id, table_id, run_id FROM " + stored, rs -> {
            ids.put(key(rs.getObject("run_id", UUID.class), rs.getLong("table_id")), rs.getLong("id"));
        });
        List<Written> written = new ArrayList<>(m);
        for (Write w : fresh) {
            long table = tables.get(w.dataset());
            written.add(new Written(w.event(), table, ids.get(key(w.run().id, table))));
        }
        return written;
    }

    private record Latest(long id, boolean versioned, Instant createdAt) {}

    // A read records the table's latest snapshot when it happened: the newest one an earlier event of
    // the batch wrote, unless the table's latest stored snapshot still sorts first (a version does).
    private void insertInputs(
            Pending pending,
            List<Read> reads,
            List<Written> written,
            Map<Dataset, Long> tables,
            Map<Long, Latest> stored,
            Instant now) {
        if (reads.isEmpty()) {
            return;
        }
        // The snapshots of this batch by table, in the order they were written.
        Map<Long, List<Written>> batchWrites = new HashMap<>();
        for (Written w : written) {
            batchWrites.computeIfAbsent(w.table(), t -> new ArrayList<>()).add(w);
        }
        Set<List<Object>> seen = new HashSet<>();
        List<String> runIds = new ArrayList<>();
        List<Long> tableIds = new ArrayList<>();
        List<Long> snapshotIds = new ArrayList<>();
        for (Read r : reads) {
            long table = tables.get(r.dataset());
            Latest latest = stored.get(table);
            Long snapshot = latest == null ? null : latest.id();
            boolean batchMayWin = latest == null
                    || (!latest.versioned() && !latest.createdAt().isAfter(now));
            if (batchMayWin) {
                for (Written w : batchWrites.getOrDefault(table, List.of())) {
                    if (w.event() < r.event()) {
                        snapshot = w.id();
                    }
                }
            }
            List<Object> row = java.util.Arrays.asList(r.run().id, table, snapshot);
            if (seen.add(row)) {
                runIds.add(r.run().id.toString());
                tableIds.add(table);
                snapshotIds.add(snapshot);
            }
        }
        pending.add(
                INSERT_INPUTS,
                new Params()
                        .put("runs", array("text", runIds))
                        .put("tables", array("bigint", tableIds))
                        .put("snapshots", array("bigint", snapshotIds))
                        .put("now", Times.utc(now))
                        .map());
    }

    // The job-level graph: table -> job for a read, job -> table for a write.
    private void insertEdges(
            Pending pending, List<Read> reads, List<Write> writes, Map<Dataset, Long> tables, Instant now) {
        Set<List<Long>> edges = new HashSet<>();
        for (Read r : reads) {
            edges.add(List.of(tables.get(r.dataset()), r.run().jobId));
        }
        for (Write w : writes) {
            edges.add(List.of(w.run().jobId, tables.get(w.dataset())));
        }
        if (edges.isEmpty()) {
            return;
        }
        pending.add(
                INSERT_EDGES,
                new Params()
                        .put(
                                "srcs",
                                array(
                                        "bigint",
                                        edges.stream().map(e -> e.get(0)).toList()))
                        .put(
                                "dsts",
                                array(
                                        "bigint",
                                        edges.stream().map(e -> e.get(1)).toList()))
                        .put("now", Times.utc(now))
                        .map());
    }

    private void insertColumns(Pending pending, List<Columns> columns, Map<Dataset, Long> tables, Instant now) {
        Set<List<Object>> seen = new HashSet<>();
        List<String> runIds = new ArrayList<>();
        List<Long> outTables = new ArrayList<>();
        List<String> outFields = new ArrayList<>();
        List<Long> inTables = new ArrayList<>();
        List<String> inFields = new ArrayList<>();
        List<String> types = new ArrayList<>();
        List<String> subtypes = new ArrayList<>();
        List<String> descriptions = new ArrayList<>();
        for (Columns c : columns) {
            long out = tables.get(c.output());
            for (FieldPair p : c.pairs()) {
                long in = tables.get(new Dataset(p.inputNamespace(), p.inputName()));
                if (seen.add(List.of(c.run().id, out, p.outputField(), in, p.inputField()))) {
                    runIds.add(c.run().id.toString());
                    outTables.add(out);
                    outFields.add(p.outputField());
                    inTables.add(in);
                    inFields.add(p.inputField());
                    types.add(p.transformationType());
                    subtypes.add(p.transformationSubtype());
                    descriptions.add(p.description());
                }
            }
        }
        if (runIds.isEmpty()) {
            return;
        }
        pending.add(
                INSERT_COLUMNS,
                new Params()
                        .put("runs", array("text", runIds))
                        .put("out_tables", array("bigint", outTables))
                        .put("out_fields", array("text", outFields))
                        .put("in_tables", array("bigint", inTables))
                        .put("in_fields", array("text", inFields))
                        .put("types", array("text", types))
                        .put("subtypes", array("text", subtypes))
                        .put("descriptions", array("text", descriptions))
                        .put("now", Times.utc(now))
                        .map());
    }

    private void finishRuns(Pending pending, Collection<RunSoFar> runs) {
        List<RunSoFar> finished =
                runs.stream().filter(r -> r.finished && !r.created).toList();
        if (finished.isEmpty()) {
            return;
        }
        pending.add(
                FINISH_RUNS,
                new Params()
                        .put(
                                "ids",
                                array(
                                        "text",
                                        finished.stream()
                                                .map(r -> r.id.toString())
                                                .toList()))
                        .put(
                                "states",
                                array(
                                        "text",
                                        finished.stream()
                                                .map(r -> r.state.name())
                                                .toList()))
                        .put(
                                "ended",
                                array(
                                        "text",
                                        finished.stream()
                                                .map(r -> r.endedAt.toString())
                                                .toList()))
                        .put(
                                "completions",
                                array(
                                        "text",
                                        finished.stream().map(r -> r.completion).toList()))
                        .map());
    }

    /** Named parameters of one statement. */
    private static final class Params {
        private final Map<String, Object> values = new LinkedHashMap<>();

        Params put(String name, Object value) {
            values.put(name, value);
            return this;
        }

        Map<String, Object> map() {
            return values;
        }
    }

    private static final Pattern PARAMETER = Pattern.compile("(?<![:\\w]):([a-z_]+)");

    /**
     * Write statements sent as one: each becomes a data-modifying CTE of a single statement (Postgres
     * runs every one of them, to completion, whether the outer query reads it or not), so a batch's
     * writes cost one round trip to the database, not one per table written.
     */
    private final class Pending {
        private final StringBuilder sql = new StringBuilder();
        private final Map<String, Object> params = new LinkedHashMap<>();
        private int parts;
        private boolean done;

        /** Adds a statement; answers the name its RETURNING rows have in the combined statement. */
        String add(String statement, Map<String, Object> named) {
            String name = "w" + parts++;
            sql.append(sql.isEmpty() ? "WITH " : ", ")
                    .append(name)
                    .append(" AS (")
                    .append(PARAMETER.matcher(statement).replaceAll(":" + name + "_$1"))
                    .append(')');
            named.forEach((k, v) -> params.put(name + "_" + k, v));
            return name;
        }

        void run() {
            run("SELECT 1", rs -> {});
        }

        void run(String select, RowCallbackHandler rows) {
            if (done || parts == 0) {
                return;
            }
            done = true;
            jdbc.sql(sql + " " + select).params(params).query(rows);
        }
    }

    private static SqlArrayValue array(String type, Collection<?> values) {
        return new SqlArrayValue(type, values.toArray());
    }

    // uuid[] travels as text[] (cast in the statement).
    private static SqlArrayValue uuids(Collection<UUID> values) {
        return new SqlArrayValue("text", values.stream().map(UUID::toString).toArray());
    }
}
