package io.deltaplane.lineage.health;

import static java.util.Objects.requireNonNull;

import io.deltaplane.lineage.health.JobHealth.LastRun;
import io.deltaplane.lineage.job.Job;
import io.deltaplane.lineage.job.JobRepository;
import io.deltaplane.support.names.Names;
import io.deltaplane.support.problem.ApiException;
import io.deltaplane.support.problem.ErrorCode;
import java.sql.Timestamp;
import java.time.Clock;
import java.util.List;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** A job's health now, from its newest runs ({@link JobHealthJudge}). Reads only. */
@Service
public class JobHealthService {

    static final String RECENT_RUNS = "SELECT id, state, started_at, ended_at FROM runs WHERE job_id = ?"
            + " ORDER BY started_at DESC, id DESC LIMIT " + JobHealthJudge.RUNS_READ;

    /**
     * The newest progress facet a run reported (OpenLineage RUNNING events; {@code
     * openlineage_events_by_run} finds the run's events).
     */
    static final String LAST_PROGRESS = "SELECT payload -> 'run' -> 'facets' -> '" + JobHealth.PROGRESS_FACET
            + "' AS progress, event_time FROM openlineage_events WHERE run_id = ?"
            + " AND payload -> 'run' -> 'facets' -> '" + JobHealth.PROGRESS_FACET + "' IS NOT NULL"
            + " ORDER BY id DESC LIMIT 1";

    private final JobRepository jobs;
    private final JdbcClient jdbc;
    private final Clock clock;
    private final JsonMapper json;

    JobHealthService(JobRepository jobs, JdbcClient jdbc, Clock clock, JsonMapper json) {
        this.jobs = requireNonNull(jobs, "jobs");
        this.jdbc = requireNonNull(jdbc, "jdbc");
        this.clock = requireNonNull(clock, "clock");
        this.json = requireNonNull(json, "json");
    }

    /** The health of {@code jobName} now; 404 when there is no such job. */
    public JobHealth of(String jobName) {
        Names.lookup(jobName);
        Job job = jobs.find(jobName)
                .orElseThrow(() -> ApiException.notFound(ErrorCode.JOB_NOT_FOUND, "No job '" + jobName + "'."));
        List<LastRun> runs = jdbc.sql(RECENT_RUNS)
                .param(job.id())
                .query((rs, n) -> {
                    Timestamp ended = rs.getTimestamp(4);
                    return new LastRun(
                            rs.getObject(1, UUID.class),
                            rs.getString(2),
                            rs.getTimestamp(3).toInstant(),
                            ended == null ? null : ended.toInstant());
                })
                .list();
        JobHealth.Progress progress =
                runs.isEmpty() || !"RUNNING".equals(runs.get(0).state())
                        ? null
                        : progress(runs.get(0).runId());
        return JobHealthJudge.judge(job.name(), runs, progress, clock.instant());
    }

    private JobHealth.Progress progress(UUID runId) {
        return jdbc.sql(LAST_PROGRESS)
                .param(runId)
                .query((rs, n) -> {
                    JsonNode facet = json.readTree(rs.getString(1));
                    JsonNode lag = facet.path("lagSeconds");
                    // "standing" says it; a report with only "stalled" (the first form) says STALLED or not
                    String standing = facet.path("standing").isString()
                            ? facet.path("standing").asString()
                            : facet.path("stalled").asBoolean(false) ? "STALLED" : "CONSUMING";
                    return new JobHealth.Progress(
                            standing,
                            lag.isNumber() ? lag.asDouble() : null,
                            rs.getTimestamp(2).toInstant());
                })
                .optional()
                .orElse(null);
    }
}
