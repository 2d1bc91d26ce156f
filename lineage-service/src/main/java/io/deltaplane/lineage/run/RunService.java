package io.deltaplane.lineage.run;

import static java.util.Objects.requireNonNull;

import io.deltaplane.lineage.artifact.ArtifactPath;
import io.deltaplane.lineage.artifact.ArtifactRepository;
import io.deltaplane.lineage.common.Times;
import io.deltaplane.lineage.event.EventRepository;
import io.deltaplane.lineage.job.JobRepository;
import io.deltaplane.lineage.run.RunRecords.ArtifactLink;
import io.deltaplane.lineage.run.RunRecords.CompleteRun;
import io.deltaplane.lineage.run.RunRecords.RecentRun;
import io.deltaplane.lineage.run.RunRecords.RecentRunPage;
import io.deltaplane.lineage.run.RunRecords.RunCompleted;
import io.deltaplane.lineage.run.RunRecords.RunPage;
import io.deltaplane.lineage.run.RunRecords.RunStarted;
import io.deltaplane.lineage.run.RunRecords.RunSummary;
import io.deltaplane.lineage.run.RunRecords.RunView;
import io.deltaplane.lineage.run.RunRecords.StartRun;
import io.deltaplane.lineage.runref.RunLookup;
import io.deltaplane.lineage.runref.RunState;
import io.deltaplane.lineage.snapshot.SnapshotRepository;
import io.deltaplane.support.names.Names;
import io.deltaplane.support.paging.PageTokens;
import io.deltaplane.support.problem.ApiException;
import io.deltaplane.support.problem.ErrorCode;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/** The life of a run: started, heartbeating, completed (or failed, or abandoned), and what it did. */
@Service
public class RunService {

    private final RunRepository runs;
    private final JobRepository jobs;
    private final EventRepository events;
    private final SnapshotRepository snapshots;
    private final ArtifactRepository artifacts;
    private final RunProperties properties;
    private final JsonMapper json;
    private final Clock clock;

    public RunService(
            RunRepository runs,
            JobRepository jobs,
            EventRepository events,
            SnapshotRepository snapshots,
            ArtifactRepository artifacts,
            RunProperties properties,
            JsonMapper json,
            Clock clock) {
        this.runs = requireNonNull(runs, "runs");
        this.jobs = requireNonNull(jobs, "jobs");
        this.events = requireNonNull(events, "events");
        this.snapshots = requireNonNull(snapshots, "snapshots");
        this.artifacts = requireNonNull(artifacts, "artifacts");
        this.properties = requireNonNull(properties, "properties");
        this.json = requireNonNull(json, "json");
        this.clock = requireNonNull(clock, "clock");
    }

    @Transactional
    public RunStarted start(String jobName, StartRun request) {
        Names.dotted("job", jobName);
        Instant now = Times.now(clock);
        UUID runId = UUID.randomUUID();
        long jobId = jobs.upsert(jobName, "default", now);
        Duration timeout = request.heartbeatTimeoutSeconds() == null
                ? properties.heartbeatTimeout()
                : Duration.ofSeconds(request.heartbeatTimeoutSeconds());
        JsonNode metadata = request.metadata();
        runs.insert(
                runId,
                jobId,
                metadata == null || metadata.isNull() ? null : json.writeValueAsString(metadata),
                request.nominalTime(),
                now,
                timeout,
                now.plus(timeout),
                "api");
        return new RunStarted(runId, jobName, RunState.RUNNING, now);
    }

