package io.deltaplane.ingest.delta;

import static java.util.Objects.requireNonNull;

import io.deltaplane.ingest.delta.DeltaColumns.Column;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.duckdb.DuckDBConnection;

/**
 * Writes a checked batch's good rows ({@code ingest_checked WHERE _error IS NULL}) as Parquet with
 * DuckDB's writer: one file per partition value combination, each with its Delta statistics
 * computed by the same SQL (so data skipping in Spark, Kernel and delta-rs works on ingested files).
 *
 * <p>Statistics kept: {@code numRecords}, {@code nullCount} for every column, {@code minValues} /
 * {@code maxValues} for numbers, dates and strings of at most 32 characters. Timestamps get none:
 * Delta stats hold milliseconds, and a truncated maximum would make readers skip rows they need.
 */
public final class ParquetBatchWriter {

    static final String CHECKED = "ingest_checked";
    private static final int MAX_STRING_STAT = 32;
    private static final Set<String> RANGE_TYPES =
            Set.of("byte", "short", "integer", "long", "float", "double", "date", "string");

    private final List<Column> columns;
    private final List<String> partitionBy;
    private final Path stagingDir;

    public ParquetBatchWriter(List<Column> columns, List<String> partitionBy, Path stagingDir) {
        this.columns = List.copyOf(columns);
        this.partitionBy = List.copyOf(partitionBy);
        this.stagingDir = requireNonNull(stagingDir, "stagingDir");
    }

    /** Writes the good rows of the checked batch; no good rows: no files. */
    public List<DataFile> write(DuckDBConnection connection, Instant ingestedAt) throws SQLException, IOException {
        Files.createDirectories(stagingDir);
        String at = "CAST('" + ingestedAt + "' AS TIMESTAMPTZ)";
        List<DataFile> files = new ArrayList<>();
        for (Map<String, String> values : partitionValues(connection, at)) {
            String select = select(at, values);
            Path staged = stagingDir.resolve(UUID.randomUUID() + ".parquet");
            try (Statement s = connection.createStatement()) {
                s.execute("COPY (" + select + ") TO '" + staged + "' (FORMAT parquet, COMPRESSION zstd)");
            }
            Stats stats = stats(connection, select, storedColumns());
            if (stats.rows() == 0) {
                Files.deleteIfExists(staged);
                continue;
            }
            String name =
                    "part-" + String.format("%05d", files.size()) + "-" + UUID.randomUUID() + ".c000.zstd.parquet";
            files.add(new DataFile(
                    staged, directory(values) + name, values, Files.size(staged), stats.rows(), stats.json()));
        }
        return files;
    }

    /** The distinct partition value combinations among the good rows (one empty map if unpartitioned). */
    private List<Map<String, String>> partitionValues(DuckDBConnection connection, String at) throws SQLException {
        if (partitionBy.isEmpty()) {
            return List.of(Map.of());
        }
        StringBuilder sql = new StringBuilder("SELECT DISTINCT ");
        for (int i = 0; i < partitionBy.size(); i++) {
            sql.append(i == 0 ? "" : ", ")
                    .append("CAST(")
                    .append(expression(partitionBy.get(i), at))
                    .append(" AS VARCHAR)");
        }
        sql.append(" FROM ").append(CHECKED).append(" WHERE _error IS NULL");
        List<Map<String, String>> combinations = new ArrayList<>();
        try (Statement s = connection.createStatement();
                ResultSet rs = s.executeQuery(sql.toString())) {
            while (rs.next()) {
                Map<String, String> values = new LinkedHashMap<>();
                for (int i = 0; i < partitionBy.size(); i++) {
                    values.put(partitionBy.get(i), rs.getString(i + 1));
                }
                combinations.add(values);
            }
        }
        return combinations;
    }

    /** The file's rows: every non-partition column, for one partition value combination. */
    private String select(String at, Map<String, String> values) {
        StringBuilder sql = new StringBuilder("SELECT ");
        boolean first = true;
        for (Column c : columns) {
            if (partitionBy.contains(c.name())) {
                continue; // Delta keeps partition values in the log, not in the files.
            }
            sql.append(first ? "" : ", ")
                    .append(c.expression().replace("{ingested_at}", at))
                    .append(" AS ")
                    .append(q(c.name()));
            first = false;
        }
        sql.append(" FROM ").append(CHECKED).append(" WHERE _error IS NULL");
        for (Map.Entry<String, String> v : values.entrySet()) {
            String e = "CAST(" + expression(v.getKey(), at) + " AS VARCHAR)";
            sql.append(" AND ").append(v.getValue() == null ? e + " IS NULL" : e + " = " + literal(v.getValue()));
        }
        return sql.toString();
    }

