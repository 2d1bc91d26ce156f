package io.deltaplane.metadata.icebergmetadata;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.iceberg.Schema;
import org.apache.iceberg.mapping.MappedField;
import org.apache.iceberg.mapping.MappedFields;
import org.apache.iceberg.mapping.NameMapping;
import org.apache.iceberg.types.Type;
import org.apache.iceberg.types.Types;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A Delta schema ({@code metaData.schemaString}) as an Iceberg schema with stable field ids, and the
 * name mapping ({@code schema.name-mapping.default}) by which Iceberg readers find each column in
 * Parquet files written without Iceberg's ids.
 *
 * <p>Ids: under column mapping, Delta's own {@code delta.columnMapping.id} (and {@code
 * delta.columnMapping.nested.ids} for list elements and map keys and values), so the ids Delta
 * wrote into Parquet are Iceberg's; otherwise the previous Iceberg schema's id for the same column
 * (by its full name), and new columns get ids above every id ever assigned, so {@code
 * last-column-id} never goes back. The mapping names a column by its logical name and, under
 * column mapping, by its physical name too.
 */
final class IcebergSchemas {

    static final String COLUMN_MAPPING_MODE = "delta.columnMapping.mode";
    static final String COLUMN_MAPPING_ID = "delta.columnMapping.id";
    static final String PHYSICAL_NAME = "delta.columnMapping.physicalName";
    static final String NESTED_IDS = "delta.columnMapping.nested.ids";
    static final String MAX_COLUMN_ID = "delta.columnMapping.maxColumnId";

    /**
     * Where the ids of list elements and map keys and values that Delta gave none ({@value
     * #NESTED_IDS} absent) start under column mapping: far above any id Delta's {@value
     * #MAX_COLUMN_ID} reaches, below Iceberg's reserved ids ({@code Integer.MAX_VALUE - 200} on), so a
     * column Delta adds later never takes an id given to a nested field here.
     */
    static final int RESERVED_IDS = 1_000_000_000;

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final Pattern DECIMAL = Pattern.compile("decimal\\(\\s*(\\d+)\\s*,\\s*(\\d+)\\s*\\)");

    /**
     * The schema, the highest id it or any earlier schema used, its name mapping, and where each
     * primitive column outside lists and maps is in Delta's statistics (the keys of {@code
     * minValues}, {@code maxValues} and {@code nullCount}: physical names, nested by struct).
     */
    record Converted(Schema schema, int lastColumnId, NameMapping nameMapping, Map<Integer, List<String>> statsKeys) {}

    private final Map<Integer, List<String>> statsKeys = new java.util.HashMap<>();

    private final Schema previous;
    private final boolean columnMapping;
    private int nextId;
    private int nextReserved;

    private IcebergSchemas(Schema previous, boolean columnMapping, int lastColumnId) {
        this.previous = previous;
        this.columnMapping = columnMapping;
        this.nextId = lastColumnId + 1;
        this.nextReserved = Math.max(RESERVED_IDS, lastColumnId + 1);
    }

    /**
     * Converts {@code schemaString} under {@code configuration} (the metaData's), keeping the ids of
     * {@code previous} (null for a table's first schema), assigning new ones above {@code
     * lastColumnId}.
     */
    static Converted convert(
            String schemaString, Map<String, String> configuration, Schema previous, int lastColumnId) {
        String mode = configuration.getOrDefault(COLUMN_MAPPING_MODE, "none");
        boolean mapped = !mode.equals("none");
        int floor = lastColumnId;
        if (mapped && configuration.containsKey(MAX_COLUMN_ID)) {
            floor = Math.max(floor, Integer.parseInt(configuration.get(MAX_COLUMN_ID)));
        }
        IcebergSchemas converter = new IcebergSchemas(previous, mapped, floor);
        JsonNode struct = JSON.readTree(schemaString);
        List<MappedField> mapping = new ArrayList<>();
        Types.StructType type = converter.struct(struct, "", mapping, List.of());
        Schema schema = new Schema(type.fields());
        int last = Math.max(floor, converter.nextId - 1);
        if (converter.nextReserved > Math.max(RESERVED_IDS, floor + 1)) {
            last = Math.max(last, converter.nextReserved - 1);
        }
        last = Math.max(last, schema.highestFieldId());
        return new Converted(schema, last, NameMapping.of(MappedFields.of(mapping)), Map.copyOf(converter.statsKeys));
    }

    /** {@code statsPrefix}: the statistics keys of this struct, null inside a list or map (none kept). */
    private Types.StructType struct(
            JsonNode struct, String prefix, List<MappedField> mapping, List<String> statsPrefix) {
        List<Types.NestedField> fields = new ArrayList<>();
        for (JsonNode field : struct.path("fields")) {
            String name = field.path("name").asString();
            String path = prefix.isEmpty() ? name : prefix + "." + name;
            JsonNode metadata = field.path("metadata");
            int id = columnMapping && metadata.has(COLUMN_MAPPING_ID)
                    ? metadata.get(COLUMN_MAPPING_ID).asInt()
                    : idOf(path);
            Set<String> names = new LinkedHashSet<>();
            names.add(name);
            if (metadata.hasNonNull(PHYSICAL_NAME)) {
                names.add(metadata.get(PHYSICAL_NAME).asString());
            }
            String physical = metadata.hasNonNull(PHYSICAL_NAME)
                    ? metadata.get(PHYSICAL_NAME).asString()
                    : name;
            List<MappedField> nested = new ArrayList<>();
            List<String> statsKey = null;
            if (statsPrefix != null) {
                statsKey = new ArrayList<>(statsPrefix);
                statsKey.add(physical);
            }
            Type type = type(field.path("type"), path, physical, metadata.path(NESTED_IDS), nested, statsKey, id);
            if (type.isPrimitiveType() && statsKey != null) {
                statsKeys.put(id, List.copyOf(statsKey));
            }
            boolean optional = field.path("nullable").asBoolean(true);
            fields.add(
                    optional ? Types.NestedField.optional(id, name, type) : Types.NestedField.required(id, name, type));
            mapping.add(MappedField.of(id, names, nested.isEmpty() ? null : MappedFields.of(nested)));
        }
        return Types.StructType.of(fields);
    }

