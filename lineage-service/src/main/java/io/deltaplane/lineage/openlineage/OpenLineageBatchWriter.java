package io.deltaplane.lineage.openlineage;

import static java.util.Objects.requireNonNull;

import io.deltaplane.lineage.column.ColumnLineageFacet;
import io.deltaplane.lineage.column.ColumnLineageFacet.FieldPair;
import io.deltaplane.lineage.column.ColumnLineageRepository;
import io.deltaplane.lineage.common.CombinedWrites;
import io.deltaplane.lineage.common.Times;
import io.deltaplane.lineage.dataset.TableRepository;
import io.deltaplane.lineage.graph.LineageEdges;
import io.deltaplane.lineage.job.JobRepository;
import io.deltaplane.lineage.openlineage.OpenLineageService.Accepted;
import io.deltaplane.lineage.openlineage.RunEvents.Header;
import io.deltaplane.lineage.run.RunProperties;
import io.deltaplane.lineage.run.RunRepository;
import io.deltaplane.lineage.run.RunService;
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
 * Applies OpenLineage RunEvents — a batch of many, or the one event of {@code POST /api/v1/lineage}
 * — with a handful of set-based statements (one multi-row INSERT … SELECT FROM unnest(…) per table,
 * idempotent with ON CONFLICT, each built by the repository that owns its table and sent together in
 * two round trips by {@link CombinedWrites}). The runs' states are followed event by event in memory
 * ({@link BatchRuns}), so a batch leaves what its events sent one by one leave: a run's first event
 * starts it, a repeat of a run's end or an OTHER event after it adds no reads or writes, a read sees
 * the snapshot an earlier event of the batch wrote.
 *
 * <p>An event the batch cannot take throws the problem it gets alone, and nothing of the batch
 * holds (the caller's transaction rolls back): an invalid event (400 {@code
 * INVALID_OPENLINEAGE_EVENT}, see {@link RunEvents}), one {@link ExistingRun} refuses (409), an end
 * whose outcome conflicts with the run's recorded completion (409 {@code RUN_ALREADY_COMPLETED}); a
 * value Postgres refuses as data fails its statement (SQLSTATE class 22). {@link Raced} says another
 * request was creating a job or dataset of the batch at the same moment: run the transaction again.
 * Runs in the caller's transaction.
 */
@Component
public class OpenLineageBatchWriter {

    /**
     * Another request was creating a job or dataset of this batch at the same moment, so this
     * transaction cannot see it: nothing of the batch holds; the transaction may be run again.
     */
    static final class Raced extends RuntimeException {
        Raced(String why) {
            super(why, null, false, false);
        }
    }

    private final JdbcClient jdbc;
    private final BatchRuns batchRuns;
    private final OpenLineageRepository events;
    private final TableRepository tables;
    private final SnapshotRepository snapshots;
    private final LineageEdges edges;
    private final ColumnLineageRepository columnRows;
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
            RunProperties runProperties,
            JsonMapper json,
            Clock clock) {
        this.jdbc = requireNonNull(jdbc, "jdbc");
        this.events = requireNonNull(events, "events");
        this.tables = requireNonNull(tables, "tables");
        this.snapshots = requireNonNull(snapshots, "snapshots");
        this.edges = requireNonNull(edges, "edges");
        this.columnRows = requireNonNull(columnRows, "columnRows");
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

    /** Applies the events in order; one answer per event. Throws the problem of the first event refused. */
    public List<Accepted> apply(List<JsonNode> batch) {
        Instant now = Times.now(clock);
        int n = batch.size();
        List<Header> headers = new ArrayList<>(n);
        for (JsonNode event : batch) {
            headers.add(RunEvents.header(event));
        }

        Map<UUID, BatchRuns.RunSoFar> runs = batchRuns.lockOrStart(batch, headers, now);

        // Follow each run through the events, in order: an event finds its run as the earlier ones left it.
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
            // another job's run, or an ended run told something new: the 409 it gets alone
            run.existing().admit(h);
            if (run.namespace == null) {
                // a run the REST API started: its first event names its namespace, as alone
                run.namespace = h.namespace();
            }
            if (run.open()) {
                for (JsonNode input : event.path("inputs")) {
                    Dataset d = new Dataset(
                            RunEvents.name(input.path("namespace"), "inputs[].namespace"),
                            RunEvents.name(input.path("name"), "inputs[].name"));
                    reads.add(new Read(i, run, d));
                    datasets.add(d);
                    readDatasets.add(d);
                }
                for (JsonNode output : event.path("outputs")) {
                    String ns = RunEvents.name(output.path("namespace"), "outputs[].namespace");
                    String name = RunEvents.name(output.path("name"), "outputs[].name");
                    Dataset d = new Dataset(ns, name);
                    JsonNode facets = output.path("facets");
                    JsonNode schema = RunEvents.schema(facets.path("schema"));
                    writes.add(new Write(
                            i,
                            run,
                            d,
                            RunEvents.uri(ns, name),
                            RunEvents.format(facets),
                            schema == null ? null : json.writeValueAsString(schema)));
                    datasets.add(d);
                    JsonNode facet = facets.path("columnLineage");
                    if (ColumnLineageFacet.hasFields(facet)) {
                        List<FieldPair> pairs = ColumnLineageFacet.parse(facet); // a malformed facet: its 400
                        columns.add(new Columns(run, d, pairs));
                        for (FieldPair p : pairs) {
                            datasets.add(new Dataset(p.inputNamespace(), p.inputName()));
                        }
                    }
                }
            }
            if (RunEvents.ends(h.type())) {
                boolean success = h.type().equals("COMPLETE");
                ObjectNode completion = success ? succeeded : failed;
                if (run.open() && run.completion == null) {
                    run.state = success ? RunState.COMPLETED : RunState.FAILED;
                    run.completion = json.writeValueAsString(completion);
                    run.endedAt = h.eventTime();
                    run.finished = true;
                } else if (run.completion == null
                        || !json.readTree(run.completion).equals(completion)) {
                    // the run ended otherwise (its completion came from the REST API, say): the 409 alone
                    throw RunService.otherOutcome(h.runId(), run.state);
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
            throw new Raced("another request was registering a dataset of this batch");
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
