package io.deltaplane.client.internal;

import io.deltaplane.client.AuthException;
import io.deltaplane.client.ConflictException;
import io.deltaplane.client.DeltaplaneException;
import io.deltaplane.client.InvalidRequestException;
import io.deltaplane.client.NotFoundException;
import io.deltaplane.client.RateLimitedException;
import io.deltaplane.client.ServerException;
import java.time.Duration;
import java.util.Map;

/** Turns an error answer (problem+json, or anything else) into the matching typed exception. */
final class ErrorMapper {

    private ErrorMapper() {}

    @SuppressWarnings("unchecked")
    static DeltaplaneException map(
            int status, String body, String responseRequestId, String sentRequestId, String retryAfter) {
        Map<String, Object> problem = Map.of();
        if (body != null && body.trim().startsWith("{")) {
            try {
                problem = Json.mapper().readValue(body, Map.class);
            } catch (Exception notJson) {
                // keep the empty problem; the status still says what happened
            }
        }
        String requestId = firstNonNull((String) problem.get("request_id"), responseRequestId, sentRequestId);
        String code = (String) problem.get("error_code");
        Object detailValue = problem.get("detail");
        String detail = detailValue != null ? detailValue.toString() : "HTTP " + status;
        String message = (code == null ? "" : code + ": ") + detail;
        return switch (status) {
            case 401, 403 -> new AuthException(message, status, code, requestId, problem);
            case 404 -> new NotFoundException(message, status, code, requestId, problem);
            case 409 -> new ConflictException(message, status, code, requestId, problem);
            case 429 -> new RateLimitedException(message, code, requestId, problem, retryAfter(retryAfter));
            case 400, 405, 406, 413, 415, 422 -> new InvalidRequestException(message, status, code, requestId, problem);
            default ->
                status >= 500
                        ? new ServerException(message, status, code, requestId, problem)
                        : new DeltaplaneException(message, status, code, requestId, problem, null);
        };
    }

    private static Duration retryAfter(String header) {
        if (header != null) {
            try {
                return Duration.ofSeconds(Math.max(0, Long.parseLong(header.trim())));
            } catch (NumberFormatException ignored) {
                // an HTTP date: fall back to the default below
            }
        }
        return Duration.ofSeconds(1);
    }

    private static String firstNonNull(String... values) {
        for (String v : values) {
            if (v != null && !v.isBlank()) {
                return v;
            }
        }
        return null;
    }
}
