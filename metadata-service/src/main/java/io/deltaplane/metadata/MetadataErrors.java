package io.deltaplane.metadata;

import io.deltaplane.support.problem.ApiException;
import io.deltaplane.support.problem.ErrorCode;
import java.util.Map;

/**
 * Factories for metadata-service's common problems. The string constants are aliases of {@link
 * ErrorCode} kept while branches that still use them are merged; new code uses {@link ErrorCode}.
 */
public final class MetadataErrors {
    public static final String CATALOG_NOT_FOUND = "CATALOG_NOT_FOUND";
    /** A table location outside every storage root, overlapping another table, or not a directory. */
    public static final String LOCATION_NOT_ALLOWED = "LOCATION_NOT_ALLOWED";

    public static final String SCHEMA_NOT_FOUND = "SCHEMA_NOT_FOUND";
    public static final String TABLE_NOT_FOUND = "TABLE_NOT_FOUND";
    public static final String VERSION_NOT_FOUND = "VERSION_NOT_FOUND";
    public static final String CATALOG_NOT_EMPTY = "CATALOG_NOT_EMPTY";
    public static final String SCHEMA_NOT_EMPTY = "SCHEMA_NOT_EMPTY";
    public static final String VERSION_CONFLICT = "VERSION_CONFLICT";
    public static final String INVALID_ACTION = "INVALID_ACTION";
    public static final String INVALID_PAGE_TOKEN = "INVALID_PAGE_TOKEN";
    public static final String LOCATION_IN_USE = "LOCATION_IN_USE";

    private MetadataErrors() {}

    public static ApiException invalidAction(String detail) {
        return new ApiException(ErrorCode.INVALID_ACTION, detail);
    }

    public static ApiException versionConflict(String fullName, long expected, long current) {
        return new ApiException(
                ErrorCode.VERSION_CONFLICT,
                "Table " + fullName + " is at version " + current + ", not " + expected,
                Map.of("current_version", current, "table", fullName));
    }

    public static ApiException tableNotFound(String fullName) {
        return new ApiException(ErrorCode.TABLE_NOT_FOUND, "Table " + fullName + " does not exist");
    }
}
