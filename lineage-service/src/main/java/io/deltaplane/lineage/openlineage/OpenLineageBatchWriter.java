package io.deltaplane.lineage.openlineage;

import static java.util.Objects.requireNonNull;

import io.deltaplane.lineage.column.ColumnLineageRecorder;
import io.deltaplane.lineage.column.ColumnLineageRecorder.FieldPair;
import io.deltaplane.lineage.column.ColumnLineageRepository;
import io.deltaplane.lineage.common.CombinedWrites;
import io.deltaplane.lineage.common.Times;
import io.deltaplane.lineage.dataset.TableRepository;
import io.deltaplane.lineage.graph.LineageEdges;
import io.deltaplane.lineage.job.JobRepository;
import io.deltaplane.lineage.openlineage.OpenLineageService.Accepted;
import io.deltaplane.lineage.openlineage.OpenLineageService.Header;
import io.deltaplane.lineage.run.RunProperties;
import io.deltaplane.lineage.run.RunRepository;
import io.deltaplane.lineage.runref.RunState;
import io.deltaplane.lineage.snapshot.SnapshotRepository;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * Applies a whole batch of OpenLineage RunEvents with a handful of set-based statements (one
 * multi-row INSERT … SELECT FROM unnest(…) per table, idempotent with ON CONFLICT, each built by the
 * repository that owns its table and sent together in two round trips by {@link CombinedWrites})
 * instead of a dozen statements per event, leaving exactly what {@link OpenLineageService#accept} leaves when the events
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

    // Timestamps travel as ISO text; outside these years the event-by-event path binds them itself.
    private static final Instant EARLIEST = Instant.parse("0001-01-01T00:00:00Z");
    private static final Instant LATEST = Instant.parse("9999-12-31T23:59:59Z");

    private final JdbcClient jdbc;
    private final BatchRuns batchRuns;
    private final OpenLineageRepository events;
    private final TableRepository tables;
    private final SnapshotRepository snapshots;
    private final LineageEdges edges;
    private final ColumnLineageRepository columnRows;
    private final OpenLineageService service;
    private final JsonMapper json;
    private final Clock clock;

    public OpenLineageBatchWriter(
            JdbcClient jdbc,
            RunRepository runRows,
            JobRepository jobs,
            OpenLineageRepository events,
            TableRepository tables,
            SnapshotRepository snapshots,
            LineageEdges edges,
            ColumnLineageRepository columnRows,
            OpenLineageService service,
            RunProperties runProperties,
            JsonMapper json,
            Clock clock) {
        this.jdbc = requireNonNull(jdbc, "jdbc");
        this.events = requireNonNull(events, "events");
        this.tables = requireNonNull(tables, "tables");
        this.snapshots = requireNonNull(snapshots, "snapshots");
        this.edges = requireNonNull(edges, "edges");
        this.columnRows = requireNonNull(columnRows, "columnRows");
        this.service = requireNonNull(service, "service");
        this.json = requireNonNull(json, "json");
        this.batchRuns = new BatchRuns(runRows, jobs, runProperties, json);
        this.clock = requireNonNull(clock, "clock");
    }

    /** A dataset by namespace and name. */
    private record Dataset(String namespace, String name) {}

    private record Read(int event, BatchRuns.RunSoFar run, Dataset dataset) {}

    private record Write(
            int event, BatchRuns.RunSoFar run, Dataset dataset, String uri, String format, String schema) {}

    private record Columns(BatchRuns.RunSoFar run, Dataset output, List<FieldPair> pairs) {}

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

        Map<UUID, BatchRuns.RunSoFar> runs = batchRuns.lockOrStart(batch, headers, now);

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
            BatchRuns.RunSoFar run = runs.get(h.runId());
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

        Map<Long, TableRepository.Latest> latest = new HashMap<>();
        Map<Dataset, Long> tableIds = tableIds(datasets, readDatasets, latest, now);
        // Two round trips write it all: the runs, the raw events and the snapshots (whose ids the reads
        // need), then the reads, the edges, the column lineage and the runs that ended.
        CombinedWrites first = new CombinedWrites(jdbc);
        batchRuns.insertStarted(first, runs.values(), now);
        insertEvents(first, batch, headers, now);
        List<Written> written = insertSnapshots(first, writes, tableIds, now);
        first.run();
        CombinedWrites second = new CombinedWrites(jdbc);
        insertInputs(second, reads, written, tableIds, latest, now);
        insertEdges(second, reads, writes, tableIds, now);
        insertColumns(second, columns, tableIds, now);
        batchRuns.finishEnded(second, runs.values());
        second.run();
        return answers;
    }

    private void insertEvents(CombinedWrites pending, List<JsonNode> batch, List<Header> headers, Instant now) {
        List<OpenLineageRepository.Received> received = new ArrayList<>(batch.size());
        for (int i = 0; i < batch.size(); i++) {
            Header h = headers.get(i);
            received.add(new OpenLineageRepository.Received(
                    h.runId(),
                    h.type(),
                    h.eventTime(),
                    h.namespace(),
                    h.jobName(),
                    json.writeValueAsString(batch.get(i))));
        }
        pending.add(events.insertMany(received, now));
    }

    private Map<Dataset, Long> tableIds(
            Set<Dataset> datasets, Set<Dataset> read, Map<Long, TableRepository.Latest> latest, Instant now) {
        Map<Dataset, Long> ids = new HashMap<>();
        if (datasets.isEmpty()) {
            return ids;
        }
        List<TableRepository.Wanted> wanted = datasets.stream()
                .map(d -> new TableRepository.Wanted(d.namespace(), d.name(), read.contains(d)))
                .toList();
        for (TableRepository.Tracked t : tables.upsertWithLatest(wanted, now)) {
            ids.put(new Dataset(t.namespace(), t.name()), t.id());
            if (t.latest() != null) {
                latest.put(t.id(), t.latest());
            }
        }
        if (ids.size() < datasets.size()) {
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
    private List<Written> insertSnapshots(
            CombinedWrites pending, List<Write> writes, Map<Dataset, Long> tables, Instant now) {
        if (writes.isEmpty()) {
            return List.of();
        }
        Set<UUID> known = new TreeSet<>();
        for (Write w : writes) {
            if (!w.run().created) {
                known.add(w.run().id);
            }
        }
        Set<String> already = known.isEmpty() ? new HashSet<>() : snapshots.writtenByAny(known);
        List<Write> fresh = new ArrayList<>();
        for (Write w : writes) {
            if (already.add(key(w.run().id, tables.get(w.dataset())))) {
                fresh.add(w);
            }
        }
        if (fresh.isEmpty()) {
            return List.of();
        }
        List<SnapshotRepository.RunWrite> rows = fresh.stream()
                .map(w -> new SnapshotRepository.RunWrite(
                        tables.get(w.dataset()), w.uri(), w.format(), w.schema(), w.run().id))
                .toList();
        Map<String, Long> ids = new HashMap<>();
        String stored = pending.add(snapshots.insertWrites(rows, now));
        pending.run("SELECT id, table_id, run_id FROM " + stored, rs -> {
            ids.put(key(rs.getObject("run_id", UUID.class), rs.getLong("table_id")), rs.getLong("id"));
        });
        List<Written> written = new ArrayList<>(fresh.size());
        for (Write w : fresh) {
            long table = tables.get(w.dataset());
            written.add(new Written(w.event(), table, ids.get(key(w.run().id, table))));
        }
        return written;
    }

    // A read records the table's latest snapshot when it happened: the newest one an earlier event of
    // the batch wrote, unless the table's latest stored snapshot still sorts first (a version does).
    private void insertInputs(
            CombinedWrites pending,
            List<Read> reads,
            List<Written> written,
            Map<Dataset, Long> tables,
            Map<Long, TableRepository.Latest> stored,
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
        List<SnapshotRepository.RunRead> rows = new ArrayList<>();
        for (Read r : reads) {
            long table = tables.get(r.dataset());
            TableRepository.Latest latest = stored.get(table);
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
            if (seen.add(java.util.Arrays.asList(r.run().id, table, snapshot))) {
                rows.add(new SnapshotRepository.RunRead(r.run().id, table, snapshot));
            }
        }
        pending.add(snapshots.insertReads(rows, now));
    }

    // The job-level graph: table -> job for a read, job -> table for a write.
    private void insertEdges(
            CombinedWrites pending, List<Read> reads, List<Write> writes, Map<Dataset, Long> tables, Instant now) {
        Set<LineageEdges.Edge> found = new LinkedHashSet<>();
        for (Read r : reads) {
            found.add(new LineageEdges.Edge(tables.get(r.dataset()), r.run().jobId));
        }
        for (Write w : writes) {
            found.add(new LineageEdges.Edge(w.run().jobId, tables.get(w.dataset())));
        }
        if (!found.isEmpty()) {
            pending.add(edges.addAll(found, now));
        }
    }

    private void insertColumns(CombinedWrites pending, List<Columns> columns, Map<Dataset, Long> tables, Instant now) {
        Set<List<Object>> seen = new HashSet<>();
        List<ColumnLineageRepository.FieldEdge> rows = new ArrayList<>();
        for (Columns c : columns) {
            long out = tables.get(c.output());
            for (FieldPair p : c.pairs()) {
                long in = tables.get(new Dataset(p.inputNamespace(), p.inputName()));
                if (seen.add(List.of(c.run().id, out, p.outputField(), in, p.inputField()))) {
                    rows.add(new ColumnLineageRepository.FieldEdge(
                            c.run().id,
                            out,
                            p.outputField(),
                            in,
                            p.inputField(),
                            p.transformationType(),
                            p.transformationSubtype(),
                            p.description()));
                }
            }
        }
        if (!rows.isEmpty()) {
            pending.add(columnRows.insertMany(rows, now));
        }
    }
}
