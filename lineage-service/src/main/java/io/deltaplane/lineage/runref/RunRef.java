package io.deltaplane.lineage.runref;

import static java.util.Objects.requireNonNull;

import java.util.UUID;

/** The few facts other capabilities need about a run they attach something to. */
public record RunRef(UUID id, long jobId, String jobName, RunState state) {
    public RunRef {
        requireNonNull(id, "id");
        requireNonNull(jobName, "jobName");
        requireNonNull(state, "state");
    }
}
