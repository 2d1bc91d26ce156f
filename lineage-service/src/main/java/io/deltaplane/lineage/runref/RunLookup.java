package io.deltaplane.lineage.runref;

import static java.util.Objects.requireNonNull;

import io.deltaplane.support.problem.ApiException;
import io.deltaplane.support.problem.ErrorCode;
import java.util.Map;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/** Finds the run a request attaches something to, answering 404/409 the same way everywhere. */
@Component
public class RunLookup {

    static final String FIND = "SELECT r.id, r.job_id, j.name AS job_name, r.state"
            + " FROM runs r JOIN jobs j ON j.id = r.job_id WHERE r.id = :id";

    static final String LIFETIME = "SELECT started_at, ended_at FROM runs WHERE id = :id";

    /**
     * How far a writer's clock may be from lineage's: a version committed this long before the run
     * started, or after it ended, still counts as written while it ran.
     */
    static final java.time.Duration CLOCK_SKEW = java.time.Duration.ofMinutes(5);

    private final JdbcClient jdbc;

    public RunLookup(JdbcClient jdbc) {
        this.jdbc = requireNonNull(jdbc, "jdbc");
    }

    /** The run; with {@code jobName}, only if it is a run of that job (another job's run is 404). */
    public RunRef require(UUID runId, String jobName) {
        return jdbc.sql(FIND)
                .param("id", runId)
                .query((rs, n) -> new RunRef(
                        rs.getObject("id", UUID.class),
                        rs.getLong("job_id"),
                        rs.getString("job_name"),
                        RunState.valueOf(rs.getString("state"))))
                .optional()
                .filter(run -> jobName == null || run.jobName().equals(jobName))
                .orElseThrow(() -> notFound(runId, jobName));
    }

    /** As {@link #require}, and the run must still be RUNNING (what it reads or writes now counts). */
    public RunRef requireRunning(UUID runId, String jobName) {
        RunRef run = require(runId, jobName);
        if (run.state() != RunState.RUNNING) {
            throw new ApiException(
                    ErrorCode.RUN_NOT_RUNNING,
                    "Run " + runId + " is " + run.state() + "; only a RUNNING run can read or write tables.",
                    Map.of("state", run.state().name()));
        }
        return run;
    }

    /**
     * Null when a version committed {@code at} may have been written by the run (the run was running
     * then, give or take {@link #CLOCK_SKEW}), else the 409 RUN_NOT_RUNNING to answer: a commit
     * cannot name a run that had ended, or not yet started, as its writer.
     */
    public ApiException notRunningAt(UUID runId, java.time.Instant at) {
        record Lifetime(java.time.OffsetDateTime started, java.time.OffsetDateTime ended) {}
        Lifetime run = jdbc.sql(LIFETIME)
                .param("id", runId)
                .query((rs, n) -> new Lifetime(
                        rs.getObject("started_at", java.time.OffsetDateTime.class),
                        rs.getObject("ended_at", java.time.OffsetDateTime.class)))
                .optional()
                .orElse(null);
        if (run == null) {
            return notFound(runId, null);
        }
        boolean before = at.isBefore(run.started().toInstant().minus(CLOCK_SKEW));
        boolean after =
                run.ended() != null && at.isAfter(run.ended().toInstant().plus(CLOCK_SKEW));
        if (!before && !after) {
            return null;
        }
        return new ApiException(
                ErrorCode.RUN_NOT_RUNNING,
                "Run " + runId + " was not running at " + at + " (it ran from "
                        + run.started().toInstant()
                        + (run.ended() == null ? "" : " to " + run.ended().toInstant())
                        + "): it cannot be the writer of a version committed then.");
    }

    public static ApiException notFound(UUID runId, String jobName) {
        return ApiException.notFound(
                ErrorCode.RUN_NOT_FOUND,
                jobName == null ? "No run " + runId + "." : "Job '" + jobName + "' has no run " + runId + ".");
    }
}
