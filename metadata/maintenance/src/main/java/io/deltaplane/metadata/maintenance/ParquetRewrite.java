package io.deltaplane.metadata.maintenance;

import static io.deltaplane.metadata.maintenance.DuckDbTypes.identifier;
import static io.deltaplane.metadata.maintenance.DuckDbTypes.literal;

import io.delta.kernel.types.StructField;
import io.delta.kernel.types.StructType;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.StringJoiner;
import java.util.stream.Stream;

/**
 * One DuckDB {@code COPY}: local Parquet files in, Parquet files of about the target size out, every
 * column in the Delta type the table's schema gives it ({@link DuckDbTypes}). A column some files
 * lack (added to the schema after they were written) reads as null, as Delta readers take it; one no
 * file has is written as nulls. DuckDB runs in memory, in this process, with the threads and memory
 * the operator allowed, spilling to the work directory, never loading an extension from the network.
 *
 * @param threads DuckDB's worker threads for one rewrite
 * @param memoryLimit DuckDB's memory limit for one rewrite, as DuckDB reads it ({@code "512MB"})
 */
record ParquetRewrite(int threads, String memoryLimit) {

    /** Delta's name for data files, with DuckDB's {@code {uuid}}: {@code part-00000-<uuid>-c000.snappy.parquet}. */
    static final String FILE_NAME_PATTERN = "part-00000-{uuid}-c000.snappy";

    static ParquetRewrite of(MaintenanceProperties properties) {
        return new ParquetRewrite(
                properties.rewriteThreads(), properties.rewriteMemory().toMegabytes() + "MB");
    }

    /**
     * Rewrites {@code inputs} (the table's data columns, {@code dataSchema}) into new files under
     * {@code output} (made here), each closed once past {@code targetFileSize}.
     *
     * @return the files written, none for inputs without rows
     */
    List<Path> run(List<Path> inputs, StructType dataSchema, Path output, long targetFileSize)
            throws SQLException, IOException {
        Files.createDirectories(output);
        try (Connection duckdb = DriverManager.getConnection("jdbc:duckdb:");
                Statement sql = duckdb.createStatement()) {
            sql.execute("SET autoinstall_known_extensions = false");
            sql.execute("SET autoload_known_extensions = false");
            sql.execute("SET threads = " + threads);
            sql.execute("SET memory_limit = " + literal(memoryLimit));
            sql.execute("SET temp_directory = "
                    + literal(output.resolveSibling("spill").toString()));
            // timestamps without a zone in old files (Parquet INT96) are UTC, as Delta writes them
            sql.execute("SET TimeZone = 'UTC'");
            String files = files(inputs);
            Set<String> present = columns(sql, files);
            StringJoiner select = new StringJoiner(", ");
            for (StructField field : dataSchema.fields()) {
                String name = identifier(field.getName());
                String type = DuckDbTypes.of(field.getDataType());
                boolean inFiles = present.contains(field.getName().toLowerCase(Locale.ROOT));
                select.add("CAST(" + (inFiles ? name : "NULL") + " AS " + type + ") AS " + name);
            }
            sql.execute("COPY (SELECT " + select + " FROM " + files + ") TO " + literal(output.toString())
                    + " (FORMAT parquet, COMPRESSION snappy, FILE_SIZE_BYTES " + targetFileSize
                    + ", FILENAME_PATTERN " + literal(FILE_NAME_PATTERN) + ")");
        }
        try (Stream<Path> written = Files.list(output)) {
            return written.filter(p -> p.getFileName().toString().endsWith(".parquet"))
                    .sorted()
                    .toList();
        }
    }

    /** {@code read_parquet} of the files, their columns united by name. */
    private static String files(List<Path> inputs) {
        StringJoiner list = new StringJoiner(", ", "read_parquet([", "], union_by_name = true)");
        for (Path input : inputs) {
            list.add(literal(input.toString()));
        }
        return list.toString();
    }

    /** The columns any of the files has, lower-cased (Delta's column names are case-insensitive). */
    private static Set<String> columns(Statement sql, String files) throws SQLException {
        Set<String> names = new HashSet<>();
        try (ResultSet rows = sql.executeQuery("DESCRIBE SELECT * FROM " + files)) {
            while (rows.next()) {
                names.add(rows.getString("column_name").toLowerCase(Locale.ROOT));
            }
        }
        return names;
    }
}
