package io.deltaplane.metadata;

import io.deltaplane.support.problem.ApiException;
import java.util.Map;
import org.springframework.http.HttpStatus;

/** The {@code error_code} values of metadata-service, next to the shared {@code ErrorCodes}. */
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
        return new ApiException(HttpStatus.BAD_REQUEST, INVALID_ACTION, detail);
    }

    public static ApiException versionConflict(String fullName, long expected, long current) {
        return new ApiException(
                HttpStatus.CONFLICT,
                VERSION_CONFLICT,
                "Table " + fullName + " is at version " + current + ", not " + expected,
                Map.of("current_version", current, "table", fullName));
    }

    public static ApiException tableNotFound(String fullName) {
        return ApiException.notFound(TABLE_NOT_FOUND, "Table " + fullName + " does not exist");
    }
}
