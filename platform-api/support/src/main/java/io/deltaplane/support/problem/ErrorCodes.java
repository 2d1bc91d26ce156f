package io.deltaplane.support.problem;

/** The {@code error_code} values shared by every service; services add their own next to them. */
public final class ErrorCodes {
    public static final String BAD_REQUEST = "BAD_REQUEST";
    public static final String MALFORMED_JSON = "MALFORMED_JSON";
    public static final String VALIDATION_FAILED = "VALIDATION_FAILED";
    public static final String INVALID_NAME = "INVALID_NAME";
    /** A request path the HTTP firewall refuses: not in canonical form (encoded separators, dots, ';'…). */
    public static final String INVALID_PATH = "INVALID_PATH";
    /** A page_token the server did not issue (forged, garbled, from another listing). */
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
