package io.deltaplane.support.problem;

/**
 * The former string constants, kept as aliases while branches that still use them are merged.
 *
 * @deprecated use {@link ErrorCode}; ErrorCodeTest checks every alias names one of its codes.
 */
@Deprecated
public final class ErrorCodes {
    public static final String BAD_REQUEST = "BAD_REQUEST";
    public static final String MALFORMED_JSON = "MALFORMED_JSON";
    public static final String VALIDATION_FAILED = "VALIDATION_FAILED";
    public static final String INVALID_NAME = "INVALID_NAME";
    public static final String INVALID_PATH = "INVALID_PATH";
    public static final String INVALID_PAGE_TOKEN = "INVALID_PAGE_TOKEN";
    public static final String NOT_FOUND = "NOT_FOUND";
    public static final String METHOD_NOT_ALLOWED = "METHOD_NOT_ALLOWED";
    public static final String NOT_ACCEPTABLE = "NOT_ACCEPTABLE";
    public static final String UNSUPPORTED_MEDIA_TYPE = "UNSUPPORTED_MEDIA_TYPE";
    public static final String PAYLOAD_TOO_LARGE = "PAYLOAD_TOO_LARGE";
    public static final String UNAUTHENTICATED = "UNAUTHENTICATED";
    public static final String FORBIDDEN = "FORBIDDEN";
    public static final String ALREADY_EXISTS = "ALREADY_EXISTS";
    public static final String IDEMPOTENCY_KEY_REUSED = "IDEMPOTENCY_KEY_REUSED";
    public static final String RATE_LIMITED = "RATE_LIMITED";
    public static final String SERVICE_UNAVAILABLE = "SERVICE_UNAVAILABLE";
    public static final String INTERNAL_ERROR = "INTERNAL_ERROR";

    private ErrorCodes() {}
}
