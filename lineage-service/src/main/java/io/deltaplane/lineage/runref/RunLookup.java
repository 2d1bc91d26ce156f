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

    public static ApiException notFound(UUID runId, String jobName) {
        return ApiException.notFound(
                ErrorCode.RUN_NOT_FOUND,
                jobName == null ? "No run " + runId + "." : "Job '" + jobName + "' has no run " + runId + ".");
    }
}
