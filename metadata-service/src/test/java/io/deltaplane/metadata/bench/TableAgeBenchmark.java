package io.deltaplane.metadata.bench;

import io.deltaplane.metadata.MetadataServiceApplication;
import io.deltaplane.metadata.bench.MetadataBenchmark.Http;
import io.deltaplane.metadata.bench.MetadataBenchmark.SqlStatements;
import io.deltaplane.testing.ServiceProcess;
import io.deltaplane.testing.TestDatabase;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

/**
 * What a commit costs as its table ages (a program, not a test; issue 70's table-age phase). The
 * metadata-service in its own JVM as {@code ./platform up} runs it (publishing and checkpoints on,
 * lineage off), over a fresh database; {@code -Dbench.age.tables} clients (4), each committing 10
 * {@code add}s per commit to a table of its own through {@code /api/v1}. After a warm-up on other
 * tables (JIT settled), the tables are grown by committing — not by a fixture load — to each age of
 * {@code -Dbench.ages} (100, 1,000, 10,000 versions: 1,000, 10,000 and 100,000 live files), and at
 * each age a window of {@code -Dbench.age.window} commits per table (200) is measured: one line
 * {@code RESULT age=… door=api cpu_ms_per_commit=… sql_statements_per_commit=… alloc_mb_per_commit=…
 * checkpoint_ms_per_commit=…} per age — platform CPU (the service JVM, every thread, and its Postgres
 * backends, from {@code /proc}), every statement the service ran ({@code deltaplane.sql.statements},
 * publishing, checkpoints and every other background part included, printed by part; the request's
 * own, {@code deltaplane.commit.sql.statements}, beside it), bytes the service allocated
 * ({@code jvm.gc.memory.allocated}) and the checkpointer thread's CPU, each per commit — then
 * {@code RESULT growth_ratio=…} (the oldest age's CPU per commit over the youngest's).
 *
 * <pre>
 * tools/bench metadata-service io.deltaplane.metadata.bench.TableAgeBenchmark
 * </pre>
 */
public final class TableAgeBenchmark {

    /** Bytes the service JVM allocated so far (group 1 empty: one key; group 2 the value). */
    private static final String ALLOCATED = "(?m)^jvm_gc_memory_allocated_bytes_total(?:\\{[^}]*\\})?() ([0-9.eE+-]+)$";

    public static void main(String[] args) throws Exception {
        int tables = Integer.getInteger("bench.age.tables", 4);
        int window = Integer.getInteger("bench.age.window", 200);
        int warmup = Integer.getInteger("bench.age.warmup", 4000);
        long[] ages = Arrays.stream(
                        System.getProperty("bench.ages", "100,1000,10000").split(","))
                .mapToLong(Long::parseLong)
                .toArray();
        String jvm = System.getProperty("bench.service.jvm", MetadataBenchmark.PLATFORM_JVM_OPTIONS);
        TestDatabase db = TestDatabase.get();
        Path warehouse = Files.createTempDirectory("deltaplane-age-warehouse");
        try (ServiceProcess service = ServiceProcess.start(
                "metadata-service-age",
                ServiceProcess.Launch.mainClass(MetadataServiceApplication.class.getName()),
                jvm,
                db,
                MetadataBenchmark.KEY,
                Map.of("deltaplane.warehouse.root", warehouse.toString(), "deltaplane.lineage.enabled", "false"))) {
            Http http = new Http(service.baseUrl());
            System.out.printf(
                    Locale.ROOT,
                    "table-age benchmark: metadata-service (%s), database %s, %d tables, %d adds per commit,"
                            + " ages %s, %d commits per table measured at each, warm-up %d commits; %d cores,"
                            + " load average %s%n",
                    jvm,
                    db.name(),
                    tables,
                    MetadataBenchmark.ADDS_PER_COMMIT,
                    Arrays.toString(ages),
                    window,
                    warmup,
                    Runtime.getRuntime().availableProcessors(),
                    MetadataBenchmark.loadAverage());
            http.post("/api/v1/catalogs", "{\"name\":\"age\"}", 201);
            http.post("/api/v1/schemas", "{\"catalog_name\":\"age\",\"name\":\"s\"}", 201);
            for (int t = 0; t < 2 * tables; t++) {
                http.post("/api/v1/tables", MetadataBenchmark.createTable("age", "t" + t), 201);
            }
            // warm-up on tables of their own (t<tables>..): the JIT settles before any age is measured
            long[] warm = new long[tables];
            commitUntil(http, tables, warm, Math.max(1, warmup / tables));

            long[] versions = new long[tables];
            Map<Long, Double> cpuByAge = new LinkedHashMap<>();
            Map<Long, Double> settledByAge = new LinkedHashMap<>(); // without the JIT's share
            for (long age : ages) {
                commitUntil(http, 0, versions, age);
                Window measured = Window.start(service, db, http);
                long committed = commitUntil(http, 0, versions, age + window);
                Figures f = measured.end(committed);
                cpuByAge.put(age, f.cpuMs());
                settledByAge.put(age, f.cpuMs() - f.jitMs());
                System.out.printf(
                        Locale.ROOT,
                        "RESULT age=%d door=api cpu_ms_per_commit=%.3f jit_ms_per_commit=%.3f"
                                + " sql_statements_per_commit=%.2f request_sql_statements_per_commit=%.2f"
                                + " alloc_mb_per_commit=%.3f"
                                + " checkpoint_ms_per_commit=%.3f live_files_at_end=%d%n",
                        age,
                        f.cpuMs(),
                        f.jitMs(),
                        StatementParts.total(f.statementsByPart()),
                        f.statements(),
                        f.allocMb(),
                        f.checkpointMs(),
                        (age + window) * MetadataBenchmark.ADDS_PER_COMMIT);
                System.out.printf(Locale.ROOT, "    CPU per commit by part (ms): %s%n", f.parts());
                System.out.printf(
                        Locale.ROOT,
                        "    SQL statements per commit by part: %s%n",
                        StatementParts.format(f.statementsByPart()));
            }
            double first = cpuByAge.get(ages[0]);
            double last = cpuByAge.get(ages[ages.length - 1]);
            System.out.printf(
                    Locale.ROOT,
                    "RESULT growth_ratio=%.2f growth_ratio_without_jit=%.2f (age %d vs %d; target <= 1.2)%n",
                    last / first,
                    settledByAge.get(ages[ages.length - 1]) / settledByAge.get(ages[0]),
                    ages[ages.length - 1],
                    ages[0]);
        }
    }

