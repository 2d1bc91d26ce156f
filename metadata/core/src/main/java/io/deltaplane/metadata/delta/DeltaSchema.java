package io.deltaplane.metadata.delta;

import static io.deltaplane.metadata.MetadataErrors.invalidAction;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Validates a Delta schema ({@code schemaString}: a {@code struct} of fields with Delta data types,
 * as in PROTOCOL.md "Schema Serialization Format") and reports its top-level fields.
 */
public final class DeltaSchema {
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final Set<String> PRIMITIVES = Set.of(
            "string",
            "long",
            "integer",
            "short",
            "byte",
            "float",
            "double",
            "boolean",
            "binary",
            "date",
            "timestamp",
            "timestamp_ntz",
            "variant");
    private static final Pattern DECIMAL = Pattern.compile("decimal\\(\\s*(\\d+)\\s*,\\s*(\\d+)\\s*\\)");

    /** A top-level column: its name and whether its type is primitive (partitionable). */
    public record Column(String name, boolean primitive) {}

    private DeltaSchema() {}

    /** Parses and validates a schema string; throws INVALID_ACTION when it is not a Delta schema. */
    public static List<Column> parse(String schemaString) {
        JsonNode root;
        try {
            root = JSON.readTree(schemaString);
        } catch (JacksonException e) {
            throw invalidAction("schemaString is not JSON");
        }
        return parseStruct(root, "schema");
    }

    /** Validates a schema given as a JSON tree (StructType). */
    public static List<Column> parse(JsonNode struct) {
        return parseStruct(struct, "schema");
    }

    private static List<Column> parseStruct(JsonNode node, String where) {
        if (node == null || !node.isObject() || !"struct".equals(text(node.get("type")))) {
            throw invalidAction(where + " must be a struct type {\"type\":\"struct\",\"fields\":[…]}");
        }
        JsonNode fields = node.get("fields");
        if (fields == null || !fields.isArray()) {
            throw invalidAction(where + ".fields must be an array");
        }
        List<Column> columns = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (JsonNode field : fields) {
            String name = field.isObject() ? text(field.get("name")) : null;
            if (name == null || name.isEmpty()) {
                throw invalidAction(where + " has a field without a name");
            }
            if (!seen.add(name.toLowerCase(Locale.ROOT))) {
                throw invalidAction(where + " has the field " + name + " twice");
            }
            JsonNode nullable = field.get("nullable");
            if (nullable == null || !nullable.isBoolean()) {
                throw invalidAction(where + "." + name + ".nullable must be a boolean");
            }
            JsonNode metadata = field.get("metadata");
            if (metadata != null && !metadata.isObject()) {
                throw invalidAction(where + "." + name + ".metadata must be an object");
            }
            UnimplementedFeatures.checkFieldMetadata(where + "." + name, metadata);
            boolean primitive = checkType(field.get("type"), where + "." + name);
            columns.add(new Column(name, primitive));
        }
        return columns;
    }

    /** Returns whether the type is primitive. */
    private static boolean checkType(JsonNode type, String where) {
        if (type == null) {
            throw invalidAction(where + " has no type");
        }
        if (type.isString()) {
            String name = type.stringValue();
            if (PRIMITIVES.contains(name)) {
                return true;
            }
            var decimal = DECIMAL.matcher(name);
            if (decimal.matches()) {
                int precision = Integer.parseInt(decimal.group(1));
                int scale = Integer.parseInt(decimal.group(2));
                if (precision < 1 || precision > 38 || scale > precision) {
                    throw invalidAction(where + " has an invalid decimal " + name);
                }
                return true;
            }
            throw invalidAction(where + " has an unknown type " + name);
        }
        if (!type.isObject()) {
            throw invalidAction(where + " has an invalid type");
        }
        switch (String.valueOf(text(type.get("type")))) {
            case "struct" -> parseStruct(type, where);
            case "array" -> {
                requireBoolean(type, "containsNull", where);
                checkType(type.get("elementType"), where + ".element");
            }
            case "map" -> {
                requireBoolean(type, "valueContainsNull", where);
                checkType(type.get("keyType"), where + ".key");
                checkType(type.get("valueType"), where + ".value");
            }
            default -> throw invalidAction(where + " has an unknown complex type");
        }
        return false;
    }

    private static void requireBoolean(JsonNode node, String field, String where) {
        JsonNode value = node.get(field);
        if (value == null || !value.isBoolean()) {
            throw invalidAction(where + "." + field + " must be a boolean");
        }
    }

    private static String text(JsonNode node) {
        return node != null && node.isString() ? node.stringValue() : null;
    }

    /** Checks that partition columns are distinct top-level primitive columns of the schema. */
    public static void checkPartitionColumns(List<Column> columns, List<String> partitionColumns) {
        Map<String, Column> byName = new java.util.HashMap<>();
        columns.forEach(c -> byName.put(c.name(), c));
        Set<String> seen = new HashSet<>();
        for (String p : partitionColumns) {
            Column column = byName.get(p);
            if (column == null) {
                throw invalidAction("partition column " + p + " is not a column of the schema");
            }
            if (!column.primitive()) {
                throw invalidAction("partition column " + p + " must have a primitive type");
            }
            if (!seen.add(p)) {
                throw invalidAction("partition column " + p + " is listed twice");
            }
        }
    }
}
