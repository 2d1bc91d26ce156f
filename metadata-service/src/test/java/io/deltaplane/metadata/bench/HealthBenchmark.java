package io.deltaplane.metadata.bench;

import io.deltaplane.metadata.health.HealthEvaluator;
import io.deltaplane.testing.MachineCpu;
import io.deltaplane.testing.TestDatabase;
import io.deltaplane.testing.TestHttp;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Data health at scale (a program, not a test): {@code -Dbench.tables=2000} tables, each with
 * {@code -Dbench.weeks=5} weeks of hourly data commits generated in Postgres (the commit rows a
 * writer leaves: one add with statistics each), then one full evaluation pass ({@link
 * HealthEvaluator#evaluate}: every table's freshness learned and judged, incidents opened, gauges
 * set), against a plain SQL scan of the same commit rows (each table's count and newest time over
 * the history the learning reads) in the same run, and {@code GET /api/v1/tables/{t}/health} for
 * one table, p50/p99 over 200 calls. Prints per-table cost and the pass extrapolated to 100,000
 * tables (target ≤ 10 s) and one {@code RESULT} line.
 *
 * <p>{@code tools/bench metadata-service io.deltaplane.metadata.bench.HealthBenchmark}
 */
public final class HealthBenchmark {

    private static final String KEY = "bench-admin-key-0123456789";

    /** Hourly data commits for every bench table, the newest half an hour ago. */
    static final String FILL = """
            INSERT INTO commits (table_id, version, committed_at, operation, actions, num_files, size_bytes)
            SELECT t.id, v, now() - interval '30 minutes' - (:hours - v) * interval '1 hour', 'WRITE',
                   jsonb_build_array(jsonb_build_object('add', jsonb_build_object(
                       'path', 'part-' || v || '.parquet', 'partitionValues', '{}'::jsonb, 'size', 1000,
                       'modificationTime', 1700000000000, 'dataChange', true,
                       'stats', '{"numRecords":100}'))),
                   v, v * 1000
            FROM tables t, generate_series(1, :hours) v
            WHERE t.catalog = 'bench'""";

    /** The denominator: the same commit rows, each table's count and newest time, one scan. */
    static final String SCAN = """
            SELECT count(*) FROM (SELECT table_id, count(*), max(committed_at) FROM commits
                                  WHERE committed_at >= now() - interval '29 days' GROUP BY table_id) per_table""";

    private HealthBenchmark() {}

    public static void main(String[] args) throws Exception {
        int tables = Integer.getInteger("bench.tables", 2_000);
        int weeks = Integer.getInteger("bench.weeks", 5);
        int hours = weeks * 7 * 24;
        TestDatabase db = TestDatabase.get();
        try (BenchStore store = BenchStore.start("local")) {
            ConfigurableApplicationContext app = store.startMetadataService(
                    db, KEY, List.of("--deltaplane.health.enabled=false", "--deltaplane.lineage.enabled=false"));
            try {
                int port = app.getEnvironment().getRequiredProperty("local.server.port", Integer.class);
                TestHttp http = TestHttp.local(port, KEY);
                check(http.post("/api/v1/catalogs", "{\"name\":\"bench\"}"), 201);
                check(http.post("/api/v1/schemas", "{\"catalog_name\":\"bench\",\"name\":\"s\"}"), 201);
                long t0 = System.nanoTime();
                for (int i = 0; i < tables; i++) {
                    check(
                            http.post(
                                    "/api/v1/tables",
                                    "{\"catalog_name\":\"bench\",\"schema_name\":\"s\",\"name\":\"t" + i
                                            + "\",\"schema\":{\"type\":\"struct\",\"fields\":[{\"name\":\"id\","
                                            + "\"type\":\"long\",\"nullable\":false,\"metadata\":{}}]}}"),
                            201);
                }
                JdbcClient jdbc = app.getBean(JdbcClient.class);
                int filled = jdbc.sql(FILL).param("hours", hours).update();
                jdbc.sql("ANALYZE commits").update();
                System.out.printf(
                        Locale.ROOT,
                        "made %,d tables with %,d hourly commits each (%,d rows) in %.1f s%n",
                        tables,
                        hours,
                        filled,
                        (System.nanoTime() - t0) / 1e9);

                HealthEvaluator evaluator = app.getBean(HealthEvaluator.class);
                evaluator.evaluate(); // warm-up: the JIT, Postgres's caches
                long p0 = System.nanoTime();
                HealthEvaluator.Pass pass = evaluator.evaluate();
                double passSeconds = (System.nanoTime() - p0) / 1e9;
                long s0 = System.nanoTime();
                jdbc.sql(SCAN).query(Long.class).single();
                double scanSeconds = (System.nanoTime() - s0) / 1e9;

                List<Long> micros = new ArrayList<>();
                for (int i = 0; i < 220; i++) {
                    long c0 = System.nanoTime();
                    check(http.get("/api/v1/tables/bench.s.t" + (i % tables) + "/health"), 200);
                    if (i >= 20) {
                        micros.add((System.nanoTime() - c0) / 1_000);
                    }
                }
                Collections.sort(micros);
                double p50 = micros.get(micros.size() / 2) / 1000.0;
                double p99 = micros.get((int) (micros.size() * 0.99)) / 1000.0;
                double perTableMs = passSeconds * 1000 / pass.tables();
                System.out.printf(
                        Locale.ROOT,
                        "pass over %,d tables: %.2f s (%.2f ms a table; %,d late), 100,000 tables at that rate: %.0f s"
                                + " (target 10 s); the SQL scan of the same commits: %.2f s; health of one table"
                                + " p50 %.1f ms p99 %.1f ms (target 20 ms)%n",
                        pass.tables(),
                        passSeconds,
                        perTableMs,
                        pass.late(),
                        perTableMs * 100,
                        scanSeconds,
                        p50,
                        p99);
                System.out.printf(
                        Locale.ROOT,
                        "RESULT tables=%d weeks=%d commits=%d pass_s=%.2f per_table_ms=%.2f extrapolated_100k_s=%.0f"
                                + " scan_s=%.2f ratio=%.1f endpoint_p50_ms=%.1f endpoint_p99_ms=%.1f %s%n",
                        pass.tables(),
                        weeks,
                        filled,
                        passSeconds,
                        perTableMs,
                        perTableMs * 100,
                        scanSeconds,
                        passSeconds / scanSeconds,
                        p50,
                        p99,
                        MachineCpu.loadAverage());
            } finally {
                app.close();
            }
        }
    }

    private static void check(HttpResponse<String> response, int status) {
        if (response.statusCode() != status) {
            throw new IllegalStateException("HTTP " + response.statusCode() + ": " + response.body());
        }
    }
}
