package io.deltaplane.support.problem;

import static java.util.Objects.requireNonNull;

import java.util.Map;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;

/**
 * An error a client caused or must know about, rendered as RFC 9457 problem+json with its
 * {@code error_code}. Services throw it (or a subclass) instead of building responses by hand.
 */
public class ApiException extends RuntimeException {

    private final HttpStatus status;
    private final String errorCode;
    private final Map<String, Object> properties;

    public ApiException(ErrorCode code, String detail) {
        this(code.status(), code.code(), detail, Map.of());
    }

    public ApiException(ErrorCode code, String detail, Map<String, Object> properties) {
        this(code.status(), code.code(), detail, properties);
    }

    /** For the few places that answer a code with another status than its usual one. */
    public ApiException(HttpStatus status, ErrorCode code, String detail) {
        this(status, code.code(), detail, Map.of());
    }

    public ApiException(HttpStatus status, ErrorCode code, String detail, Map<String, Object> properties) {
        this(status, code.code(), detail, properties);
    }

    /** Prefer the {@link ErrorCode} forms: a code outside the enum is invisible to the docs and clients. */
    public ApiException(HttpStatus status, String errorCode, String detail) {
        this(status, errorCode, detail, Map.of());
    }

    public ApiException(HttpStatus status, String errorCode, String detail, Map<String, Object> properties) {
        super(requireNonNull(detail, "detail"));
        this.status = requireNonNull(status, "status");
        this.errorCode = requireNonNull(errorCode, "errorCode");
        this.properties = Map.copyOf(properties);
    }

    public HttpStatus status() {
        return status;
    }

    public String errorCode() {
        return errorCode;
    }

    /** Whether this is {@code code}: what callers that handle one case test, rather than comparing strings. */
    public boolean is(ErrorCode code) {
        return code.code().equals(errorCode);
    }

    /** Extra members of the problem document, e.g. {@code current_version} on a conflict. */
    public Map<String, Object> properties() {
        return properties;
    }

    /** Response headers that belong with this problem (e.g. {@code Retry-After}); none by default. */
    public HttpHeaders headers() {
        return HttpHeaders.EMPTY;
    }

    public static ApiException notFound(ErrorCode code, String detail) {
        return new ApiException(HttpStatus.NOT_FOUND, code, detail);
    }

    public static ApiException conflict(ErrorCode code, String detail) {
        return new ApiException(HttpStatus.CONFLICT, code, detail);
    }

    public static ApiException badRequest(ErrorCode code, String detail) {
        return new ApiException(HttpStatus.BAD_REQUEST, code, detail);
    }

    public static ApiException notFound(String errorCode, String detail) {
        return new ApiException(HttpStatus.NOT_FOUND, errorCode, detail);
    }

    public static ApiException conflict(String errorCode, String detail) {
        return new ApiException(HttpStatus.CONFLICT, errorCode, detail);
    }

    public static ApiException badRequest(String errorCode, String detail) {
        return new ApiException(HttpStatus.BAD_REQUEST, errorCode, detail);
    }
}
