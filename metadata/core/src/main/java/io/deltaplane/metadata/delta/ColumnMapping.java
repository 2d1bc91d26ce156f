package io.deltaplane.metadata.delta;

import static io.deltaplane.metadata.MetadataErrors.invalidAction;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Supplier;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * Delta's column mapping ({@code columnMapping}, PROTOCOL.md "Column Mapping"): with {@code
 * delta.columnMapping.mode} {@code name} or {@code id}, every field of the schema, nested ones
 * included, carries a {@code delta.columnMapping.id} and a {@code delta.columnMapping.physicalName},
 * data files and partition values use the physical names, and a column is renamed or dropped by
 * changing only the logical schema. The rules a catalog must keep so readers never misread data:
 *
 * <ul>
 *   <li>every field has an id (a positive integer, unique in the schema) and a physical name
 *       (unique among its siblings); {@code delta.columnMapping.maxColumnId} is at least every id
 *       and never goes down;
 *   <li>a field id keeps its physical name for the table's life (files hold that name);
 *   <li>the mode changes only from {@code none} to {@code name} (existing columns keep their names as
 *       physical names, since their files hold them); {@code name}↔{@code id} and back to {@code
 *       none} are refused (they need the data rewritten);
 *   <li>the protocol has the {@code columnMapping} feature (or is reader 2 / writer 5).
 * </ul>
 *
 * The platform's own creates get ids and physical names assigned ({@link #assign}).
 */
public final class ColumnMapping {

    public static final String FEATURE = "columnMapping";
    public static final String MODE_PROPERTY = "delta.columnMapping.mode";
    public static final String MAX_COLUMN_ID = "delta.columnMapping.maxColumnId";
    static final String ID = "delta.columnMapping.id";
    static final String PHYSICAL_NAME = "delta.columnMapping.physicalName";

    private static final JsonMapper JSON = JsonMapper.builder().build();

    /** {@code delta.columnMapping.mode}. */
    public enum Mode {
        NONE,
        NAME,
        ID
    }

    private ColumnMapping() {}

    /** The mode a metaData's configuration sets ({@code none} when unset); 400 for another value. */
    public static Mode mode(JsonNode configuration) {
        JsonNode value = configuration == null ? null : configuration.get(MODE_PROPERTY);
        return mode(value == null || value.isNull() ? null : value.asString());
    }

