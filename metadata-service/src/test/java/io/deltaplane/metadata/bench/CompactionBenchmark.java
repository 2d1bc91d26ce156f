package io.deltaplane.metadata.bench;

import io.deltaplane.metadata.maintenance.OptimizeRequest;
import io.deltaplane.metadata.maintenance.OptimizeResult;
import io.deltaplane.metadata.maintenance.Optimizer;
import io.deltaplane.storage.StoragePaths;
import io.deltaplane.testing.TestDatabase;
import io.deltaplane.testing.TestHttp;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.springframework.context.ConfigurableApplicationContext;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * OPTIMIZE of many small Parquet files (a program, not a test), against DuckDB's own {@code COPY
 * (SELECT * FROM read_parquet(…)) TO …} of the same files on the same disk in the same run, and
 * DuckDB's scan of the table's live files before and after. {@code bench.files} files (2,000; the
 * issue's full size is 20,000) of {@code bench.rows} rows (10,000: id, amount, note, about 100 KB
 * each) are written with DuckDB into a table's location and committed; the platform's OPTIMIZE
 * (the metadata-service in this JVM: DuckDB in the service rewriting, Kernel reading the new files'
 * statistics) compacts them to {@code
 * bench.target.mb} (128) MB files; then DuckDB rewrites the same small files to files of that
 * size. Prints {@code RESULT optimize_mb_per_s=… duckdb_copy_mb_per_s=… ratio=… scan_speedup=…}.
 *
 * <pre>tools/bench metadata-service io.deltaplane.metadata.bench.CompactionBenchmark</pre>
 */
public final class CompactionBenchmark {

    private static final String KEY = "bench-admin-key-0123456789";
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private CompactionBenchmark() {}

    public static void main(String[] args) throws Exception {
        int files = Integer.getInteger("bench.files", 2_000);
        int rows = Integer.getInteger("bench.rows", 10_000);
        long target = Long.getLong("bench.target.mb", 128) * 1024 * 1024;
        try (BenchStore store = BenchStore.start("local")) {
            ConfigurableApplicationContext app = store.startMetadataService(
                    TestDatabase.get(), KEY, List.of("--deltaplane.maintenance.auto-enabled=false"));
            try {
                run(app, files, rows, target);
            } finally {
                app.close();
            }
        }
    }

