package io.deltaplane.lineage.openlineage;

import static java.util.Objects.requireNonNull;

import io.deltaplane.lineage.common.CombinedWrites;
import io.deltaplane.lineage.job.JobRepository;
import io.deltaplane.lineage.openlineage.RunEvents.Header;
import io.deltaplane.lineage.run.RunProperties;
import io.deltaplane.lineage.run.RunRepository;
import io.deltaplane.lineage.runref.RunState;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The runs a batch of OpenLineage events names, for {@link OpenLineageBatchWriter}: those that
 * exist, locked until the transaction ends (in id order, so concurrent batches never deadlock);
 * those the batch starts, with their job found or created (a job another request is creating at the
 * same moment is {@link OpenLineageBatchWriter.Raced}); and, once the batch's events have been
 * followed, the runs it started stored and the runs it ended finished, as the batch leaves them.
 */
final class BatchRuns {

    /** What the batch knows of a run as it goes through the events. */
    static final class RunSoFar {
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

    private final RunRepository runRows;
    private final JobRepository jobs;
    private final RunProperties runProperties;
    private final JsonMapper json;

    BatchRuns(RunRepository runRows, JobRepository jobs, RunProperties runProperties, JsonMapper json) {
        this.runRows = requireNonNull(runRows, "runRows");
        this.jobs = requireNonNull(jobs, "jobs");
        this.runProperties = requireNonNull(runProperties, "runProperties");
        this.json = requireNonNull(json, "json");
    }

    /** Every run the batch names: the existing ones locked, the new ones started by their first event. */
    Map<UUID, RunSoFar> lockOrStart(List<JsonNode> batch, List<Header> headers, Instant now) {
        Map<UUID, RunSoFar> runs = lock(headers);
        start(batch, headers, runs, now);
        return runs;
    }

    private Map<UUID, RunSoFar> lock(List<Header> headers) {
        Set<UUID> ids = new TreeSet<>();
        for (Header h : headers) {
            ids.add(h.runId());
        }
        Map<UUID, RunSoFar> runs = new HashMap<>();
        runRows.lockAll(ids)
                .forEach((id, r) -> runs.put(
                        id, new RunSoFar(id, r.jobId(), r.jobName(), r.namespace(), r.state(), r.completion())));
        return runs;
    }

    // A run the database does not know is started by its first event: that event's job, facets and
    // time. Its job is found or created now; the run is stored once the batch's events are followed.
    private void start(List<JsonNode> batch, List<Header> headers, Map<UUID, RunSoFar> runs, Instant now) {
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
        Map<String, Long> jobIds = jobs.upsertAll(jobNamespaces, now);
        if (jobIds.size() < jobNamespaces.size()) {
            throw new OpenLineageBatchWriter.Raced("another request was creating a job of this batch");
        }
        for (Map.Entry<UUID, Integer> e : firstEvent.entrySet()) {
            Header h = headers.get(e.getValue());
            JsonNode facets = RunEvents.facets(batch.get(e.getValue()).path("run"));
            RunSoFar run = new RunSoFar(
                    e.getKey(), jobIds.get(h.jobName()), h.jobName(), h.namespace(), RunState.RUNNING, null);
            run.created = true;
            run.metadata = facets == null ? null : json.writeValueAsString(facets);
            run.startedAt = h.eventTime();
            runs.put(e.getKey(), run);
        }
    }

    // The runs this batch started, as the batch leaves them.
    void insertStarted(CombinedWrites pending, Collection<RunSoFar> runs, Instant now) {
        List<RunRepository.NewRun> created = runs.stream()
                .filter(r -> r.created)
                .map(r -> new RunRepository.NewRun(
                        r.id, r.jobId, r.state, r.metadata, r.startedAt, r.endedAt, r.completion))
                .toList();
        if (created.isEmpty()) {
            return;
        }
        var timeout = runProperties.heartbeatTimeout();
        // Silence counts from when we heard of the run (an OpenLineage START may be old news).
        pending.add(runRows.insertMany(created, timeout, now.plus(timeout)));
    }

    void finishEnded(CombinedWrites pending, Collection<RunSoFar> runs) {
        List<RunRepository.FinishedRun> finished = runs.stream()
                .filter(r -> r.finished && !r.created)
                .map(r -> new RunRepository.FinishedRun(r.id, r.state, r.endedAt, r.completion))
                .toList();
        if (!finished.isEmpty()) {
            pending.add(runRows.finishMany(finished));
        }
    }
}
