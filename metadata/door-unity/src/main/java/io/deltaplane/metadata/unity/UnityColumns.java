package io.deltaplane.metadata.unity;

import io.deltaplane.support.problem.ApiException;
import io.deltaplane.support.problem.ErrorCode;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * Delta's schema (a StructType) as UC's {@code columns} and back. Each column carries its Delta
 * field as {@code type_json}, so nothing is lost in either direction; {@code type_name} and
 * {@code type_text} are derived for clients that read those.
 */
final class UnityColumns {

    /** A column as UC's {@code ColumnInfo} has it. */
    public record ColumnInfo(
            String name,
            String typeText,
            String typeJson,
            String typeName,
            Integer typePrecision,
            Integer typeScale,
            Integer position,
            String comment,
            Boolean nullable,
            Integer partitionIndex) {}

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final Map<String, String> TYPE_NAMES = Map.ofEntries(
            Map.entry("boolean", "BOOLEAN"),
            Map.entry("byte", "BYTE"),
            Map.entry("short", "SHORT"),
            Map.entry("integer", "INT"),
            Map.entry("long", "LONG"),
            Map.entry("float", "FLOAT"),
            Map.entry("double", "DOUBLE"),
            Map.entry("date", "DATE"),
            Map.entry("timestamp", "TIMESTAMP"),
            Map.entry("timestamp_ntz", "TIMESTAMP_NTZ"),
            Map.entry("string", "STRING"),
            Map.entry("binary", "BINARY"),
            Map.entry("variant", "VARIANT"));
    private static final Map<String, String> TYPE_TEXTS =
            Map.of("byte", "tinyint", "short", "smallint", "integer", "int", "long", "bigint");

    private UnityColumns() {}

    /** The columns of a Delta schema string, with their partition positions. */
    static List<ColumnInfo> of(String schemaString, List<String> partitionColumns) {
        JsonNode fields = JSON.readTree(schemaString).path("fields");
        List<ColumnInfo> columns = new ArrayList<>();
        int position = 0;
        for (JsonNode field : fields) {
            String name = field.path("name").asString();
            JsonNode type = field.path("type");
            int partition = partitionColumns.indexOf(name);
            JsonNode comment = field.path("metadata").path("comment");
            columns.add(new ColumnInfo(
                    name,
                    typeText(type),
                    field.toString(),
                    typeName(type),
                    decimal(type, 1),
                    decimal(type, 2),
                    position++,
                    comment.isString() ? comment.asString() : null,
                    field.path("nullable").asBoolean(true),
                    partition < 0 ? null : partition));
        }
        return columns;
    }

    /**
     * A Delta schema (StructType JSON) from UC columns: each from its type_json, else its type_name;
     * a malformed column is refused as UC's server words it ({@link UnityTypeJson}).
     */
    static ObjectNode schema(List<ColumnInfo> columns) {
        if (columns == null || columns.isEmpty()) {
            throw ApiException.badRequest(ErrorCode.VALIDATION_FAILED, "columns: at least one column is required.");
        }
        ObjectNode struct = JsonNodeFactory.instance.objectNode();
        struct.put("type", "struct");
        var fields = struct.putArray("fields");
        for (int i = 0; i < columns.size(); i++) {
            ColumnInfo column = columns.get(i);
            UnityTypeJson.Read read = UnityTypeJson.read(column, i);
            ObjectNode field = JsonNodeFactory.instance.objectNode();
            field.put("name", column.name());
            field.set("type", read.type() != null ? read.type() : simpleType(column));
            field.put("nullable", read.nullable());
            ObjectNode metadata = field.putObject("metadata");
            if (column.comment() != null) {
                metadata.put("comment", column.comment());
            }
            fields.add(field);
        }
        return struct;
    }

    /** Partition columns in {@code partition_index} order. */
    static List<String> partitions(List<ColumnInfo> columns) {
        return columns.stream()
                .filter(c -> c.partitionIndex() != null)
                .sorted(java.util.Comparator.comparing(ColumnInfo::partitionIndex))
                .map(ColumnInfo::name)
                .toList();
    }

    /** A column without type_json: its type_name, which must be a simple type (or DECIMAL). */
    private static JsonNode simpleType(ColumnInfo column) {
        if (column.typeName() == null) {
            throw UnityTypeJson.missing(column, "");
        }
        String name = column.typeName().toUpperCase(Locale.ROOT);
        if (name.equals("DECIMAL")) {
            int precision = column.typePrecision() == null ? 10 : column.typePrecision();
            int scale = column.typeScale() == null ? 0 : column.typeScale();
            return JsonNodeFactory.instance.stringNode("decimal(" + precision + "," + scale + ")");
        }
        return TYPE_NAMES.entrySet().stream()
                .filter(e -> e.getValue().equals(name))
                .findFirst()
                .map(e -> (JsonNode) JsonNodeFactory.instance.stringNode(e.getKey()))
                .orElseThrow(() -> UnityTypeJson.missing(
                        column, " (type_name " + column.typeName() + " is not a type it can stand for)"));
    }

    private static String typeName(JsonNode type) {
        if (type.isString()) {
            String simple = type.asString();
            return simple.startsWith("decimal") ? "DECIMAL" : TYPE_NAMES.getOrDefault(simple, "USER_DEFINED_TYPE");
        }
        return switch (type.path("type").asString()) {
            case "array" -> "ARRAY";
            case "map" -> "MAP";
            case "struct" -> "STRUCT";
            default -> "USER_DEFINED_TYPE";
        };
    }

    static String typeText(JsonNode type) {
        if (type.isString()) {
            String simple = type.asString();
            return TYPE_TEXTS.getOrDefault(simple, simple);
        }
        return switch (type.path("type").asString()) {
            case "array" -> "array<" + typeText(type.path("elementType")) + ">";
            case "map" -> "map<" + typeText(type.path("keyType")) + "," + typeText(type.path("valueType")) + ">";
            case "struct" -> {
                List<String> parts = new ArrayList<>();
                for (JsonNode f : type.path("fields")) {
                    parts.add(f.path("name").asString() + ":" + typeText(f.path("type")));
                }
                yield "struct<" + String.join(",", parts) + ">";
            }
            default -> type.toString();
        };
    }

    private static Integer decimal(JsonNode type, int group) {
        if (!type.isString() || !type.asString().startsWith("decimal(")) {
            return null;
        }
        var matcher = java.util.regex.Pattern.compile("decimal\\((\\d+),\\s*(\\d+)\\)")
                .matcher(type.asString());
        return matcher.matches() ? Integer.valueOf(matcher.group(group)) : null;
    }
}