    /** The mode a {@code delta.columnMapping.mode} value names ({@code none} when null); 400 for another. */
    public static Mode mode(String value) {
        if (value == null) {
            return Mode.NONE;
        }
        try {
            return Mode.valueOf(value.strip().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw invalidAction(MODE_PROPERTY + " must be none, name or id, got " + value);
        }
    }

    /**
     * Whether the protocol supports the feature, for readers and writers each either by version or
     * by list: reader version 2 implies it (reader features are listed only from version 3 on; Spark
     * writes 2/7 with {@code columnMapping} among the writer features), writer version 5 or 6 implies
     * it, writer version 7 lists it.
     */
    public static boolean inProtocol(JsonNode protocol) {
        if (protocol == null) {
            return false;
        }
        int readerVersion = protocol.path("minReaderVersion").asInt();
        int writerVersion = protocol.path("minWriterVersion").asInt();
        boolean reader = readerVersion == 2 || (readerVersion >= 3 && lists(protocol.path("readerFeatures")));
        boolean writer = writerVersion == 5
                || writerVersion == 6
                || (writerVersion >= 7 && lists(protocol.path("writerFeatures")));
        return reader && writer;
    }

    private static boolean lists(JsonNode features) {
        for (JsonNode f : features) {
            if (FEATURE.equals(f.asString())) {
                return true;
            }
        }
        return false;
    }

    /**
     * Checks a metaData's schema and properties under its mode: every field's id and physical name,
     * and {@code maxColumnId}. Without column mapping, a field must not claim a physical name.
     */
    public static void check(JsonNode metadata) {
        Mode mode = mode(metadata.get("configuration"));
        Map<Long, String> ids = new HashMap<>();
        walk(schema(metadata), "", mode, ids);
        if (mode == Mode.NONE) {
            return;
        }
        long max = maxColumnId(metadata.get("configuration"));
        long highest = ids.keySet().stream().mapToLong(Long::longValue).max().orElse(0);
        if (max < highest) {
            throw invalidAction(MAX_COLUMN_ID + " is " + max + " but a field has id " + highest);
        }
    }

    /**
     * Checks the change from the table's current metaData to a commit's: the mode, {@code
     * maxColumnId} never lower, and each field id keeping its physical name.
     */
    public static void checkChange(JsonNode current, JsonNode next) {
        Mode before = mode(current.get("configuration"));
        Mode after = mode(next.get("configuration"));
        if (before != after && !(before == Mode.NONE && after == Mode.NAME)) {
            throw invalidAction(MODE_PROPERTY + " cannot change from " + name(before) + " to " + name(after)
                    + ": only none to name is possible without rewriting the data");
        }
        if (after == Mode.NONE) {
            return;
        }
        if (before == Mode.NONE) {
            // Upgrade: the files hold the columns under their names, so those are the physical names.
            Map<String, String> physical = physicalByPath(schema(next), "");
            for (String path : physicalByPath(schema(current), "").keySet()) {
                String now = physical.get(path);
                String leaf = path.substring(path.lastIndexOf('.') + 1);
                if (now != null && !now.equals(leaf)) {
                    throw invalidAction("upgrading to column mapping, the existing column " + path
                            + " must keep its name as its physical name (its files hold it), got " + now);
                }
            }
            return;
        }
        long max = maxColumnId(current.get("configuration"));
        if (maxColumnId(next.get("configuration")) < max) {
            throw invalidAction(MAX_COLUMN_ID + " cannot go down from " + max);
        }
        Map<Long, String> was = new HashMap<>();
        walk(schema(current), "", before, was);
        Map<Long, String> is = new HashMap<>();
        walk(schema(next), "", after, is);
        is.forEach((id, physical) -> {
            String previous = was.get(id);
            if (previous != null && !previous.equals(physical)) {
                throw invalidAction("column id " + id + " has the physical name " + previous
                        + " (its files hold it); it cannot become " + physical);
            }
        });
    }

    /**
     * A metaData under column mapping needs the feature in the protocol: the commit's, else the
     * table's current one.
     */
    public static void requireFeature(CommitActions actions, Supplier<JsonNode> currentProtocol) {
        if (actions.metadata() == null || mode(actions.metadata().get("configuration")) == Mode.NONE) {
            return;
        }
        JsonNode protocol = actions.protocol() != null ? actions.protocol().json() : currentProtocol.get();
        if (!inProtocol(protocol)) {
            throw invalidAction(MODE_PROPERTY + " needs the columnMapping reader and writer feature in the"
                    + " protocol (or minReaderVersion 2 and minWriterVersion 5)");
        }
    }

    /** The keys of partitionValues: the partition columns' physical names under column mapping. */
    public static List<String> partitionKeys(JsonNode metadata) {
        List<String> columns = ActionParser.stringList(metadata.get("partitionColumns"), "metaData.partitionColumns");
        if (mode(metadata.get("configuration")) == Mode.NONE) {
            return columns;
        }
        Map<String, String> physical = new HashMap<>();
        for (JsonNode field : schema(metadata).path("fields")) {
            physical.put(
                    field.path("name").asString(),
                    field.path("metadata").path(PHYSICAL_NAME).asString());
        }
        return columns.stream().map(c -> physical.getOrDefault(c, c)).toList();
    }

    /** {@link #partitionKeys} where they are not the partition columns (column mapping), else null. */
    public static String[] distinctPartitionKeys(JsonNode metadata) {
        List<String> keys = partitionKeys(metadata);
        return keys.equals(ActionParser.stringList(metadata.get("partitionColumns"), "metaData.partitionColumns"))
                ? null
                : keys.toArray(String[]::new);
    }

    /**
     * For the platform's own create with column mapping on: every field gets the next id and a
     * physical name {@code col-<uuid>}; the configuration gets {@code maxColumnId}. Returns the new
     * schema string.
     */
    public static String assign(String schemaString, Map<String, String> configuration) {
        ObjectNode schema = (ObjectNode) readSchema(schemaString);
        long[] next = {0};
        assign(schema, next);
        configuration.put(MAX_COLUMN_ID, Long.toString(next[0]));
        return schema.toString();
    }

    private static void assign(JsonNode type, long[] next) {
        if (type == null || !type.isObject()) {
            return;
        }
        switch (type.path("type").asString("")) {
            case "struct" -> {
                for (JsonNode field : type.path("fields")) {
                    ObjectNode metadata = field.get("metadata") instanceof ObjectNode m
                            ? m
                            : ((ObjectNode) field).putObject("metadata");
                    metadata.put(ID, ++next[0]);
                    metadata.put(PHYSICAL_NAME, "col-" + UUID.randomUUID());
                    assign(field.get("type"), next);
                }
            }
            case "array" -> assign(type.get("elementType"), next);
            case "map" -> {
                assign(type.get("keyType"), next);
                assign(type.get("valueType"), next);
            }
            default -> {}
        }
    }

    /** Visits every field, nested ones included, collecting id → physical name. */
    private static void walk(JsonNode type, String path, Mode mode, Map<Long, String> ids) {
        if (type == null || !type.isObject()) {
            return;
        }
        switch (type.path("type").asString("")) {
            case "struct" -> {
                Set<String> siblings = new HashSet<>();
                for (JsonNode field : type.path("fields")) {
                    String at = path.isEmpty()
                            ? field.path("name").asString()
                            : path + "." + field.path("name").asString();
                    JsonNode metadata = field.path("metadata");
                    if (mode == Mode.NONE) {
                        if (metadata.has(PHYSICAL_NAME)) {
                            throw invalidAction(
                                    "column " + at + " has a physical name but " + MODE_PROPERTY + " is none");
                        }
                    } else {
                        JsonNode id = metadata.get(ID);
                        JsonNode physical = metadata.get(PHYSICAL_NAME);
                        if (id == null || !id.isIntegralNumber() || id.asLong() < 1) {
                            throw invalidAction("column " + at + " needs a positive integer " + ID);
                        }
                        if (physical == null
                                || !physical.isString()
                                || physical.asString().isEmpty()) {
                            throw invalidAction("column " + at + " needs a " + PHYSICAL_NAME);
                        }
                        if (ids.putIfAbsent(id.asLong(), physical.asString()) != null) {
                            throw invalidAction("column id " + id.asLong() + " is used twice (again by " + at + ")");
                        }
                        if (!siblings.add(physical.asString())) {
                            throw invalidAction("physical name " + physical.asString() + " is used twice beside " + at);
                        }
                    }
                    walk(field.get("type"), at, mode, ids);
                }
            }
            case "array" -> walk(type.get("elementType"), path, mode, ids);
            case "map" -> {
                walk(type.get("keyType"), path, mode, ids);
                walk(type.get("valueType"), path, mode, ids);
            }
            default -> {}
        }
    }

    /** Each field's path (logical names) → its physical name, or its name where it has none. */
    private static Map<String, String> physicalByPath(JsonNode type, String path) {
        Map<String, String> out = new HashMap<>();
        collect(type, path, out);
        return out;
    }

    private static void collect(JsonNode type, String path, Map<String, String> out) {
        if (type == null || !type.isObject()) {
            return;
        }
        switch (type.path("type").asString("")) {
            case "struct" -> {
                for (JsonNode field : type.path("fields")) {
                    String name = field.path("name").asString();
                    String at = path.isEmpty() ? name : path + "." + name;
                    out.put(at, field.path("metadata").path(PHYSICAL_NAME).asString(name));
                    collect(field.get("type"), at, out);
                }
            }
            case "array" -> collect(type.get("elementType"), path, out);
            case "map" -> {
                collect(type.get("keyType"), path, out);
                collect(type.get("valueType"), path, out);
            }
            default -> {}
        }
    }

    private static long maxColumnId(JsonNode configuration) {
        JsonNode value = configuration == null ? null : configuration.get(MAX_COLUMN_ID);
        if (value == null || !value.asString("").strip().matches("[0-9]{1,18}")) {
            throw invalidAction(MAX_COLUMN_ID + " (a non-negative integer) is required with column mapping");
        }
        return Long.parseLong(value.asString().strip());
    }

    private static JsonNode schema(JsonNode metadata) {
        return readSchema(metadata.path("schemaString").asString());
    }

    private static JsonNode readSchema(String schemaString) {
        try {
            return JSON.readTree(schemaString);
        } catch (JacksonException e) {
            throw invalidAction("schemaString is not JSON");
        }
    }

    private static String name(Mode mode) {
        return mode.name().toLowerCase(Locale.ROOT);
    }
}