    private static void run(ConfigurableApplicationContext app, int files, int rows, long target) throws Exception {
        int port = app.getEnvironment().getRequiredProperty("local.server.port", Integer.class);
        TestHttp http = TestHttp.local(port, KEY);
        check(http.post("/api/v1/catalogs", "{\"name\":\"bench\"}"), 201);
        check(http.post("/api/v1/schemas", "{\"catalog_name\":\"bench\",\"name\":\"s\"}"), 201);
        check(
                http.post(
                        "/api/v1/tables",
                        "{\"catalog_name\":\"bench\",\"schema_name\":\"s\",\"name\":\"small\",\"schema\":"
                                + "{\"type\":\"struct\",\"fields\":[{\"name\":\"id\",\"type\":\"long\",\"nullable\":false,"
                                + "\"metadata\":{}},{\"name\":\"amount\",\"type\":\"double\",\"nullable\":true,"
                                + "\"metadata\":{}},{\"name\":\"note\",\"type\":\"string\",\"nullable\":true,"
                                + "\"metadata\":{}}]}}"),
                201);
        Path table = StoragePaths.toPath(
                JSON.readTree(http.get("/api/v1/tables/bench.s.small").body())
                        .get("location")
                        .asString());
        Files.createDirectories(table);

        long bytes = 0;
        try (Connection duck = DriverManager.getConnection("jdbc:duckdb:");
                Statement sql = duck.createStatement()) {
            List<String> adds = new ArrayList<>();
            long version = 0;
            for (int f = 0; f < files; f++) {
                Path file = table.resolve("part-" + f + ".parquet");
                sql.execute("COPY (SELECT " + (long) f * rows + " + i AS id, (i * 7919 % 100000) / 100.0 AS amount,"
                        + " 'note ' || (i % 997) AS note FROM range(" + rows + ") t(i)) TO '" + file
                        + "' (FORMAT parquet)");
                bytes += Files.size(file);
                adds.add("{\"add\":{\"path\":\"" + file.getFileName() + "\",\"partitionValues\":{},\"size\":"
                        + Files.size(file) + ",\"modificationTime\":1767225600000,\"dataChange\":true}}");
                if (adds.size() == 1000 || f == files - 1) {
                    check(
                            http.post(
                                    "/api/v1/tables/bench.s.small/commits",
                                    "{\"expected_version\":" + version + ",\"actions\":[" + String.join(",", adds)
                                            + "]}"),
                            201);
                    version++;
                    adds.clear();
                }
            }
            double mb = bytes / 1e6;
            System.out.printf("%d files, %.1f MB, %d rows each%n", files, mb, rows);

            double scanBefore = scan(sql, table, livePaths(http));
            Optimizer optimizer = app.getBean(Optimizer.class);
            long t0 = System.nanoTime();
            OptimizeResult result = optimizer.optimize("bench.s.small", new OptimizeRequest(null, target));
            double optimizeSeconds = (System.nanoTime() - t0) / 1e9;
            System.out.printf(
                    "OPTIMIZE: %d files into %d (%.1f MB) in %.2f s, version %d%n",
                    result.filesRemoved(),
                    result.filesAdded(),
                    result.bytesAdded() / 1e6,
                    optimizeSeconds,
                    result.version());
            double scanAfter = scan(sql, table, livePaths(http));

            Path reference = Files.createTempDirectory("duckdb-copy-");
            t0 = System.nanoTime();
            sql.execute("COPY (SELECT * FROM read_parquet('" + table + "/part-*.parquet')) TO '" + reference
                    + "' (FORMAT parquet, FILE_SIZE_BYTES " + target + ")");
            double copySeconds = (System.nanoTime() - t0) / 1e9;
            try (Stream<Path> out = Files.walk(reference)) {
                System.out.printf(
                        "DuckDB COPY: %d files in %.2f s%n",
                        out.filter(Files::isRegularFile).count(), copySeconds);
            }
            System.out.printf("DuckDB scan of the live files: before %.3f s, after %.3f s%n", scanBefore, scanAfter);
            System.out.printf(
                    "RESULT files=%d optimize_mb_per_s=%.1f duckdb_copy_mb_per_s=%.1f ratio=%.2f scan_speedup=%.2f %s%n",
                    files,
                    mb / optimizeSeconds,
                    mb / copySeconds,
                    copySeconds / optimizeSeconds,
                    scanBefore / scanAfter,
                    io.deltaplane.testing.MachineCpu.loadAverage());
        }
    }

    /** DuckDB's full scan of the given files, best of three. */
    private static double scan(Statement sql, Path table, List<String> paths) throws Exception {
        StringBuilder list = new StringBuilder("[");
        for (String p : paths) {
            list.append(list.length() == 1 ? "" : ",")
                    .append('\'')
                    .append(table.resolve(p))
                    .append('\'');
        }
        list.append(']');
        double best = Double.MAX_VALUE;
        for (int i = 0; i < 3; i++) {
            long t0 = System.nanoTime();
            try (ResultSet rs = sql.executeQuery(
                    "SELECT count(*), sum(amount), count(DISTINCT note) FROM read_parquet(" + list + ")")) {
                rs.next();
            }
            best = Math.min(best, (System.nanoTime() - t0) / 1e9);
        }
        return best;
    }

    private static List<String> livePaths(TestHttp http) {
        List<String> paths = new ArrayList<>();
        String token = null;
        do {
            JsonNode page = JSON.readTree(http.get("/api/v1/tables/bench.s.small/snapshot/files?max_results=1000"
                            + (token == null ? "" : "&page_token=" + token))
                    .body());
            page.get("files").forEach(f -> paths.add(f.get("path").asString()));
            JsonNode next = page.get("next_page_token");
            token = next == null || next.isNull() ? null : next.asString();
        } while (token != null);
        return paths;
    }

    private static void check(HttpResponse<String> response, int status) {
        if (response.statusCode() != status) {
            throw new IllegalStateException(response.statusCode() + " " + response.body());
        }
    }
}
