package io.deltaplane.metadata.lineage;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * A view defined in the catalog, as lineage-service will know it: a run of job {@code
 * view:<view>} ({@link #jobName()}) that reads the tables and views the view depends on ({@code
 * reads}, full names) and writes the view.
 *
 * @param viewType {@code VIEW} or {@code METRIC_VIEW}
 */
public record ViewDefinition(UUID runId, String view, String viewType, List<String> reads, Instant definedAt) {

    /** The job of every definition of a view. */
    public static final String JOB_PREFIX = "view:";

    public ViewDefinition {
        requireNonNull(runId, "runId");
        requireNonNull(view, "view");
        requireNonNull(viewType, "viewType");
        requireNonNull(definedAt, "definedAt");
        reads = List.copyOf(reads);
    }

    public String jobName() {
        return JOB_PREFIX + view;
    }
}
