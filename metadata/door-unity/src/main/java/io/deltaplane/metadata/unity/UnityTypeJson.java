package io.deltaplane.metadata.unity;

import io.deltaplane.metadata.unity.UnityColumns.ColumnInfo;
import io.deltaplane.support.problem.ApiException;
import io.deltaplane.support.problem.ErrorCode;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A column's {@code type_json} read as Unity Catalog 0.6's server reads it on {@code POST /tables}
 * ({@code ColumnUtils.validateTypeJson}), with its wording, so a client is told the same field:
 * "Invalid type_json for column &lt;name&gt;: type_json.nullable is required." and so on. Two
 * leniencies UC does not have stay: {@code type_json} may be the Delta type alone (some clients send
 * just that), and it may be left out for a simple {@code type_name}.
 */
final class UnityTypeJson {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private UnityTypeJson() {}

    /**
     * The column's Delta type, and its nullability ({@code nullable}, else the whole field's, else
     * true); null type when {@code type_json} is absent (the caller reads {@code type_name}).
     */
    record Read(JsonNode type, boolean nullable) {}

    static Read read(ColumnInfo column, int index) {
        if (column == null) {
            throw invalid("<unknown>", "column cannot be null");
        }
        String label = column.name() != null ? column.name() : "<unknown>";
        String text = column.typeJson();
        if (text == null || text.isBlank()) {
            requireName(column, index);
            return new Read(null, column.nullable() == null || column.nullable());
        }
        JsonNode json;
        try {
            json = JSON.readTree(text);
        } catch (RuntimeException e) {
            throw invalid(label, "Failed to parse typeJson for column " + column.name() + ": " + text);
        }
        if (!isWholeField(json)) {
            requireName(column, index);
            if (json.isObject() && !json.hasNonNull("type")) {
                throw invalid(label, "type_json.type is required.");
            }
            return new Read(json, column.nullable() == null || column.nullable());
        }
        // Spark's StructField, as UC's connector sends it: UC checks each key, then that it is this column's
        JsonNode name = json.get("name");
        if (name == null || !name.isString() || name.asString().isBlank()) {
            throw invalid(label, "type_json.name is required.");
        }
        for (String key : new String[] {"type", "nullable", "metadata"}) {
            if (!json.hasNonNull(key)) {
                throw invalid(label, "type_json." + key + " is required.");
            }
        }
        if (!name.asString().equals(column.name())) {
            throw invalid(label, "field name " + name.asString() + " does not match column name " + column.name());
        }
        boolean fieldNullable = json.get("nullable").asBoolean();
        if (column.nullable() != null && fieldNullable != column.nullable()) {
            throw invalid(
                    label, "field nullable " + fieldNullable + " does not match column nullable " + column.nullable());
        }
        return new Read(json.get("type"), fieldNullable);
    }

    /** UC's answer when neither type_json nor a type_name it could stand for is given. */
    static ApiException missing(ColumnInfo column, String why) {
        String label = column.name() != null ? column.name() : "<unknown>";
        return invalid(label, "Column " + column.name() + " has null/empty typeJson" + why);
    }

    /** The whole struct field (name, type, nullable, metadata), not a Delta type alone. */
    private static boolean isWholeField(JsonNode json) {
        return json.isObject() && (json.has("name") || json.has("nullable") || json.has("metadata"));
    }

    /**
     * A column without a name and without a whole field to compare it with: UC has no message for
     * that (it needs the field), so the field is named in its path style.
     */
    private static void requireName(ColumnInfo column, int index) {
        if (column.name() == null || column.name().isEmpty()) {
            throw ApiException.badRequest(ErrorCode.VALIDATION_FAILED, "columns[" + index + "].name is required.");
        }
    }

    private static ApiException invalid(String column, String message) {
        return ApiException.badRequest(
                ErrorCode.VALIDATION_FAILED, "Invalid type_json for column " + column + ": " + message);
    }
}
