package io.deltaplane.client;

import java.util.Map;

/**
 * Every failure of a Deltaplane call. Carries the request id (quote it when reporting a problem:
 * it is in every server log line of the call), the HTTP status (0 when no answer arrived), the
 * server's {@code error_code} and the whole problem document.
 */
public class DeltaplaneException extends RuntimeException {

    private final int status;
    private final String errorCode;
    private final String requestId;
    private final Map<String, Object> problem;

    public DeltaplaneException(
            String message,
            int status,
            String errorCode,
            String requestId,
            Map<String, Object> problem,
            Throwable cause) {
        super(message + (requestId == null ? "" : " (request id " + requestId + ")"), cause);
        this.status = status;
        this.errorCode = errorCode;
        this.requestId = requestId;
        this.problem = problem == null ? Map.of() : Map.copyOf(problem);
    }

    /** The HTTP status, or 0 when the server never answered. */
    public int status() {
        return status;
    }

    /** The server's machine-readable {@code error_code}, e.g. {@code VERSION_CONFLICT}; may be null. */
    public String errorCode() {
        return errorCode;
    }

    /** The {@code X-Request-Id} of the call. */
    public String requestId() {
        return requestId;
    }

    /** The RFC 9457 problem document the server answered with (empty when there was none). */
    public Map<String, Object> problem() {
        return problem;
    }
}
