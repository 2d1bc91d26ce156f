package io.deltaplane.client;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.deltaplane.client.internal.Json;
import java.io.IOException;
import java.net.http.HttpHeaders;
import java.time.Duration;
import java.util.Map;

/**
 * Turns what a generated call threw into the matching typed exception. Each generated package has
 * its own {@code ApiException} with the same shape: {@code getCode()} is the HTTP status of an
 * error answer, or 0 when no usable answer arrived (the cause is then the {@code IOException} of the
 * connection, or the Jackson exception of an unreadable body, or an {@code InterruptedException}).
 */
final class ErrorMapper {

    private ErrorMapper() {}

    static DeltaplaneException map(Exception e, String sentRequestId) {
        if (e instanceof io.deltaplane.client.generated.metadata.invoker.ApiException a) {
            return map(a.getCode(), a.getResponseHeaders(), a.getResponseBody(), a, sentRequestId);
        }
        if (e instanceof io.deltaplane.client.generated.lineage.invoker.ApiException a) {
            return map(a.getCode(), a.getResponseHeaders(), a.getResponseBody(), a, sentRequestId);
        }
        if (e instanceof io.deltaplane.client.generated.ingest.invoker.ApiException a) {
            return map(a.getCode(), a.getResponseHeaders(), a.getResponseBody(), a, sentRequestId);
        }
        if (e instanceof io.deltaplane.client.generated.gateway.invoker.ApiException a) {
            return map(a.getCode(), a.getResponseHeaders(), a.getResponseBody(), a, sentRequestId);
        }
        return new DeltaplaneException("Unexpected failure: " + e, 0, null, sentRequestId, null, e);
    }

    private static DeltaplaneException map(
            int status, HttpHeaders headers, String body, Exception apiException, String sentRequestId) {
        if (status == 0) {
            Throwable cause = apiException.getCause() == null ? apiException : apiException.getCause();
            if (cause instanceof JsonProcessingException) {
                return new DeltaplaneException(
                        "Unreadable answer from the server: " + cause.getMessage(),
                        0,
                        null,
                        sentRequestId,
                        null,
                        cause);
            }
            if (cause instanceof IOException) {
                return new TransientNetworkException("No answer from the server: " + cause, sentRequestId, cause);
            }
            return new DeltaplaneException("Call interrupted or failed: " + cause, 0, null, sentRequestId, null, cause);
        }
        if (headers == null && body == null) {
            // the generated code's own check of a required parameter, before anything was sent
            return new InvalidRequestException(apiException.getMessage(), status, null, sentRequestId, null);
        }
        return map(
                status,
                body,
                headers == null ? null : headers.firstValue("X-Request-Id").orElse(null),
                sentRequestId,
                headers == null ? null : headers.firstValue("Retry-After").orElse(null));
    }

    /** An error answer (problem+json, or anything else) as the exception of its status. */
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
        String requestId = firstNonBlank(asText(problem.get("request_id")), responseRequestId, sentRequestId);
        String code = asText(problem.get("error_code"));
        Object detailValue = problem.get("detail");
        String detail = detailValue != null ? detailValue.toString() : "HTTP " + status;
        String message = (code == null ? "" : code + ": ") + detail;
        if (status == 400 && code != null && code.endsWith("_ALREADY_EXISTS")) {
            // Unity Catalog's door answers a rename onto a taken name as UC's server does, 400 with
            // its own code (RESOURCE_ALREADY_EXISTS for a volume): still a taken name, a conflict
            return new ConflictException(message, status, code, requestId, problem);
        }
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

    private static String asText(Object value) {
        return value == null ? null : value.toString();
    }

    private static String firstNonBlank(String... values) {
        for (String v : values) {
            if (v != null && !v.isBlank()) {
                return v;
            }
        }
        return null;
    }
}
