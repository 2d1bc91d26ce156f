package io.deltaplane.lineage.column;

import io.deltaplane.support.names.Names;
import io.deltaplane.support.problem.ApiException;
import io.deltaplane.support.problem.ErrorCode;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;

/**
 * Reads an output dataset's OpenLineage {@code columnLineage} facet: for each output field, its
 * input fields with their transformations (stored by the OpenLineage writer as {@link
 * ColumnLineageRepository.FieldEdge}s). Both shapes of the facet are read: 1-2-0's
 * {@code inputFields[].transformations[]} and 1-0/1-1's field-level {@code transformationType} and
 * {@code transformationDescription}.
 */
public final class ColumnLineageFacet {

    private ColumnLineageFacet() {}

    /**
     * One field-to-field dependency as the facet states it, before its datasets have ids: output
     * field {@code outputField} is derived from {@code inputField} of dataset
     * {@code inputNamespace}/{@code inputName}.
     */
    public record FieldPair(
            String outputField,
            String inputNamespace,
            String inputName,
            String inputField,
            String transformationType,
            String transformationSubtype,
            String description) {}

    /**
     * The facet's dependencies in the order it states them, one per (output field, input field): of
     * several transformations of one pair the first is kept. Empty without a facet; a malformed one
     * is the 400 the event gets.
     */
    public static List<FieldPair> parse(JsonNode facet) {
        if (!hasFields(facet)) {
            return List.of();
        }
        JsonNode fields = facet.path("fields");
        var pairs = new LinkedHashMap<List<String>, FieldPair>();
        for (Map.Entry<String, JsonNode> entry : fields.properties()) {
            String outField = field(entry.getKey(), "columnLineage.fields key");
            JsonNode spec = entry.getValue();
            String fieldType = optionalText(spec.path("transformationType"));
            String fieldDescription = optionalText(spec.path("transformationDescription"));
            for (JsonNode input : spec.path("inputFields")) {
                String inNamespace = name(input.path("namespace"), "columnLineage inputFields[].namespace");
                String inName = name(input.path("name"), "columnLineage inputFields[].name");
                String inField = field(
                        input.path("field").isString() ? input.path("field").asString() : null,
                        "columnLineage inputFields[].field");
                List<String> key = List.of(outField, inNamespace, inName, inField);
                JsonNode transformations = input.path("transformations");
                if (transformations.isArray() && !transformations.isEmpty()) {
                    for (JsonNode t : transformations) {
                        pairs.putIfAbsent(
                                key,
                                new FieldPair(
                                        outField,
                                        inNamespace,
                                        inName,
                                        inField,
                                        optionalText(t.path("type")),
                                        optionalText(t.path("subtype")),
                                        optionalText(t.path("description"))));
                    }
                } else {
                    pairs.putIfAbsent(
                            key,
                            new FieldPair(outField, inNamespace, inName, inField, fieldType, null, fieldDescription));
                }
            }
        }
        return List.copyOf(pairs.values());
    }

    /** Whether the facet states any output field (then the output dataset is registered, even with no inputs). */
    public static boolean hasFields(JsonNode facet) {
        JsonNode fields = facet.path("fields");
        return fields.isObject() && !fields.isEmpty();
    }

    private static String optionalText(JsonNode node) {
        return node.isString() && !node.asString().isBlank() && node.asString().length() <= 1000
                ? node.asString()
                : null;
    }

    private static String name(JsonNode node, String what) {
        if (!node.isString() || !Names.isForeign(node.asString())) {
            throw invalid(what + " must be a non-empty string without control characters");
        }
        return node.asString();
    }

    private static String field(String value, String what) {
        if (value == null || value.isEmpty() || value.length() > 1000 || !Names.isForeign(value)) {
            throw invalid(what + " must be a non-empty field name without control characters");
        }
        return value;
    }

    private static ApiException invalid(String detail) {
        return ApiException.badRequest(
                ErrorCode.INVALID_OPENLINEAGE_EVENT, "Not an OpenLineage RunEvent: " + detail + ".");
    }
}
