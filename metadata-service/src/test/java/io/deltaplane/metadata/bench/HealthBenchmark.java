package io.deltaplane.metadata.bench;

import io.deltaplane.metadata.health.HealthEvaluator;
import io.deltaplane.metadata.health.PassSql;
import io.deltaplane.testing.MachineCpu;
import io.deltaplane.testing.TestDatabase;
import io.deltaplane.testing.TestHttp;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Data health at scale (a program, not a test). {@code -Dbench.tables=100000} tables in all:
 * {@code -Dbench.learned=2000} of them made through the API, each with {@code -Dbench.weeks=5} weeks
 * of hourly data commits generated in Postgres (the commit rows a writer leaves: one add with
 * statistics each), whose freshness profiles are learned from that history by the service's own
 * learner (timed: the daily relearning's cost per table); the rest generated in Postgres (table,
 * metaData, {@code -Dbench.generated-hours=24} hourly data commits, and the profile an API table
 * learned), one in a hundred of them silent for three hours, so late. Then one full evaluation pass
 * ({@link HealthEvaluator#evaluate}: profiles due relearned, every table judged, incidents brought in
 * line, gauges set), against the reads the pass makes, run bare in the same run ({@link PassSql}:
 * the pass's own page query, {@code HealthRepository.PASS_PAGE}, over every table page by page, every
 * column fetched, nothing judged), so {@code ratio} is the pass's cost over its SQL's; and {@code GET
 * /api/v1/tables/{t}/health} for one of the API tables, p50/p99 over 200 calls, against the table's
 * own {@code GET}. Prints one {@code RESULT} line of measured figures, and one {@code EXTRAPOLATED}
 * line apart: {@code relearn_per_table_ms} (measured on the {@code bench.learned} tables) times
 * 100,000, not measured. A year of hourly commits for 100,000 tables (876 M
 * rows) does not fit this machine; the pass reads no history, and the relearning reads 29 days, so
 * the history's length beyond that changes neither.
 *
 * <p>{@code tools/bench metadata-service io.deltaplane.metadata.bench.HealthBenchmark}
 */
public final class HealthBenchmark {

    private static final String KEY = "bench-admin-key-0123456789";

    /** Hourly data commits for every API-made bench table, the newest half an hour ago. */
    static final String FILL = """
            INSERT INTO commits (table_id, version, committed_at, operation, actions, num_files, size_bytes)
            SELECT t.id, v, now() - interval '30 minutes' - (:hours - v) * interval '1 hour', 'WRITE',
                   jsonb_build_array(jsonb_build_object('add', jsonb_build_object(
                       'path', 'part-' || v || '.parquet', 'partitionValues', '{}'::jsonb, 'size', 1000,
                       'modificationTime', 1700000000000, 'dataChange', true,
                       'stats', '{"numRecords":100}'))),
                   v, v * 1000
            FROM tables t, generate_series(1, :hours) v
            WHERE t.catalog = 'bench' AND t.schema = 's'""";

    /** The generated tables, in a schema of their own, with the first API table's metaData. */
    static final String GENERATE_TABLES = """
            WITH made AS (
              INSERT INTO tables (id, catalog, schema, name, location, current_version, last_committed_at,
                                  partition_columns, created_at, updated_at, managed)
              SELECT gen_random_uuid(), 'bench', 'g', 'g' || i, 'file:/tmp/deltaplane-health-bench/g' || i,
                     :hours, now(), '{}', now() - interval '30 days', now(), false
              FROM generate_series(1, :count) i
              RETURNING id)
            INSERT INTO metadata_versions (table_id, version, action)
            SELECT made.id, 0, m.action FROM made,
                   (SELECT action FROM metadata_versions WHERE table_id = :template ORDER BY version LIMIT 1) m""";

    /** Their hourly data commits; one table in a hundred silent for the last three hours. */
    static final String GENERATE_COMMITS = """
            INSERT INTO commits (table_id, version, committed_at, operation, actions, num_files, size_bytes)
            SELECT t.id, v,
                   now() - interval '30 minutes' - (:hours - v) * interval '1 hour'
                     - CASE WHEN hashtext(t.name) % 100 = 0 THEN interval '3 hours' ELSE interval '0' END,
                   'WRITE',
                   jsonb_build_array(jsonb_build_object('add', jsonb_build_object(
                       'path', 'part-' || v || '.parquet', 'partitionValues', '{}'::jsonb, 'size', 1000,
                       'modificationTime', 1700000000000, 'dataChange', true,
                       'stats', '{"numRecords":100}'))),
                   v, v * 1000
            FROM tables t, generate_series(0, :hours) v
            WHERE t.catalog = 'bench' AND t.schema = 'g'""";

    /** The profile the first API table learned, for every generated table. */
    static final String COPY_PROFILE = """
            INSERT INTO freshness_profiles (table_id, learned_at, learned_through, history_commits,
                                            usual_interval_seconds, allowed_seconds, usual_seconds, weeks)
            SELECT t.id, p.learned_at, p.learned_through, p.history_commits, p.usual_interval_seconds,
                   p.allowed_seconds, p.usual_seconds, p.weeks
            FROM tables t, freshness_profiles p
            WHERE t.catalog = 'bench' AND t.schema = 'g' AND p.table_id = :template""";

    private HealthBenchmark() {}

    public static void main(String[] args) throws Exception {
        int tables = Integer.getInteger("bench.tables", 100_000);
        int learnedTables = Math.min(tables, Integer.getInteger("bench.learned", 2_000));
        int weeks = Integer.getInteger("bench.weeks", 5);
        int generatedHours = Integer.getInteger("bench.generated-hours", 24);
        int hours = weeks * 7 * 24;
        TestDatabase db = TestDatabase.get();
        try (BenchStore store = BenchStore.start("local")) {
            ConfigurableApplicationContext app = store.startMetadataService(
                    db,
                    KEY,
                    List.of(
                            "--deltaplane.health.enabled=false",
                            "--deltaplane.lineage.enabled=false",
                            "--deltaplane.maintenance.auto-enabled=false",
                            "--deltaplane.publish.enabled=false"));
            try {
                int port = app.getEnvironment().getRequiredProperty("local.server.port", Integer.class);
                TestHttp http = TestHttp.local(port, KEY);
                check(http.post("/api/v1/catalogs", "{\"name\":\"bench\"}"), 201);
                check(http.post("/api/v1/schemas", "{\"catalog_name\":\"bench\",\"name\":\"s\"}"), 201);
                check(http.post("/api/v1/schemas", "{\"catalog_name\":\"bench\",\"name\":\"g\"}"), 201);
                long t0 = System.nanoTime();
                for (int i = 0; i < learnedTables; i++) {
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
                        learnedTables,
                        hours,
                        filled,
                        (System.nanoTime() - t0) / 1e9);

                // the daily relearning: every API table's profile from its history, by the service's learner
                HealthEvaluator evaluator = app.getBean(HealthEvaluator.class);
                long l0 = System.nanoTime();
                int relearned = evaluator.relearnDue(Long.MAX_VALUE);
                double relearnMs = (System.nanoTime() - l0) / 1e6 / Math.max(1, relearned);
                // not measured: what the per-table time measured on these tables comes to for 100,000
                double relearn100kExtrapolatedSeconds = relearnMs * 100_000 / 1_000;
                System.out.printf(
                        Locale.ROOT,
                        "relearned %,d profiles from %d weeks of hourly commits: %.2f ms a table (measured);"
                                + " 100,000 tables at that rate: %.0f s (extrapolated from %,d tables, not measured)%n",
                        relearned,
                        weeks,
                        relearnMs,
                        relearn100kExtrapolatedSeconds,
                        relearned);

                UUID template = jdbc.sql(
                                "SELECT id FROM tables WHERE catalog = 'bench' AND schema = 's'" + " AND name = 't0'")
                        .query(UUID.class)
                        .single();
                long g0 = System.nanoTime();
                int generated = tables - learnedTables;
                jdbc.sql(GENERATE_TABLES)
                        .param("hours", generatedHours)
                        .param("count", generated)
                        .param("template", template)
                        .update();
                int generatedCommits = jdbc.sql(GENERATE_COMMITS)
                        .param("hours", generatedHours)
                        .update();
                jdbc.sql(COPY_PROFILE).param("template", template).update();
                jdbc.sql("ANALYZE").update();
                System.out.printf(
                        Locale.ROOT,
                        "generated %,d tables with %,d commits in %.1f s%n",
                        generated,
                        generatedCommits,
                        (System.nanoTime() - g0) / 1e9);

                evaluator.evaluate(); // warm-up: the JIT, Postgres's caches; opens the late tables' incidents
                long p0 = System.nanoTime();
                HealthEvaluator.Pass pass = evaluator.evaluate();
                double passSeconds = (System.nanoTime() - p0) / 1e9;
                PassSql.readEveryPage(jdbc, Instant.now()); // warm-up, as the pass had its own
                long s0 = System.nanoTime();
                int sqlRows = PassSql.readEveryPage(jdbc, Instant.now());
                double sqlSeconds = (System.nanoTime() - s0) / 1e9;
                if (sqlRows != pass.tables()) {
                    throw new IllegalStateException(
                            "the pass judged " + pass.tables() + " tables, its SQL read " + sqlRows);
                }
                long commits = jdbc.sql("SELECT count(*) FROM commits")
                        .query(Long.class)
                        .single();

                // the health endpoint, and the table's own GET as the reference, interleaved
                List<Long> micros = new ArrayList<>();
                List<Long> tableMicros = new ArrayList<>();
                for (int i = 0; i < 220; i++) {
                    String table = "/api/v1/tables/bench.s.t" + (i % learnedTables);
                    long c0 = System.nanoTime();
                    check(http.get(table + "/health"), 200);
                    long c1 = System.nanoTime();
                    check(http.get(table), 200);
                    if (i >= 20) {
                        micros.add((c1 - c0) / 1_000);
                        tableMicros.add((System.nanoTime() - c1) / 1_000);
                    }
                }
                Collections.sort(micros);
                Collections.sort(tableMicros);
                double p50 = micros.get(micros.size() / 2) / 1000.0;
                double p99 = micros.get((int) (micros.size() * 0.99)) / 1000.0;
                double tableP50 = tableMicros.get(tableMicros.size() / 2) / 1000.0;
                double tableP99 = tableMicros.get((int) (tableMicros.size() * 0.99)) / 1000.0;
                System.out.printf(
                        Locale.ROOT,
                        "pass over %,d tables (%,d late): %.2f s (target 10 s: relearning %.2f s, judging %.2f s,"
                                + " causes and incidents %.2f s); the pass's SQL alone (%,d commits stored):"
                                + " %.2f s; health of one table p50 %.1f ms p99 %.1f ms (target 20 ms; the table's GET p50 %.1f ms p99 %.1f ms)%n",
                        pass.tables(),
                        pass.late(),
                        passSeconds,
                        pass.relearning().toNanos() / 1e9,
                        pass.judging().toNanos() / 1e9,
                        pass.reconciling().toNanos() / 1e9,
                        commits,
                        sqlSeconds,
                        p50,
                        p99,
                        tableP50,
                        tableP99);
                System.out.printf(
                        Locale.ROOT,
                        "RESULT tables=%d late=%d commits=%d pass_s=%.2f pass_sql_s=%.2f ratio=%.2f"
                                + " relearn_per_table_ms=%.2f endpoint_p50_ms=%.1f endpoint_p99_ms=%.1f"
                                + " table_get_p50_ms=%.1f table_get_p99_ms=%.1f %s%n",
                        pass.tables(),
                        pass.late(),
                        commits,
                        passSeconds,
                        sqlSeconds,
                        passSeconds / sqlSeconds,
                        relearnMs,
                        p50,
                        p99,
                        tableP50,
                        tableP99,
                        MachineCpu.loadAverage());
                System.out.printf(
                        Locale.ROOT,
                        "EXTRAPOLATED (not measured) relearn_100k_s=%.0f = relearn_per_table_ms %.2f x 100,000"
                                + " (measured on %,d tables)%n",
                        relearn100kExtrapolatedSeconds,
                        relearnMs,
                        relearned);
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
