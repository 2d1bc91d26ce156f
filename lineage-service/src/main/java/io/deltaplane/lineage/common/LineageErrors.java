package io.deltaplane.lineage.common;

/**
 * The former string constants of lineage-service's codes, kept as aliases while branches that
 * still use them are merged.
 *
 * @deprecated use {@link io.deltaplane.support.problem.ErrorCode}.
 */
@Deprecated
public final class LineageErrors {
    public static final String JOB_NOT_FOUND = "JOB_NOT_FOUND";
    public static final String RUN_NOT_FOUND = "RUN_NOT_FOUND";
    public static final String RUN_NOT_RUNNING = "RUN_NOT_RUNNING";
    public static final String RUN_ALREADY_COMPLETED = "RUN_ALREADY_COMPLETED";
    public static final String TABLE_NOT_FOUND = "TABLE_NOT_FOUND";
    public static final String SNAPSHOT_NOT_FOUND = "SNAPSHOT_NOT_FOUND";
    public static final String ARTIFACT_NOT_FOUND = "ARTIFACT_NOT_FOUND";
    public static final String INVALID_PATH = "INVALID_PATH";
    /** An artifact path that would need a file to be a folder, or a folder to be a file. */
    public static final String ARTIFACT_PATH_CONFLICT = "ARTIFACT_PATH_CONFLICT";

    public static final String INVALID_EVENT = "INVALID_OPENLINEAGE_EVENT";

    private LineageErrors() {}
}
