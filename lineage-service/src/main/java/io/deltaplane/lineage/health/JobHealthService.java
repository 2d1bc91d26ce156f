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

/** A job's health now, from its newest runs ({@link JobHealthJudge}). Reads only. */
@Service
public class JobHealthService {

    static final String RECENT_RUNS = "SELECT id, state, started_at, ended_at FROM runs WHERE job_id = ?"
            + " ORDER BY started_at DESC, id DESC LIMIT " + JobHealthJudge.RUNS_READ;

    private final JobRepository jobs;
    private final JdbcClient jdbc;
    private final Clock clock;

    JobHealthService(JobRepository jobs, JdbcClient jdbc, Clock clock) {
        this.jobs = requireNonNull(jobs, "jobs");
        this.jdbc = requireNonNull(jdbc, "jdbc");
        this.clock = requireNonNull(clock, "clock");
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
        return JobHealthJudge.judge(job.name(), runs, clock.instant());
    }
}
