package io.deltaplane.support.problem;

import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.springframework.http.HttpStatus;

/**
 * Every {@code error_code} a Deltaplane service or the gateway answers with, and the HTTP status
 * that goes with it (one list, as in Unity Catalog's {@code ErrorCode}). The wire value is the
 * constant's name; clients match on it, so a code is never renamed, only added. docs/api-conventions.md
 * lists them.
 */
public enum ErrorCode {
    // Request shape, shared by every service.
    BAD_REQUEST(HttpStatus.BAD_REQUEST),
    MALFORMED_JSON(HttpStatus.BAD_REQUEST),
    /** A field or parameter with a bad value; the problem's {@code errors} name each field. */
    VALIDATION_FAILED(HttpStatus.BAD_REQUEST),
    INVALID_NAME(HttpStatus.BAD_REQUEST),
    /** A request path the HTTP firewall refuses, or an artifact path outside its run. */
    INVALID_PATH(HttpStatus.BAD_REQUEST),
    /** A page_token the server did not issue (forged, garbled, from another listing). */
    INVALID_PAGE_TOKEN(HttpStatus.BAD_REQUEST),
    NOT_FOUND(HttpStatus.NOT_FOUND),
    METHOD_NOT_ALLOWED(HttpStatus.METHOD_NOT_ALLOWED),
    NOT_ACCEPTABLE(HttpStatus.NOT_ACCEPTABLE),
    UNSUPPORTED_MEDIA_TYPE(HttpStatus.UNSUPPORTED_MEDIA_TYPE),
    PAYLOAD_TOO_LARGE(HttpStatus.CONTENT_TOO_LARGE),
    ALREADY_EXISTS(HttpStatus.CONFLICT),
    IDEMPOTENCY_KEY_REUSED(HttpStatus.CONFLICT),
    IDEMPOTENCY_KEY_IN_USE(HttpStatus.CONFLICT),

    // Security and the gateway.
    UNAUTHENTICATED(HttpStatus.UNAUTHORIZED),
    FORBIDDEN(HttpStatus.FORBIDDEN),
    API_KEY_NOT_FOUND(HttpStatus.NOT_FOUND),
    PRINCIPAL_NOT_FOUND(HttpStatus.NOT_FOUND),
    /** A principal that still owns a securable or holds a key, or a built-in one. */
    PRINCIPAL_IN_USE(HttpStatus.CONFLICT),
    RATE_LIMITED(HttpStatus.TOO_MANY_REQUESTS),
    SERVICE_UNAVAILABLE(HttpStatus.SERVICE_UNAVAILABLE),
    /** The backend accepted the request but did not answer within its response timeout. */
    UPSTREAM_TIMEOUT(HttpStatus.GATEWAY_TIMEOUT),
    INTERNAL_ERROR(HttpStatus.INTERNAL_SERVER_ERROR),

