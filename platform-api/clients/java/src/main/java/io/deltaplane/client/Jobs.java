package io.deltaplane.client;

import io.deltaplane.client.generated.lineage.api.JobsApi;
import io.deltaplane.client.generated.lineage.api.RunsApi;
import io.deltaplane.client.generated.lineage.model.ArtifactLink;
import io.deltaplane.client.generated.lineage.model.CompleteRun;
import io.deltaplane.client.generated.lineage.model.JobPage;
import io.deltaplane.client.generated.lineage.model.JobView;
import io.deltaplane.client.generated.lineage.model.RunCompleted;
import io.deltaplane.client.generated.lineage.model.RunPage;
import io.deltaplane.client.generated.lineage.model.RunStarted;
import io.deltaplane.client.generated.lineage.model.RunSummary;
import io.deltaplane.client.generated.lineage.model.RunView;
import io.deltaplane.client.generated.lineage.model.StartRun;
import io.deltaplane.client.internal.Json;
import io.deltaplane.client.model.Job;
import io.deltaplane.client.model.Run;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

/**
 * Jobs and runs in lineage-service: {@code list/get}, runs, and the raw run lifecycle (most
 * pipelines use {@link Deltaplane#runJob} or {@link Deltaplane#startJob} instead).
 */
public final class Jobs {
    private final Deltaplane client;
    private final Calls calls;
    private final JobsApi jobs;
    private final RunsApi runs;

    Jobs(Deltaplane client, GeneratedApis generated, Calls calls) {
        this.client = client;
        this.calls = calls;
        this.jobs = new JobsApi(generated.lineage());
        this.runs = new RunsApi(generated.lineage());
    }

    public List<Job> list() {
        return Paging.all(
                        calls,
                        (token, h) -> jobs.getJobs(Paging.PAGE_SIZE, token, h),
                        JobPage::getJobs,
                        JobPage::getNextPageToken)
                .stream()
                .map(Jobs::job)
                .toList();
    }

    public Job get(String name) {
        String checked = Names.checkJob(name);
        return job(calls.idempotent(h -> jobs.getJobsByJobName(checked, h)));
    }

    public List<Run> runs(String jobName) {
        String checked = Names.checkJob(jobName);
        return Paging.all(
                        calls,
                        (token, h) -> jobs.getJobsByJobNameRuns(checked, Paging.PAGE_SIZE, token, h),
                        RunPage::getRuns,
                        RunPage::getNextPageToken)
                .stream()
                .map(Jobs::run)
                .toList();
    }

    /** A run with its events, inputs, outputs and artifacts (the generated model). */
    public RunView run(String runId) {
        UUID id = UUID.fromString(runId);
        return calls.idempotent(h -> runs.getRunsByRunId(id, h));
    }

    public Run startRun(String jobName, Map<String, ?> metadata) {
        String checked = Names.checkJob(jobName);
        StartRun body = new StartRun().metadata(metadata == null ? Map.of() : metadata);
        RunStarted started = calls.create(h -> jobs.postJobsByJobNameRuns(checked, body, h));
        return new Run(
                started.getRunId().toString(),
                started.getJobName() == null ? checked : started.getJobName(),
                state(started.getState()),
                Json.instant(started.getStartedAt()),
                null);
    }

    /**
     * Completes a run; {@code artifacts} are links ({@code type}, {@code uri}) to attach. The answer
     * has no start time: {@link Run#startedAt()} is null.
     */
    public Run completeRun(
            String jobName, String runId, boolean success, Map<String, ?> extra, List<Map<String, String>> artifacts) {
        String checked = Names.checkJob(jobName);
        UUID id = UUID.fromString(runId);
        CompleteRun body = new CompleteRun()
                .success(success)
                .extra(extra)
                .artifacts(artifacts.stream()
                        .map(a -> new ArtifactLink().type(a.get("type")).uri(a.get("uri")))
                        .toList());
        RunCompleted completed = calls.idempotent(h -> jobs.putJobsByJobNameRunsByRunIdComplete(checked, id, body, h));
        return new Run(runId, checked, state(completed.getState()), null, Json.instant(completed.getEndedAt()));
    }

    /** Tells lineage-service the run is alive (what {@code JobContext} does in the background). */
    public void heartbeat(String jobName, String runId) {
        String checked = Names.checkJob(jobName);
        UUID id = UUID.fromString(runId);
        // idempotent by nature: no idempotency key, so the server stores no answer per beat
        calls.idempotent(h -> {
            jobs.postJobsByJobNameRunsByRunIdHeartbeat(checked, id, h);
            return null;
        });
    }

    public CompletableFuture<List<Job>> listAsync() {
        return client.async(this::list);
    }

    public CompletableFuture<Job> getAsync(String name) {
        return client.async(() -> get(name));
    }

    public CompletableFuture<List<Run>> runsAsync(String jobName) {
        return client.async(() -> runs(jobName));
    }

    private static Job job(JobView j) {
        return new Job(j.getJobName(), j.getNamespace(), Json.instant(j.getCreatedAt()));
    }

    private static Run run(RunSummary r) {
        return new Run(
                r.getRunId() == null ? null : r.getRunId().toString(),
                r.getJobName(),
                state(r.getState()),
                Json.instant(r.getStartedAt()),
                Json.instant(r.getEndedAt()));
    }

    private static String state(Object state) {
        return state == null ? null : state.toString();
    }
}
