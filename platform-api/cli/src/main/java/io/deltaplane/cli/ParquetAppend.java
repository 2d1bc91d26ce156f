package io.deltaplane.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Writes rows (a JSON-lines, CSV or Parquet file) as Parquet data files with DuckDB, cast to the
 * table's Delta schema and split by its partition columns Hive-style, in a local staging folder;
 * hands each file to an {@link Upload} (the platform puts it into the table's location, on any
 * storage: the CLI holds no storage credentials) and returns the Delta {@code add} actions (with
 * {@code numRecords}, min/max and null-count stats) to commit.
 */
final class ParquetAppend {

    private static final Pattern DECIMAL = Pattern.compile("decimal\\(\\s*(\\d+)\\s*,\\s*(\\d+)\\s*\\)");

    private final ObjectMapper json;

    ParquetAppend(ObjectMapper json) {
        this.json = json;
    }

    /**
     * A column of the table: its name in the data files (the physical name under column mapping,
     * which statistics and partition values are keyed by too), its name in the rows to append (the
     * logical one), its Delta type, and its {@code delta.columnMapping.id} under column mapping
     * (null otherwise), which its Parquet field id is.
     */
    record Column(String name, String logicalName, String deltaType, boolean nullable, Integer fieldId) {}

    /** Puts a written file into the table at its relative path. */
    @FunctionalInterface
    interface Upload {
        void put(String relativePath, Path file) throws IOException;
    }

    List<ObjectNode> write(List<Column> columns, List<String> logicalPartitionColumns, Path rows, Upload upload)
            throws IOException, SQLException {
        List<String> partitionColumns = logicalPartitionColumns.stream()
                .map(logical -> columns.stream()
                        .filter(c -> c.logicalName().equals(logical))
                        .findFirst()
                        .map(Column::name)
                        .orElse(logical))
                .toList();
        String batch = UUID.randomUUID().toString();
        Path root = Files.createTempDirectory("deltaplane-append-");
        Path staging = root.resolve("staging");
        try (Connection duck = DriverManager.getConnection("jdbc:duckdb:");
                Statement sql = duck.createStatement()) {
            sql.execute("CREATE TEMP TABLE source AS SELECT * FROM " + reader(rows));
            List<String> sourceColumns = new ArrayList<>();
            try (ResultSet rs = sql.executeQuery("SELECT column_name FROM (DESCRIBE source)")) {
                while (rs.next()) {
                    sourceColumns.add(rs.getString(1));
                }
            }
            List<String> select = new ArrayList<>();
            for (Column column : columns) {
                String value = sourceColumns.contains(column.logicalName()) ? quote(column.logicalName()) : "NULL";
                select.add("CAST(" + value + " AS " + duckType(column.deltaType()) + ") AS " + quote(column.name()));
            }
            String copy = "COPY (SELECT " + String.join(", ", select) + " FROM source) TO '"
                    + staging.toString().replace("'", "''") + "' (FORMAT parquet, FILENAME_PATTERN 'part-"
                    + batch + "-{i}'"
                    + (partitionColumns.isEmpty()
                            ? ", PER_THREAD_OUTPUT true"
                            : ", PARTITION_BY ("
                                    + String.join(
                                            ", ",
                                            partitionColumns.stream()
                                                    .map(ParquetAppend::quote)
                                                    .toList()) + ")")
                    + fieldIds(columns, partitionColumns)
                    + ")";
            sql.execute(copy);
            List<ObjectNode> adds = new ArrayList<>();
            for (Path file : parquetFiles(staging)) {
                ObjectNode add = add(sql, staging, file, columns, partitionColumns);
                upload.put(add.path("add").path("path").asText(), file);
                adds.add(add);
            }
            return adds;
        } finally {
            deleteTree(root);
        }
    }