    // metadata-service.
    CATALOG_NOT_FOUND(HttpStatus.NOT_FOUND),
    SCHEMA_NOT_FOUND(HttpStatus.NOT_FOUND),
    TABLE_NOT_FOUND(HttpStatus.NOT_FOUND),
    VOLUME_NOT_FOUND(HttpStatus.NOT_FOUND),
    REGISTERED_MODEL_NOT_FOUND(HttpStatus.NOT_FOUND),
    MODEL_VERSION_NOT_FOUND(HttpStatus.NOT_FOUND),
    /** A storage credential (UC's {@code /credentials}) that does not exist. */
    CREDENTIAL_NOT_FOUND(HttpStatus.NOT_FOUND),
    FUNCTION_NOT_FOUND(HttpStatus.NOT_FOUND),
    VERSION_NOT_FOUND(HttpStatus.NOT_FOUND),
    /**
     * Unity Catalog's own codes for a rename onto a name that is taken, answered only on its door
     * and with its status, 400 (its server keeps them at 400 for backwards compatibility; {@code
     * /api/v1} answers {@link #ALREADY_EXISTS}). {@code RESOURCE_ALREADY_EXISTS} is a volume's.
     */
    CATALOG_ALREADY_EXISTS(HttpStatus.BAD_REQUEST),
    SCHEMA_ALREADY_EXISTS(HttpStatus.BAD_REQUEST),
    TABLE_ALREADY_EXISTS(HttpStatus.BAD_REQUEST),
    RESOURCE_ALREADY_EXISTS(HttpStatus.BAD_REQUEST),
    CATALOG_NOT_EMPTY(HttpStatus.CONFLICT),
    SCHEMA_NOT_EMPTY(HttpStatus.CONFLICT),
    REGISTERED_MODEL_NOT_EMPTY(HttpStatus.CONFLICT),
    VERSION_CONFLICT(HttpStatus.CONFLICT),
    /** A Delta REST API update whose requirement (assert-table-uuid, assert-etag) does not hold. */
    REQUIREMENT_CONFLICT(HttpStatus.CONFLICT),
    INVALID_ACTION(HttpStatus.BAD_REQUEST),
    /**
     * Table maintenance (OPTIMIZE) that kept meeting concurrent changes to the files it rewrites and
     * gave up; nothing was committed, and running it again starts from the new version.
     */
    CONCURRENT_MODIFICATION(HttpStatus.CONFLICT),
    /** A file a table's current version needs is not in its storage (maintenance cannot read it). */
    DATA_FILE_MISSING(HttpStatus.UNPROCESSABLE_CONTENT),
    /** A file a table's current version needs is not Parquet a reader can read (maintenance cannot rewrite it). */
    DATA_FILE_UNREADABLE(HttpStatus.UNPROCESSABLE_CONTENT),
    /** A table location outside every storage root, overlapping another table, or not a directory. */
    LOCATION_NOT_ALLOWED(HttpStatus.UNPROCESSABLE_CONTENT),
    LOCATION_IN_USE(HttpStatus.CONFLICT),
    UNSUPPORTED_LOCATION(HttpStatus.UNPROCESSABLE_CONTENT),
    NOT_A_DELTA_TABLE(HttpStatus.UNPROCESSABLE_CONTENT),
    UNSUPPORTED_DELTA_PROTOCOL(HttpStatus.UNPROCESSABLE_CONTENT),
    DELTA_LOG_UNREADABLE(HttpStatus.UNPROCESSABLE_CONTENT),
    DELTA_HISTORY_INCOMPLETE(HttpStatus.UNPROCESSABLE_CONTENT),
    /**
     * Iceberg readers are not served this table: it uses something Iceberg metadata cannot express
     * (the detail names it), or {@code deltaplane.iceberg.enabled} is false on it, its schema or catalog.
     */
    ICEBERG_NOT_SERVED(HttpStatus.UNPROCESSABLE_CONTENT),
    /**
     * A table's Iceberg metadata cannot be made for the Delta version the catalog ratified last, for
     * a reason that retrying will not change (the detail names the version and the cause); never
     * answered with older metadata.
     */
    ICEBERG_CONVERSION_FAILED(HttpStatus.INTERNAL_SERVER_ERROR),
    /**
     * A table's Iceberg metadata is behind its Delta log for longer than {@code
     * deltaplane.iceberg.max-staleness} because storage or the database failed: retry.
     */
    ICEBERG_METADATA_BEHIND(HttpStatus.SERVICE_UNAVAILABLE),

    // lineage-service.
    JOB_NOT_FOUND(HttpStatus.NOT_FOUND),
    RUN_NOT_FOUND(HttpStatus.NOT_FOUND),
    RUN_NOT_RUNNING(HttpStatus.CONFLICT),
    RUN_ALREADY_COMPLETED(HttpStatus.CONFLICT),
    SNAPSHOT_NOT_FOUND(HttpStatus.NOT_FOUND),
    ARTIFACT_NOT_FOUND(HttpStatus.NOT_FOUND),
    /** An artifact path that would need a file to be a folder, or a folder to be a file. */
    ARTIFACT_PATH_CONFLICT(HttpStatus.CONFLICT),
    INVALID_OPENLINEAGE_EVENT(HttpStatus.BAD_REQUEST),

    // ingest-worker.
    MAPPING_NOT_FOUND(HttpStatus.NOT_FOUND),
    /** A mapping's Delta target exists with other columns or partitioning than the mapping writes. */
    TARGET_MISMATCH(HttpStatus.UNPROCESSABLE_CONTENT);

    private static final Map<String, ErrorCode> BY_CODE =
            Arrays.stream(values()).collect(Collectors.toUnmodifiableMap(ErrorCode::code, Function.identity()));

    private final HttpStatus status;

    ErrorCode(HttpStatus status) {
        this.status = status;
    }

    /** The {@code error_code} on the wire. */
    public String code() {
        return name();
    }

    /** The status this code is answered with unless the thrower names another. */
    public HttpStatus status() {
        return status;
    }

    /** The code with this wire value, if it is one of ours (e.g. read back from a problem document). */
    public static Optional<ErrorCode> fromCode(String code) {
        return Optional.ofNullable(BY_CODE.get(code));
    }

    /** The code that fits a status when nothing more specific is known. */
    public static ErrorCode forStatus(int status) {
        return switch (status) {
            case 400 -> BAD_REQUEST;
            case 401 -> UNAUTHENTICATED;
            case 403 -> FORBIDDEN;
            case 404 -> NOT_FOUND;
            case 405 -> METHOD_NOT_ALLOWED;
            case 406 -> NOT_ACCEPTABLE;
            case 409 -> ALREADY_EXISTS;
            case 413 -> PAYLOAD_TOO_LARGE;
            case 415 -> UNSUPPORTED_MEDIA_TYPE;
            case 422 -> VALIDATION_FAILED;
            case 429 -> RATE_LIMITED;
            case 503 -> SERVICE_UNAVAILABLE;
            default -> status >= 500 ? INTERNAL_ERROR : BAD_REQUEST;
        };
    }
}