    /** Figures per commit of one measured window. */
    record Figures(
            double cpuMs,
            double jitMs,
            double statements,
            Map<String, Double> statementsByPart,
            double allocMb,
            double checkpointMs,
            Map<String, String> parts) {}

    /** The readings at a window's start. */
    record Window(
            ServiceProcess service,
            TestDatabase db,
            Http http,
            CpuParts.Sample cpu,
            SqlStatements statements,
            StatementParts statementParts,
            double allocated) {

        static Window start(ServiceProcess service, TestDatabase db, Http http) throws Exception {
            return new Window(
                    service,
                    db,
                    http,
                    CpuParts.sample(List.of(service.pid()), -1, db.name(), null),
                    SqlStatements.of(List.of(http), "api"),
                    StatementParts.of(List.of(http)),
                    allocated(http));
        }

        Figures end(long commits) throws Exception {
            Map<String, Long> used = cpu.until(CpuParts.sample(List.of(service.pid()), -1, db.name(), null));
            double statementsPerCommit = SqlStatements.of(List.of(http), "api").perRequestSince(statements);
            double allocatedMb = (allocated(http) - allocated) / 1e6;
            Map<String, String> parts = new LinkedHashMap<>();
            for (String part : CpuParts.SERVICE_PARTS) {
                parts.put(part, String.format(Locale.ROOT, "%.3f", used.get(part) / 1e6 / commits));
            }
            parts.put(
                    CpuParts.PG_METADATA,
                    String.format(Locale.ROOT, "%.3f", used.get(CpuParts.PG_METADATA) / 1e6 / commits));
            return new Figures(
                    MetadataBenchmark.serviceAndPostgres(used) / 1e6 / commits,
                    used.get(CpuParts.JIT) / 1e6 / commits,
                    statementsPerCommit,
                    StatementParts.of(List.of(http)).perCommitSince(statementParts, commits),
                    allocatedMb / commits,
                    used.get(CpuParts.CHECKPOINT) / 1e6 / commits,
                    parts);
        }

        private static double allocated(Http http) throws Exception {
            return MetadataBenchmark.sumOverReplicas(List.of(http), ALLOCATED).values().stream()
                    .mapToDouble(Double::doubleValue)
                    .sum();
        }
    }

    /**
     * One client per table ({@code first}..{@code first + versions.length - 1}) commits until its
     * table holds {@code target} versions; answers the commits made.
     */
    private static long commitUntil(Http http, int first, long[] versions, long target) throws Exception {
        List<Thread> clients = new ArrayList<>();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        long[] made = new long[versions.length];
        for (int c = 0; c < versions.length; c++) {
            int client = c;
            int table = first + c;
            Thread thread = new Thread(
                    () -> {
                        Http own = http.copy();
                        try {
                            while (versions[client] < target && failure.get() == null) {
                                long expected = versions[client];
                                own.post(
                                        "/api/v1/tables/age.s.t" + table + "/commits",
                                        MetadataBenchmark.commitBody(table, expected),
                                        201);
                                versions[client] = expected + 1;
                                made[client]++;
                            }
                        } catch (Throwable e) {
                            failure.compareAndSet(null, e);
                        }
                    },
                    "age-client-" + c);
            clients.add(thread);
            thread.start();
        }
        for (Thread thread : clients) {
            thread.join();
        }
        if (failure.get() != null) {
            throw new IllegalStateException("a client failed", failure.get());
        }
        return Arrays.stream(made).sum();
    }
}
