package io.deltaplane.lineage.run;

import static java.util.Objects.requireNonNull;

import io.deltaplane.lineage.run.RunRecords.CompleteRun;
import io.deltaplane.lineage.run.RunRecords.RecentRunPage;
import io.deltaplane.lineage.run.RunRecords.RunCompleted;
import io.deltaplane.lineage.run.RunRecords.RunPage;
import io.deltaplane.lineage.run.RunRecords.RunStarted;
import io.deltaplane.lineage.run.RunRecords.RunView;
import io.deltaplane.lineage.run.RunRecords.StartRun;
import jakarta.validation.Valid;
import java.util.UUID;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/** Runs; {@code Idempotency-Key} on the creating POST is handled by the support library's filter. */
@RestController
public class RunController {

    private final RunService runs;

    public RunController(RunService runs) {
        this.runs = requireNonNull(runs, "runs");
    }

    @PostMapping("/api/v1/jobs/{jobName}/runs")
    @ResponseStatus(HttpStatus.CREATED)
    public RunStarted start(@PathVariable String jobName, @Valid @RequestBody(required = false) StartRun request) {
        return runs.start(jobName, request == null ? new StartRun(null, null, null) : request);
    }

    @PutMapping("/api/v1/jobs/{jobName}/runs/{runId}/complete")
    public RunCompleted complete(
            @PathVariable String jobName, @PathVariable UUID runId, @Valid @RequestBody CompleteRun request) {
        return runs.complete(jobName, runId, request);
    }

    @PostMapping("/api/v1/jobs/{jobName}/runs/{runId}/heartbeat")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    public void heartbeat(@PathVariable String jobName, @PathVariable UUID runId) {
        runs.heartbeat(jobName, runId);
    }

    @GetMapping("/api/v1/jobs/{jobName}/runs")
    public RunPage runsOf(
            @PathVariable String jobName,
            @RequestParam(name = "max_results", required = false) Integer maxResults,
            @RequestParam(name = "page_token", required = false) String pageToken) {
        return runs.runsOf(jobName, maxResults, pageToken);
    }

    /** Recent runs across jobs, newest first; {@code state} and {@code job} filter. */
    @GetMapping("/api/v1/runs")
    public RecentRunPage recent(
            @RequestParam(name = "state", required = false) String state,
            @RequestParam(name = "job", required = false) String job,
            @RequestParam(name = "max_results", required = false) Integer maxResults,
            @RequestParam(name = "page_token", required = false) String pageToken) {
        return runs.recent(state, job, maxResults, pageToken);
    }

    @GetMapping("/api/v1/runs/{runId}")
    public RunView run(@PathVariable UUID runId) {
        return runs.view(runId);
    }
}