    /**
     * Ends a run. A repeat with the same body answers as the first time; another outcome for a run
     * that already ended is a 409. An ABANDONED run may still report its real end.
     */
    @Transactional
    public RunCompleted complete(String jobName, UUID runId, CompleteRun request) {
        Instant endedAt = Times.now(clock);
        Run run = runs.lock(runId)
                .filter(r -> jobName == null || r.jobName().equals(jobName))
                .orElseThrow(() -> RunLookup.notFound(runId, jobName));
        ObjectNode completion = normalized(request);
        boolean open = run.state() == RunState.RUNNING || run.state() == RunState.ABANDONED;
        if (open && run.completionJson() == null) {
            List<ArtifactLink> links = request.artifacts() == null ? List.of() : request.artifacts();
            for (ArtifactLink link : links) {
                ArtifactPath.fromUri(link.uri()).ifPresent(path -> {
                    if (artifacts.find(path.uri()).isEmpty()) {
                        throw ApiException.notFound(
                                ErrorCode.ARTIFACT_NOT_FOUND,
                                "No artifact at " + link.uri() + "; upload it before linking it.");
                    }
                });
            }
            RunState state = request.success() ? RunState.COMPLETED : RunState.FAILED;
            runs.finish(runId, state, endedAt, json.writeValueAsString(completion));
            for (ArtifactLink link : links) {
                artifacts.link(runId, link.type(), link.uri());
            }
            return new RunCompleted(runId, state, endedAt);
        }
        if (run.completionJson() != null && json.readTree(run.completionJson()).equals(completion)) {
            return new RunCompleted(runId, run.state(), run.endedAt());
        }
        throw otherOutcome(runId, run.state());
    }

    /**
     * The 409 for an end that is not a repeat of the run's recorded one (an OpenLineage end, too,
     * whose outcome conflicts with the completion a run was given).
     */
    public static ApiException otherOutcome(UUID runId, RunState state) {
        return new ApiException(
                ErrorCode.RUN_ALREADY_COMPLETED,
                "Run " + runId + " already ended as " + state + " with a different outcome.",
                Map.of("state", state.name()));
    }

    @Transactional
    public void heartbeat(String jobName, UUID runId) {
        Names.lookup(jobName);
        Run run = runs.find(runId)
                .filter(r -> r.jobName().equals(jobName))
                .orElseThrow(() -> RunLookup.notFound(runId, jobName));
        if (!runs.heartbeat(runId, Times.now(clock))) {
            throw new ApiException(
                    ErrorCode.RUN_NOT_RUNNING,
                    "Run " + runId + " is " + run.state() + "; only a RUNNING run heartbeats.",
                    Map.of("state", run.state().name()));
        }
    }

    /** Marks RUNNING runs silent past their deadline as ABANDONED. */
    @Transactional
    public int abandonSilentRuns() {
        return runs.abandonSilent(Times.now(clock));
    }

    @Transactional(readOnly = true)
    public RunView view(UUID runId) {
        Run run = runs.find(runId).orElseThrow(() -> RunLookup.notFound(runId, null));
        JsonNode completion = run.completionJson() == null ? null : json.readTree(run.completionJson());
        Boolean success = run.state() == RunState.COMPLETED
                ? Boolean.TRUE
                : run.state() == RunState.FAILED ? Boolean.FALSE : null;
        return new RunView(
                run.id(),
                run.jobName(),
                run.state(),
                run.startedAt(),
                run.endedAt(),
                run.nominalTime(),
                run.lastHeartbeatAt(),
                run.metadataJson() == null ? null : json.readTree(run.metadataJson()),
                success,
                completion == null ? null : completion.get("extra"),
                run.source(),
                events.ofRun(runId),
                snapshots.inputsOf(runId),
                snapshots.writtenBy(runId),
                artifacts.linkedTo(runId));
    }

    @Transactional(readOnly = true)
    public RunPage runsOf(String jobName, Integer maxResults, String pageToken) {
        Names.lookup(jobName);
        int limit = PageTokens.limit(maxResults);
        long jobId = jobs.findId(jobName)
                .orElseThrow(() -> ApiException.notFound(ErrorCode.JOB_NOT_FOUND, "No job '" + jobName + "'."));
        Cursor cursor = Cursor.of(pageToken);
        List<Run> page = runs.pageOfJob(jobId, cursor.startedAt(), cursor.id(), limit + 1);
        String next = null;
        if (page.size() > limit) {
            page = page.subList(0, limit);
            Run last = page.get(limit - 1);
            next = Cursor.after(last);
        }
        return new RunPage(page.stream().map(RunService::summary).toList(), next);
    }

