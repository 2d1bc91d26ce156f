package io.deltaplane.metadata;

import io.deltaplane.support.problem.ApiException;
import io.deltaplane.support.problem.ErrorCode;
import java.util.Map;

/** Factories for metadata-service's most common problems, so their wording is the same everywhere. */
public final class MetadataErrors {
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