    private ObjectNode add(Statement sql, Path root, Path file, List<Column> columns, List<String> partitionColumns)
            throws SQLException, IOException {
        String relative = root.relativize(file).toString().replace('\\', '/');
        Map<String, String> partitionValues = new LinkedHashMap<>();
        for (String segment : relative.split("/")) {
            int eq = segment.indexOf('=');
            if (eq > 0 && partitionColumns.contains(segment.substring(0, eq))) {
                String value = URLDecoder.decode(segment.substring(eq + 1), StandardCharsets.UTF_8);
                // DuckDB names a null partition __HIVE_DEFAULT_PARTITION__ (older releases NULL)
                boolean isNull = "__HIVE_DEFAULT_PARTITION__".equals(value) || "NULL".equals(value);
                partitionValues.put(segment.substring(0, eq), isNull ? null : value);
            }
        }
        ObjectNode stats = json.createObjectNode();
        ObjectNode min = json.createObjectNode();
        ObjectNode max = json.createObjectNode();
        ObjectNode nulls = json.createObjectNode();
        List<String> aggregates = new ArrayList<>(List.of("count(*)"));
        List<Column> dataColumns = columns.stream()
                .filter(c -> !partitionColumns.contains(c.name()))
                .toList();
        for (Column c : dataColumns) {
            aggregates.add("count(*) - count(" + quote(c.name()) + ")");
            aggregates.add(comparable(c) ? "CAST(min(" + quote(c.name()) + ") AS VARCHAR)" : "NULL");
            aggregates.add(comparable(c) ? "CAST(max(" + quote(c.name()) + ") AS VARCHAR)" : "NULL");
        }
        try (ResultSet rs = sql.executeQuery("SELECT " + String.join(", ", aggregates) + " FROM read_parquet('"
                + file.toString().replace("'", "''") + "')")) {
            rs.next();
            stats.put("numRecords", rs.getLong(1));
            for (int i = 0; i < dataColumns.size(); i++) {
                Column c = dataColumns.get(i);
                nulls.put(c.name(), rs.getLong(2 + 3 * i));
                statValue(min, c, rs.getString(3 + 3 * i));
                statValue(max, c, rs.getString(4 + 3 * i));
            }
        }
        stats.set("minValues", min);
        stats.set("maxValues", max);
        stats.set("nullCount", nulls);
        ObjectNode add = json.createObjectNode();
        add.put(
                "path",
                deltaPath(partitionColumns, partitionValues, file.getFileName().toString()));
        // built by hand: a null value is the key with null (the CLI's mapper leaves nulls out)
        ObjectNode values = add.putObject("partitionValues");
        partitionValues.forEach((column, value) -> {
            if (value == null) {
                values.putNull(column);
            } else {
                values.put(column, value);
            }
        });
        add.put("size", Files.size(file));
        add.put("modificationTime", System.currentTimeMillis());
        add.put("dataChange", true);
        add.put("stats", json.writeValueAsString(stats));
        ObjectNode action = json.createObjectNode();
        action.set("add", add);
        return action;
    }

    private static final java.util.regex.Pattern PLAIN =
            java.util.regex.Pattern.compile("[\\p{L}\\p{N}][\\p{L}\\p{N}._ -]*");

    /**
     * The file's path in the table, as an add names it (a URI, RFC 2396, which readers decode):
     * Hive-style {@code column=value} directories where the value is plain (letters, digits, dot,
     * underscore, space, hyphen); any other value (a {@code %}, {@code /}, {@code =}, {@code +}, …) is
     * named by a digest of it ({@code column=h<16 hex>}), so no upload path needs an escaped {@code %}
     * or {@code /}, which the platform refuses as non-canonical. Readers take partition values from
     * {@code partitionValues}, never from the path.
     */
    static String deltaPath(List<String> partitionColumns, Map<String, String> values, String fileName) {
        List<String> segments = new ArrayList<>();
        for (String column : partitionColumns) {
            if (!values.containsKey(column)) {
                continue;
            }
            String value = values.get(column);
            String shown = value == null
                    ? "__HIVE_DEFAULT_PARTITION__"
                    : PLAIN.matcher(value).matches() ? value : "h" + digest(value);
            segments.add(uriSegment(column + "=" + shown));
        }
        segments.add(uriSegment(fileName));
        return String.join("/", segments);
    }

    private static String uriSegment(String segment) {
        return java.net.URLEncoder.encode(segment, StandardCharsets.UTF_8)
                .replace("+", "%20")
                .replace("%3D", "=");
    }