    /**
     * Runs across jobs, newest first, optionally of one state and one job. An unknown job is an
     * empty page (a filter, not a lookup); a state that is not a run state is a 400.
     */
    @Transactional(readOnly = true)
    public RecentRunPage recent(String state, String jobName, Integer maxResults, String pageToken) {
        RunState wanted = null;
        if (state != null && !state.isBlank()) {
            try {
                wanted = RunState.valueOf(state.strip().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw ApiException.badRequest(
                        ErrorCode.BAD_REQUEST,
                        "state must be one of " + Arrays.toString(RunState.values()) + ", not '" + state + "'.");
            }
        }
        Long jobId = null;
        if (jobName != null && !jobName.isBlank()) {
            Names.lookup(jobName);
            Optional<Long> found = jobs.findId(jobName);
            if (found.isEmpty()) {
                PageTokens.limit(maxResults);
                Cursor.of(pageToken);
                return new RecentRunPage(List.of(), null);
            }
            jobId = found.get();
        }
        int limit = PageTokens.limit(maxResults);
        Cursor cursor = Cursor.of(pageToken);
        List<Run> page = runs.recent(wanted, jobId, cursor.startedAt(), cursor.id(), limit + 1);
        String next = null;
        if (page.size() > limit) {
            page = page.subList(0, limit);
            next = Cursor.after(page.get(limit - 1));
        }
        List<UUID> ids = page.stream().map(Run::id).toList();
        Map<UUID, List<String>> inputs = runs.inputNames(ids);
        Map<UUID, List<String>> outputs = runs.outputNames(ids);
        return new RecentRunPage(
                page.stream()
                        .map(r -> new RecentRun(
                                r.id(),
                                r.jobName(),
                                r.state(),
                                r.startedAt(),
                                r.endedAt(),
                                r.endedAt() == null
                                        ? null
                                        : r.endedAt().toEpochMilli()
                                                - r.startedAt().toEpochMilli(),
                                r.nominalTime(),
                                r.source(),
                                inputs.getOrDefault(r.id(), List.of()),
                                outputs.getOrDefault(r.id(), List.of())))
                        .toList(),
                next);
    }

    /** Where a page of runs (newest first) resumes: after this start time and run id. */
    private record Cursor(Instant startedAt, UUID id) {
        static Cursor of(String pageToken) {
            String after = PageTokens.after(pageToken);
            if (after == null) {
                return new Cursor(null, null);
            }
            try {
                int bar = after.indexOf('|');
                return new Cursor(Instant.parse(after.substring(0, bar)), UUID.fromString(after.substring(bar + 1)));
            } catch (RuntimeException e) {
                throw ApiException.badRequest(ErrorCode.BAD_REQUEST, "page_token is not a token this service issued.");
            }
        }

        static String after(Run last) {
            return PageTokens.encode(last.startedAt() + "|" + last.id());
        }
    }

    private static RunSummary summary(Run run) {
        return new RunSummary(
                run.id(), run.jobName(), run.state(), run.startedAt(), run.endedAt(), run.nominalTime(), run.source());
    }

    // The parts of a completion that decide whether a repeat is the same request.
    private ObjectNode normalized(CompleteRun request) {
        ObjectNode node = json.createObjectNode();
        node.put("success", request.success());
        if (request.extra() != null && !request.extra().isNull()) {
            node.set("extra", request.extra());
        }
        if (request.artifacts() != null && !request.artifacts().isEmpty()) {
            node.set("artifacts", json.valueToTree(request.artifacts()));
        }
        return node;
    }
}
