package io.deltaplane.metadata.lineage;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.util.UUID;
import tools.jackson.databind.JsonNode;

/**
 * One maintenance run that ended, as lineage-service will know it: a run of job {@code
 * maintenance:<table>} ({@link #jobName()}).
 *
 * @param operation {@code OPTIMIZE}, {@code VACUUM} or {@code LOG_CLEANUP}
 * @param trigger {@code request} (the API, the CLI, an ingest target's compaction) or {@code policy}
 *     (the maintenance worker)
 * @param error why it failed; null when it succeeded
 * @param figures what it did (files and bytes in and out, the version it committed, its duration),
 *     as its API result has them
 */
public record MaintenanceRun(
        UUID runId,
        String table,
        String operation,
        String trigger,
        Instant startedAt,
        Instant endedAt,
        String error,
        JsonNode figures) {

    /** The job of every maintenance run of a table. */
    public static final String JOB_PREFIX = "maintenance:";

    public MaintenanceRun {
        requireNonNull(runId, "runId");
        requireNonNull(table, "table");
        requireNonNull(operation, "operation");
        requireNonNull(trigger, "trigger");
        requireNonNull(startedAt, "startedAt");
        requireNonNull(endedAt, "endedAt");
        requireNonNull(figures, "figures");
    }

    public String jobName() {
        return JOB_PREFIX + table;
    }

    public boolean succeeded() {
        return error == null;
    }
}
