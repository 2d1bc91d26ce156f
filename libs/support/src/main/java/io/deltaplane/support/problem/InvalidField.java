package io.deltaplane.support.problem;

import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * One field of a request that breaks a rule: the {@code errors} member of a 400 {@code
 * VALIDATION_FAILED} problem is a list of these, in every service. {@code field} is the JSON path
 * as the client wrote it ({@code source.topic}, {@code items[2].uri}) or a parameter's name.
 */
public record InvalidField(String field, String message) {

    /** The problem for these fields: the detail names each one, {@code errors} lists them. */
    public static ApiException problem(List<InvalidField> fields) {
        return problem(ErrorCode.VALIDATION_FAILED.status(), fields);
    }

    /** As {@link #problem(List)}, for the few endpoints that answer validation with another status (ingest's 422). */
    public static ApiException problem(org.springframework.http.HttpStatus status, List<InvalidField> fields) {
        String detail = fields.stream().map(f -> f.field() + ": " + f.message()).collect(Collectors.joining("; "));
        List<Map<String, String>> errors = fields.stream()
                .map(f -> Map.of("field", f.field(), "message", f.message()))
                .toList();
        return new ApiException(
                status, ErrorCode.VALIDATION_FAILED, "Invalid request: " + detail + ".", Map.of("errors", errors));
    }

    /** The problem for one field. */
    public static ApiException problem(String field, String message) {
        return problem(List.of(new InvalidField(field, message)));
    }

    /** From the {@code "field: message"} form validators collect in a list of strings. */
    public static InvalidField parse(String fieldColonMessage) {
        int colon = fieldColonMessage.indexOf(": ");
        return colon < 0
                ? new InvalidField("", fieldColonMessage)
                : new InvalidField(fieldColonMessage.substring(0, colon), fieldColonMessage.substring(colon + 2));
    }

    /** camelCase Java names to the snake_case the API's JSON uses, keeping dots and indexes. */
    public static String jsonName(String javaPath) {
        return javaPath.replaceAll("([a-z0-9])([A-Z])", "$1_$2").toLowerCase(java.util.Locale.ROOT);
    }
}