    private static String digest(String value) {
        try {
            byte[] hash =
                    java.security.MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8));
            return java.util.HexFormat.of().formatHex(hash, 0, 8);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Under column mapping, each data column's Parquet field id is its {@code
     * delta.columnMapping.id}: mode {@code id} reads columns by it, and Iceberg readers (the
     * Iceberg door's field ids are Delta's) find every column by id, whether or not they apply the
     * table's name mapping.
     */
    private static String fieldIds(List<Column> columns, List<String> partitionColumns) {
        List<String> ids = columns.stream()
                .filter(c -> c.fieldId() != null && !partitionColumns.contains(c.name()))
                .map(c -> quote(c.name()) + ": " + c.fieldId())
                .toList();
        return ids.isEmpty() ? "" : ", FIELD_IDS {" + String.join(", ", ids) + "}";
    }

    private static boolean comparable(Column c) {
        return !c.deltaType().equals("binary")
                && !c.deltaType().equals("boolean")
                && !c.deltaType().startsWith("{");
    }

    private static void statValue(ObjectNode into, Column c, String value) {
        if (value == null) {
            return;
        }
        switch (c.deltaType()) {
            case "long", "integer", "short", "byte" -> into.put(c.name(), Long.parseLong(value));
            case "double", "float" -> {
                // DuckDB says inf, -inf and nan; JSON has no number for them: no bound rather than a wrong one
                double number = parseDouble(value);
                if (Double.isFinite(number)) {
                    into.put(c.name(), number);
                }
            }
            default -> into.put(c.name(), value);
        }
    }

    private static double parseDouble(String value) {
        return switch (value.toLowerCase(Locale.ROOT)) {
            case "inf", "+inf", "infinity" -> Double.POSITIVE_INFINITY;
            case "-inf", "-infinity" -> Double.NEGATIVE_INFINITY;
            case "nan", "-nan" -> Double.NaN;
            default -> Double.parseDouble(value);
        };
    }

    /** The Delta primitive type as DuckDB's (the Parquet physical types Delta readers expect). */
    static String duckType(String deltaType) {
        String type = deltaType.toLowerCase(Locale.ROOT);
        var decimal = DECIMAL.matcher(type);
        if (decimal.matches()) {
            return "DECIMAL(" + decimal.group(1) + "," + decimal.group(2) + ")";
        }
        return switch (type) {
            case "long" -> "BIGINT";
            case "integer" -> "INTEGER";
            case "short" -> "SMALLINT";
            case "byte" -> "TINYINT";
            case "double" -> "DOUBLE";
            case "float" -> "FLOAT";
            case "string" -> "VARCHAR";
            case "boolean" -> "BOOLEAN";
            case "date" -> "DATE";
            case "timestamp" -> "TIMESTAMPTZ";
            case "timestamp_ntz" -> "TIMESTAMP";
            case "binary" -> "BLOB";
            default ->
                throw new IllegalArgumentException(
                        "tables append writes primitive columns only; '" + deltaType + "' is not one");
        };
    }

    private static String reader(Path rows) {
        String file = "'" + rows.toAbsolutePath().toString().replace("'", "''") + "'";
        String name = rows.getFileName().toString().toLowerCase(Locale.ROOT);
        if (name.endsWith(".csv")) {
            return "read_csv_auto(" + file + ", header = true)";
        }
        if (name.endsWith(".parquet")) {
            return "read_parquet(" + file + ")";
        }
        if (name.endsWith(".json") || name.endsWith(".jsonl") || name.endsWith(".ndjson")) {
            return "read_json_auto(" + file + ")";
        }
        throw new IllegalArgumentException("rows come as .jsonl/.ndjson/.json, .csv or .parquet, not " + rows);
    }

    private static String quote(String identifier) {
        return '"' + identifier.replace("\"", "\"\"") + '"';
    }

    private static List<Path> parquetFiles(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(p -> p.toString().endsWith(".parquet")).sorted().toList();
        }
    }

    private static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path path : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        }
    }

    /** The table's top-level columns, under their physical names where the table maps columns. */
    static List<Column> columns(JsonNode schema) {
        List<Column> columns = new ArrayList<>();
        for (JsonNode field : schema.path("fields")) {
            JsonNode type = field.path("type");
            String logical = field.path("name").asText();
            columns.add(new Column(
                    field.path("metadata")
                            .path("delta.columnMapping.physicalName")
                            .asText(logical),
                    logical,
                    type.isTextual() ? type.asText() : type.toString(),
                    field.path("nullable").asBoolean(true),
                    field.path("metadata").path("delta.columnMapping.id").isIntegralNumber()
                            ? field.path("metadata")
                                    .path("delta.columnMapping.id")
                                    .asInt()
                            : null));
        }
        return columns;
    }

    static ArrayNode array(ObjectMapper json, List<ObjectNode> nodes) {
        ArrayNode array = json.createArrayNode();
        nodes.forEach(array::add);
        return array;
    }
}
