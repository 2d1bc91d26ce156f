package io.deltaplane.metadata.iceberg;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import tools.jackson.databind.JsonNode;

/**
 * The Delta types of the generated tables ({@link GeneratedTablesTest}): every primitive, decimals of
 * any precision and scale, structs, arrays and maps; and a schema's {@code schemaString}, with the
 * column mapping metadata of a table in {@code name} mode.
 */
final class DeltaTypes {

    private static final Pattern DECIMAL = Pattern.compile("decimal\\(\\s*(\\d+)\\s*,\\s*(\\d+)\\s*\\)");

    private DeltaTypes() {}

    /** A Delta type. */
    sealed interface Type permits Primitive, Struct, Array, MapType {
        /** As in {@code schemaString}: a string for a primitive, an object for the others. */
        default Object json() {
            return json(false);
        }

        /** The same; {@code mapped}: with column mapping metadata on the fields of its structs. */
        Object json(boolean mapped);
    }

    /** The primitive names, as Delta writes them. */
    static final List<String> PRIMITIVES = List.of(
            "long",
            "integer",
            "short",
            "byte",
            "double",
            "float",
            "boolean",
            "string",
            "binary",
            "date",
            "timestamp",
            "timestamp_ntz",
            "decimal");

    /** A primitive; {@code precision} and {@code scale} only for {@code decimal}. */
    record Primitive(String name, int precision, int scale) implements Type {
        static Primitive of(String name) {
            return new Primitive(name, 0, 0);
        }

        static Primitive decimal(int precision, int scale) {
            return new Primitive("decimal", precision, scale);
        }

        boolean isDecimal() {
            return name.equals("decimal");
        }

        @Override
        public Object json(boolean mapped) {
            return isDecimal() ? "decimal(" + precision + "," + scale + ")" : name;
        }

        @Override
        public String toString() {
            return (String) json(false);
        }
    }

    /** A field of a struct (or a top-level column): its column mapping id and physical name (its name without). */
    record Field(String name, Type type, boolean nullable, int id, String physical) {
        Field renamed(String newName) {
            return new Field(newName, type, nullable, id, physical);
        }

        Map<String, Object> json(boolean mapped) {
            Map<String, Object> f = new LinkedHashMap<>();
            f.put("name", name);
            f.put("type", type.json(mapped));
            f.put("nullable", nullable);
            Map<String, Object> metadata = new LinkedHashMap<>();
            if (mapped) {
                metadata.put("delta.columnMapping.id", id);
                metadata.put("delta.columnMapping.physicalName", physical);
            }
            f.put("metadata", metadata);
            return f;
        }

        @Override
        public String toString() {
            return name + (physical.equals(name) ? "" : "(" + physical + ")") + " " + type
                    + (nullable ? "" : " not null");
        }
    }

    record Struct(List<Field> fields) implements Type {
        @Override
        public Object json(boolean mapped) {
            return structJson(fields, mapped);
        }

        @Override
        public String toString() {
            return "struct<"
                    + String.join(",", fields.stream().map(Field::toString).toList()) + ">";
        }
    }

    record Array(Type element, boolean containsNull) implements Type {
        @Override
        public Object json(boolean mapped) {
            Map<String, Object> a = new LinkedHashMap<>();
            a.put("type", "array");
            a.put("elementType", element.json(mapped));
            a.put("containsNull", containsNull);
            return a;
        }

        @Override
        public String toString() {
            return "array<" + element + ">";
        }
    }

    record MapType(Type key, Type value, boolean valueContainsNull) implements Type {
        @Override
        public Object json(boolean mapped) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("type", "map");
            m.put("keyType", key.json(mapped));
            m.put("valueType", value.json(mapped));
            m.put("valueContainsNull", valueContainsNull);
            return m;
        }

        @Override
        public String toString() {
            return "map<" + key + "," + value + ">";
        }
    }

    /** A struct (or a schema) as Delta's JSON; {@code mapped}: with column mapping metadata on its fields. */
    static Map<String, Object> structJson(List<Field> fields, boolean mapped) {
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("type", "struct");
        List<Object> list = new ArrayList<>();
        for (Field f : fields) {
            list.add(f.json(mapped));
        }
        s.put("fields", list);
        return s;
    }

    /** The fields of a Delta schema (or struct) as its JSON has them, column mapping metadata read. */
    static List<Field> parse(JsonNode struct) {
        List<Field> fields = new ArrayList<>();
        for (JsonNode f : struct.get("fields")) {
            JsonNode metadata = f.path("metadata");
            String name = f.get("name").asString();
            fields.add(new Field(
                    name,
                    parseType(f.get("type")),
                    f.path("nullable").asBoolean(true),
                    metadata.path("delta.columnMapping.id").asInt(0),
                    metadata.path("delta.columnMapping.physicalName").asString(name)));
        }
        return fields;
    }

    private static Type parseType(JsonNode type) {
        if (type.isString()) {
            Matcher decimal = DECIMAL.matcher(type.asString());
            return decimal.matches()
                    ? Primitive.decimal(Integer.parseInt(decimal.group(1)), Integer.parseInt(decimal.group(2)))
                    : Primitive.of(type.asString());
        }
        return switch (type.get("type").asString()) {
            case "struct" -> new Struct(parse(type));
            case "array" ->
                new Array(
                        parseType(type.get("elementType")),
                        type.path("containsNull").asBoolean(true));
            case "map" ->
                new MapType(
                        parseType(type.get("keyType")),
                        parseType(type.get("valueType")),
                        type.path("valueContainsNull").asBoolean(true));
            default -> throw new IllegalArgumentException("no type " + type);
        };
    }

    /** Whether a type is (or holds) {@code timestamp_ntz}, which needs its table feature. */
    static boolean hasTimestampNtz(Type type) {
        if (type instanceof Primitive p) {
            return p.name().equals("timestamp_ntz");
        } else if (type instanceof Struct s) {
            return s.fields().stream().anyMatch(f -> hasTimestampNtz(f.type()));
        } else if (type instanceof Array a) {
            return hasTimestampNtz(a.element());
        }
        MapType m = (MapType) type;
        return hasTimestampNtz(m.key()) || hasTimestampNtz(m.value());
    }
}