    /**
     * {@code type} at {@code path} (logical, dotted); {@code physical} names it in Delta's nested-ids
     * map; the mapping of its children goes to {@code mapping}.
     */
    private Type type(
            JsonNode type,
            String path,
            String physical,
            JsonNode nestedIds,
            List<MappedField> mapping,
            List<String> statsKey,
            int ownerId) {
        if (type.isString()) {
            return primitive(type.asString(), path);
        }
        switch (type.path("type").asString()) {
            case "struct":
                return struct(type, path, mapping, statsKey);
            case "array": {
                int elementId = nestedId(nestedIds, physical + ".element", path + ".element", ownerId, Nested.ELEMENT);
                List<MappedField> nested = new ArrayList<>();
                Type element = type(
                        type.path("elementType"),
                        path + ".element",
                        physical + ".element",
                        nestedIds,
                        nested,
                        null,
                        elementId);
                mapping.add(MappedField.of(elementId, "element", nested.isEmpty() ? null : MappedFields.of(nested)));
                return type.path("containsNull").asBoolean(true)
                        ? Types.ListType.ofOptional(elementId, element)
                        : Types.ListType.ofRequired(elementId, element);
            }
            case "map": {
                int keyId = nestedId(nestedIds, physical + ".key", path + ".key", ownerId, Nested.KEY);
                int valueId = nestedId(nestedIds, physical + ".value", path + ".value", ownerId, Nested.VALUE);
                List<MappedField> keys = new ArrayList<>();
                List<MappedField> values = new ArrayList<>();
                Type key = type(type.path("keyType"), path + ".key", physical + ".key", nestedIds, keys, null, keyId);
                Type value = type(
                        type.path("valueType"), path + ".value", physical + ".value", nestedIds, values, null, valueId);
                mapping.add(MappedField.of(keyId, "key", keys.isEmpty() ? null : MappedFields.of(keys)));
                mapping.add(MappedField.of(valueId, "value", values.isEmpty() ? null : MappedFields.of(values)));
                return type.path("valueContainsNull").asBoolean(true)
                        ? Types.MapType.ofOptional(keyId, valueId, key, value)
                        : Types.MapType.ofRequired(keyId, valueId, key, value);
            }
            default:
                throw new IcebergUnsupported("the Delta type " + type + " of column " + path);
        }
    }

    /** Which nested field of a list or map. */
    private enum Nested {
        ELEMENT,
        KEY,
        VALUE
    }

    /**
     * A list element's or map key's or value's id: Delta's ({@value #NESTED_IDS}) where it gave one;
     * else the one the previous schema gave it, found by its owner's id (so a renamed column keeps its
     * element's id) or by its path; else a new one.
     */
    private int nestedId(JsonNode nestedIds, String physicalKey, String path, int ownerId, Nested which) {
        if (columnMapping && nestedIds.has(physicalKey)) {
            return nestedIds.get(physicalKey).asInt();
        }
        Integer existing = previous == null ? null : ofOwner(previous.findType(ownerId), which);
        if (existing == null) {
            existing = previousId(path);
        }
        if (existing != null) {
            return existing;
        }
        // Under column mapping Delta numbers columns on from its maxColumnId: an id invented here
        // below the reserved range would be the id Delta gives the next column added.
        return columnMapping ? nextReserved++ : nextId++;
    }

    private static Integer ofOwner(Type owner, Nested which) {
        if (owner instanceof Types.ListType list && which == Nested.ELEMENT) {
            return list.elementId();
        }
        if (owner instanceof Types.MapType map && which != Nested.ELEMENT) {
            return which == Nested.KEY ? map.keyId() : map.valueId();
        }
        return null;
    }

    /** The previous schema's id for the column at {@code path}, or a new one. */
    private int idOf(String path) {
        Integer existing = previousId(path);
        return existing != null ? existing : nextId++;
    }

    /** Delta's column names are case-insensitive: a column whose name changed only in case is the same column. */
    private Integer previousId(String path) {
        if (previous == null) {
            return null;
        }
        Types.NestedField existing = previous.caseInsensitiveFindField(path);
        return existing == null ? null : existing.fieldId();
    }

    private static Type primitive(String name, String path) {
        switch (name) {
            case "boolean":
                return Types.BooleanType.get();
            case "byte":
            case "short":
            case "integer":
                return Types.IntegerType.get();
            case "long":
                return Types.LongType.get();
            case "float":
                return Types.FloatType.get();
            case "double":
                return Types.DoubleType.get();
            case "string":
                return Types.StringType.get();
            case "binary":
                return Types.BinaryType.get();
            case "date":
                return Types.DateType.get();
            case "timestamp":
                return Types.TimestampType.withZone();
            case "timestamp_ntz":
                return Types.TimestampType.withoutZone();
            default:
                Matcher decimal = DECIMAL.matcher(name);
                if (decimal.matches()) {
                    return Types.DecimalType.of(Integer.parseInt(decimal.group(1)), Integer.parseInt(decimal.group(2)));
                }
                throw new IcebergUnsupported("the Delta type " + name + " of column " + path);
        }
    }
}