    private String expression(String column, String at) {
        return columns.stream()
                .filter(c -> c.name().equals(column))
                .findFirst()
                .orElseThrow(() -> new IllegalArgumentException("No column " + column))
                .expression()
                .replace("{ingested_at}", at);
    }

    /** A file's row count and its Delta statistics (JSON). */
    record Stats(long rows, String json) {}

    /** The columns kept in data files: all but the partition columns, whose values live in the log. */
    List<Column> storedColumns() {
        return columns.stream().filter(c -> !partitionBy.contains(c.name())).toList();
    }

    /** Statistics of the rows {@code select} yields, whose columns are named as {@code stored}. */
    static Stats stats(DuckDBConnection connection, String select, List<Column> stored) throws SQLException {
        StringBuilder sql = new StringBuilder("SELECT count(*)");
        for (Column c : stored) {
            String col = q(c.name());
            sql.append(", count(*) - count(").append(col).append(')');
            if (RANGE_TYPES.contains(c.deltaType()) || c.deltaType().startsWith("decimal")) {
                String cast = "date".equals(c.deltaType()) ? " AS VARCHAR)" : null;
                sql.append(", ").append(cast == null ? "min(" + col + ")" : "CAST(min(" + col + ")" + cast);
                sql.append(", ").append(cast == null ? "max(" + col + ")" : "CAST(max(" + col + ")" + cast);
            }
        }
        sql.append(" FROM (").append(select).append(')');
        try (Statement s = connection.createStatement();
                ResultSet rs = s.executeQuery(sql.toString())) {
            rs.next();
            long rows = rs.getLong(1);
            StringBuilder min = new StringBuilder();
            StringBuilder max = new StringBuilder();
            StringBuilder nulls = new StringBuilder();
            int i = 2;
            for (Column c : stored) {
                String key = "\"" + c.name() + "\":";
                append(nulls, key + rs.getLong(i++));
                if (RANGE_TYPES.contains(c.deltaType()) || c.deltaType().startsWith("decimal")) {
                    String lo = statValue(rs.getObject(i++));
                    String hi = statValue(rs.getObject(i++));
                    if (lo != null && hi != null) {
                        append(min, key + lo);
                        append(max, key + hi);
                    }
                }
            }
            String json = "{\"numRecords\":" + rows + ",\"minValues\":{" + min + "},\"maxValues\":{" + max
                    + "},\"nullCount\":{" + nulls + "}}";
            return new Stats(rows, json);
        }
    }

    /** A statistic as JSON, or null when it cannot be exact (NaN, infinities, long strings, no value). */
    static String statValue(Object value) {
        if (value == null) {
            return null;
        }
        if (value instanceof Double d && (d.isNaN() || d.isInfinite())) {
            return null;
        }
        if (value instanceof Float f && (f.isNaN() || f.isInfinite())) {
            return null;
        }
        if (value instanceof BigDecimal b) {
            return b.toPlainString();
        }
        if (value instanceof Number n) {
            return n.toString();
        }
        String text = value.toString();
        if (text.length() > MAX_STRING_STAT) {
            return null;
        }
        return jsonString(text);
    }

    private static void append(StringBuilder out, String entry) {
        out.append(out.isEmpty() ? "" : ",").append(entry);
    }

    static String jsonString(String text) {
        StringBuilder out = new StringBuilder("\"");
        for (char ch : text.toCharArray()) {
            switch (ch) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                default -> {
                    if (ch < 0x20) {
                        out.append(String.format("\\u%04x", (int) ch));
                    } else {
                        out.append(ch);
                    }
                }
            }
        }
        return out.append('"').toString();
    }

    /** {@code col=value/} per partition column, values escaped as Hive and Spark do. */
    static String directory(Map<String, String> values) {
        StringBuilder dir = new StringBuilder();
        for (Map.Entry<String, String> v : values.entrySet()) {
            dir.append(escape(v.getKey()))
                    .append('=')
                    .append(v.getValue() == null ? "__HIVE_DEFAULT_PARTITION__" : escape(v.getValue()))
                    .append('/');
        }
        return dir.toString();
    }

    static String escape(String value) {
        StringBuilder out = new StringBuilder();
        for (byte b : value.getBytes(java.nio.charset.StandardCharsets.UTF_8)) {
            char ch = (char) (b & 0xff);
            if ((ch >= 'a' && ch <= 'z')
                    || (ch >= 'A' && ch <= 'Z')
                    || (ch >= '0' && ch <= '9')
                    || ch == '-'
                    || ch == '_'
                    || ch == '.') {
                out.append(ch);
            } else {
                out.append('%').append(String.format("%02X", b & 0xff));
            }
        }
        return out.toString();
    }

    private static String literal(String value) {
        return "'" + value.replace("'", "''") + "'";
    }

    private static String q(String identifier) {
        return '"' + identifier.replace("\"", "\"\"") + '"';
    }
}
