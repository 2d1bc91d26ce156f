package io.deltaplane.lineage.openlineage;

import static java.util.Objects.requireNonNull;

import io.deltaplane.lineage.openlineage.RunEvents.Header;
import io.deltaplane.lineage.runref.RunState;
import io.deltaplane.support.problem.ApiException;
import io.deltaplane.support.problem.ErrorCode;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

/**
 * A run an OpenLineage event names that already exists (in the database, or started by an earlier
 * event of the same batch), and what {@link OpenLineageBatchWriter} requires of the event before it
 * touches the run: it names the run's job, and a run that ended takes only a repeat of its end (a client's
 * retry) or an {@code OTHER} event (metadata only). An ABANDONED run was only silent, so it takes
 * everything.
 *
 * @param namespace the job namespace the run's first OpenLineage event named; null for a run the
 *     REST API started (jobs are unique by name, so a job's namespace is only its first producer's)
 */
record ExistingRun(UUID id, String jobName, String namespace, RunState state) {

    ExistingRun {
        requireNonNull(id, "id");
        requireNonNull(jobName, "jobName");
        requireNonNull(state, "state");
    }

    /** Throws the 409 the event gets, unless it may be applied to this run. */
    void admit(Header event) {
        if (!jobName.equals(event.jobName()) || (namespace != null && !namespace.equals(event.namespace()))) {
            throw otherJob(event);
        }
        if (state != RunState.COMPLETED && state != RunState.FAILED) {
            return;
        }
        if (event.type().equals("OTHER")) {
            return;
        }
        if (RunEvents.ends(event.type())) {
            // FAIL and ABORT both end a run FAILED: either repeats the other.
            RunState outcome = event.type().equals("COMPLETE") ? RunState.COMPLETED : RunState.FAILED;
            if (outcome == state) {
                return;
            }
            throw new ApiException(
                    ErrorCode.RUN_ALREADY_COMPLETED,
                    "Run " + id + " already ended as " + state + "; a " + event.type() + " event cannot change that.",
                    Map.of("state", state.name()));
        }
        throw new ApiException(
                ErrorCode.RUN_NOT_RUNNING,
                "Run " + id + " is " + state + "; it takes no " + event.type()
                        + " event (only a repeat of its end, or OTHER).",
                Map.of("state", state.name()));
    }

    private ApiException otherJob(Header event) {
        Map<String, Object> job = new LinkedHashMap<>();
        job.put("job_name", jobName);
        if (namespace != null) {
            job.put("job_namespace", namespace);
        }
        return new ApiException(
                ErrorCode.ALREADY_EXISTS,
                "Run " + id + " already exists as a run of job '" + jobName + "'"
                        + (namespace == null ? "" : " (namespace '" + namespace + "')") + ", not of '"
                        + event.jobName() + "' (namespace '" + event.namespace() + "').",
                job);
    }
}
