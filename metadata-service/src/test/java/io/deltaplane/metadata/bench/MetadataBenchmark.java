package io.deltaplane.metadata.bench;

import io.deltaplane.metadata.MetadataServiceApplication;
import io.deltaplane.testing.MachineCpu;
import io.deltaplane.testing.ServiceProcess;
import io.deltaplane.testing.TestDatabase;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Metadata-service benchmark (a program, not a test). Runs the platform as users run it: the
 * metadata-service in its own JVM ({@code -Dbench.replicas=2}: two, on the same database, each on a
 * port of its own), with publishing to {@code _delta_log}, checkpoints and the lineage relay on as
 * by default, and the relay delivering to a real lineage-service (its jar, in a JVM of its own over
 * a database of its own), all over a fresh Postgres database; the clients run in this JVM. It
 * measures:
 *
 * <ol>
 *   <li>commit throughput over HTTP: 16 tables, 8 concurrent clients (each owning two tables, client
 *       c talking to replica c mod replicas over one keep-alive connection), 10 {@code add} actions
 *       per commit: commits/s, p50/p99 latency, the publish lag p99 seen on {@code GET
 *       /tables/{t}/publish} meanwhile, and the CPU per commit of each part (from {@code /proc}: the
 *       service's request, publisher, checkpointer, relay, GC and JIT threads, Postgres, lineage, the
 *       clients); then pgbench runs the core of the commit's statement (one statement doing the CAS,
 *       the file rows and the commit row, then COMMIT; not the outbox rows the service's statement
 *       also writes, nor its grouping of commits into one transaction) with the same concurrency, as
 *       the raw Postgres ceiling, and the ratio is printed;
 *   <li>the other commit doors on the same service: {@code POST /api/v1/transactions} (each client's
 *       two tables in one request) and Unity Catalog's Delta REST {@code add-commit} (a Delta Kernel
 *       writer per client, each on a catalog-managed table of its own); then one line per door,
 *       {@code RESULT door=api|transactions|unity commits_per_s=… p99_ms=… sql_statements_per_commit=…
 *       request_sql_statements_per_commit=…
 *       cpu_ms_per_commit=… pgbench_tps=…}: statements from the service's own {@code
 *       deltaplane.commit.sql.statements}, CPU of the service JVM(s) and their Postgres backends;
 *   <li>table open: a table with 10,000 commits and 100,000 live files (loaded with direct SQL):
 *       latency of the snapshot call and of streaming the whole file list as NDJSON.
 * </ol>
 *
 * <p>{@code -Dbench.seconds=60} (measured commit phase), {@code -Dbench.warmup=jit} (commits
 * before measuring until the JIT settles, see {@link #warmUp}; or a number of seconds), {@code -Dbench.replicas=1}, {@code
 * -Dbench.pgbench=/path/to/pgbench}, {@code -Dbench.group-size=1} (every commit in a transaction of
 * its own; default 32, as the service), {@code -Dbench.groups-in-flight=1} (as the service), {@code
 * -Dbench.fast-path=false} (the service's general commit
 * path only), {@code -Dbench.service.jvm=} (the services' JVM options; default as {@code ./platform
 * up} runs them), {@code -Dbench.lineage.jar=} (default {@code lineage-service/target/*.jar}; build
 * it first), {@code -Dbench.lineage=off} (no lineage-service: the relay is switched off), {@code
 * -Dbench.door.warmup=15} (the transactions and unity doors' warm-up, seconds).
 */
public final class MetadataBenchmark {

    static final String KEY = "bench-admin-key-0123456789";
    static final int TABLES = 16;
    static final int CLIENTS = 8;
    static final int ADDS_PER_COMMIT = 10;
    /** The JVM options {@code ./platform up} gives the services (its {@code APP_JAVA_OPTS}). */
    static final String PLATFORM_JVM_OPTIONS = "-Xms64m -Xmx384m -XX:+UseSerialGC";

    private static final Pattern LAG_SECONDS = Pattern.compile("\"lag_seconds\":([0-9.eE+-]+)");

    public static void main(String[] args) throws Exception {
        int seconds = Integer.getInteger("bench.seconds", 60);
        int replicas = Integer.getInteger("bench.replicas", 1);
        String jvm = System.getProperty("bench.service.jvm", PLATFORM_JVM_OPTIONS);
        TestDatabase db = TestDatabase.get();
        Path warehouse = Files.createTempDirectory("deltaplane-bench-warehouse");
        List<ServiceProcess> services = new ArrayList<>();
        ServiceProcess lineage = null;
        TestDatabase lineageDb = null;
        try {
            Map<String, String> settings = new LinkedHashMap<>();
            // One warehouse for all replicas: they publish the same tables.
            settings.put("deltaplane.warehouse.root", warehouse.toString());
            settings.put("deltaplane.metadata.commit.fast-path", System.getProperty("bench.fast-path", "true"));
            settings.put("deltaplane.metadata.commit.group-size", System.getProperty("bench.group-size", "32"));
            settings.put(
                    "deltaplane.metadata.commit.groups-in-flight", System.getProperty("bench.groups-in-flight", "1"));
            if ("off".equals(System.getProperty("bench.lineage"))) {
                settings.put("deltaplane.lineage.enabled", "false");
            } else {
                lineageDb = TestDatabase.createAnother();
                lineage = ServiceProcess.start(
                        "lineage-service",
                        ServiceProcess.Launch.jar(lineageJar()),
                        jvm,
                        lineageDb,
                        KEY,
                        Map.of(
                                "deltaplane.artifacts.dir",
                                Files.createTempDirectory("deltaplane-bench-artifacts")
                                        .toString()));
                settings.put("deltaplane.lineage.base-url", lineage.baseUrl());
                settings.put("deltaplane.lineage.api-key", KEY);
            }
            // One after the other: the first applies the migrations to the fresh database.
            for (int r = 0; r < replicas; r++) {
                services.add(ServiceProcess.start(
                        "metadata-service-" + r,
                        ServiceProcess.Launch.mainClass(MetadataServiceApplication.class.getName()),
                        jvm,
                        db,
                        KEY,
                        settings));
            }
            List<Http> http = services.stream().map(s -> new Http(s.baseUrl())).toList();
            System.out.printf(
                    Locale.ROOT,
                    "metadata-service benchmark: %d replica(s) in JVMs of their own (%s), lineage-service %s,"
                            + " database %s, %d s measured after warm-up %s, %d cores, load average %s%n",
                    replicas,
                    jvm,
                    lineage == null ? "off (relay off)" : "on " + lineage.baseUrl(),
                    db.name(),
                    seconds,
                    System.getProperty("bench.warmup", "jit"),
                    Runtime.getRuntime().availableProcessors(),
                    loadAverage());
            Parts parts = new Parts(
                    services.stream().map(ServiceProcess::pid).toList(),
                    lineage == null ? -1 : lineage.pid(),
                    db.name(),
                    lineageDb == null ? null : lineageDb.name());
            ApiPhase api = commitThroughput(http, db, seconds, parts);
            List<DoorResult> doors = new ArrayList<>();
            doors.add(api.result());
            doors.add(transactions(http, api.versions(), seconds, parts));
            doors.add(unity(http, warehouse, seconds, parts));
            // One line per door, for scripts and the benchmarks page; pgbench's ceiling is the api door's.
            System.out.println();
            for (DoorResult door : doors) {
                System.out.println(door.line(api.pgbenchTps()));
            }
            tableOpen(http.get(0), db);
        } finally {
            services.forEach(ServiceProcess::close);
            if (lineage != null) {
                lineage.close();
            }
        }
        System.exit(0);
    }

    /** What {@link CpuParts} samples: the services' and lineage's processes and the two databases. */
    record Parts(List<Long> servicePids, long lineagePid, String metadataDb, String lineageDb) {
        CpuParts.Sample sample() {
            return CpuParts.sample(servicePids, lineagePid, metadataDb, lineageDb);
        }
    }

    static Path lineageJar() throws IOException {
        String given = System.getProperty("bench.lineage.jar");
        if (given != null) {
            return Path.of(given);
        }
        Path target = Path.of("lineage-service", "target");
        if (Files.isDirectory(target)) {
            try (Stream<Path> files = Files.list(target)) {
                var jar = files.filter(p -> {
                            String name = p.getFileName().toString();
                            return name.startsWith("deltaplane-lineage-service-") && name.endsWith(".jar");
                        })
                        .findFirst();
                if (jar.isPresent()) {
                    return jar.get();
                }
            }
        }
        throw new IllegalStateException("no lineage-service jar for the relay to deliver to: build it (./mvnw -B -q"
                + " package -DskipTests -pl lineage-service -am), pass -Dbench.lineage.jar=, or -Dbench.lineage=off");
    }

    // ---- 1. commit throughput -------------------------------------------------------------------

    static ApiPhase commitThroughput(List<Http> http, TestDatabase db, int seconds, Parts parts) throws Exception {
        Http first = http.get(0);
        first.post("/api/v1/catalogs", "{\"name\":\"bench\"}", 201);
        first.post("/api/v1/schemas", "{\"catalog_name\":\"bench\",\"name\":\"s\"}", 201);
        for (int t = 0; t < TABLES; t++) {
            first.post("/api/v1/tables", createTable("bench", "t" + t), 201);
        }
        long[] versions = new long[TABLES];
        warmUp(http, versions, parts);
        List<long[]> latencies = new ArrayList<>();
        PublishLag lag = PublishLag.start(first.copy());
        StatementTimes statements = StatementTimes.start(db);
        SqlStatements sqlBefore = SqlStatements.of(http, "api");
        StatementParts partsBefore = StatementParts.of(http);
        CpuParts.Sample cpuBefore = parts.sample();
        MachineCpu machineBefore = MachineCpu.now();
        long start = System.nanoTime();
        long commits = runClients(http, versions, seconds, latencies);
        double elapsed = (System.nanoTime() - start) / 1e9;
        Map<String, Long> cpu = cpuBefore.until(parts.sample());
        MachineCpu machineAfter = MachineCpu.now();
        double sqlPerCommit = SqlStatements.of(http, "api").perRequestSince(sqlBefore);
        Map<String, Double> sqlByPart = StatementParts.of(http).perCommitSince(partsBefore, commits);
        double[] lagSeconds = lag.stop();
        long[] all = latencies.stream().flatMapToLong(Arrays::stream).sorted().toArray();
        double rate = commits / elapsed;
        int replicas = http.size();
        System.out.printf(
                Locale.ROOT,
                "%n[1] commit throughput over HTTP (%d replica(s), %d tables, %d clients, %d adds/commit)%n",
                replicas,
                TABLES,
                CLIENTS,
                ADDS_PER_COMMIT);
        System.out.printf(
                Locale.ROOT, "    commits: %d in %.1f s = %.0f commits/s (target >= 1500)%n", commits, elapsed, rate);
        System.out.printf(
                Locale.ROOT,
                "    latency: p50 %.2f ms, p99 %.2f ms, max %.2f ms (target p99 <= 25 ms)%n",
                ms(percentile(all, 50)),
                ms(percentile(all, 99)),
                ms(all[all.length - 1]));
        if (lagSeconds.length > 0) {
            System.out.printf(
                    Locale.ROOT,
                    "    publish lag (GET /tables/{t}/publish, every table every %d ms, %d readings): p50 %.2f s,"
                            + " p99 %.2f s, max %.2f s (target p99 <= 1 s)%n",
                    PublishLag.EVERY_MS,
                    lagSeconds.length,
                    percentile(lagSeconds, 50),
                    percentile(lagSeconds, 99),
                    lagSeconds[lagSeconds.length - 1]);
        }
        System.out.printf(
                Locale.ROOT,
                "    the machine was %.0f%% busy (load average %s; shared with other work)%n",
                machineAfter.busyPercentSince(machineBefore),
                loadAverage());
        System.out.println("    CPU ms per commit by part (/proc utime+stime over the measured window):");
        double perCommit = 1e6 * Math.max(1, commits);
        long platform = 0;
        for (var e : cpu.entrySet()) {
            boolean servicePart = CpuParts.SERVICE_PARTS.contains(e.getKey());
            System.out.printf(
                    Locale.ROOT,
                    "      %s%-72s %7.3f%n",
                    servicePart ? "  " : "",
                    e.getKey(),
                    e.getValue() / perCommit);
            if (!servicePart
                    && !e.getKey().equals(CpuParts.CLIENTS)
                    && !e.getKey().equals(CpuParts.PG_REST)) {
                platform += e.getValue();
            }
        }
        System.out.printf(
                Locale.ROOT,
                "      %-72s %7.3f%n",
                "platform total (services, lineage, their Postgres backends)",
                platform / perCommit);
        System.out.printf(
                Locale.ROOT,
                "      %-72s %7.3f%n",
                "service + its Postgres backends (the RESULT line's cpu_ms_per_commit)",
                serviceAndPostgres(cpu) / perCommit);
        System.out.printf(
                Locale.ROOT,
                "    SQL statements per commit: the request's (deltaplane.commit.sql.statements, door=api) %.2f;"
                        + " every statement (deltaplane.sql.statements) %.2f: %s%n",
                sqlPerCommit,
                StatementParts.total(sqlByPart),
                StatementParts.format(sqlByPart));
        if (statements != null) {
            statements.print(commits);
        }
        printFastPath(http);

        MachineCpu pgBefore = MachineCpu.now();
        Double raw = pgbench(db, seconds);
        System.out.printf(
                Locale.ROOT,
                "    (machine %.0f%% busy during pgbench)%n",
                MachineCpu.now().busyPercentSince(pgBefore));
        if (raw != null) {
            System.out.printf(
                    Locale.ROOT,
                    "    raw Postgres (pgbench, the commit statement's core, %d clients): %.0f tx/s%n",
                    CLIENTS,
                    raw);
            System.out.printf(
                    Locale.ROOT, "    ratio HTTP service / raw Postgres: %.2fx (target >= 0.5x)%n", rate / raw);
        }
        // The figures on one line, for scripts and the benchmarks page.
        System.out.printf(
                Locale.ROOT,
                "RESULT replicas=%d commits_per_s=%.0f p99_ms=%.2f pgbench_tps=%s ratio=%s publish_lag_p99_s=%s%n",
                replicas,
                rate,
                ms(percentile(all, 99)),
                raw == null ? "n/a" : String.format(Locale.ROOT, "%.0f", raw),
                raw == null ? "n/a" : String.format(Locale.ROOT, "%.2f", rate / raw),
                lagSeconds.length == 0 ? "n/a" : String.format(Locale.ROOT, "%.2f", percentile(lagSeconds, 99)));
        return new ApiPhase(
                versions,
                raw,
                new DoorResult(
                        "api",
                        commits,
                        elapsed,
                        all,
                        StatementParts.total(sqlByPart),
                        sqlPerCommit,
                        serviceAndPostgres(cpu) / perCommit));
    }

    /** The api door's figures, its tables' versions (the transactions door goes on from them), pgbench's tx/s. */
    record ApiPhase(long[] versions, Double pgbenchTps, DoorResult result) {}

    /** One door's figures over its measured window. */
    record DoorResult(
            String door,
            long commits,
            double seconds,
            long[] sortedLatencies,
            double sqlPerCommit,
            double requestSqlPerCommit,
            double cpuMs) {

        String line(Double pgbenchTps) {
            return String.format(
                    Locale.ROOT,
                    "RESULT door=%s commits_per_s=%.0f p99_ms=%.2f sql_statements_per_commit=%.2f"
                            + " request_sql_statements_per_commit=%.2f cpu_ms_per_commit=%.3f pgbench_tps=%s",
                    door,
                    commits / seconds,
                    sortedLatencies.length == 0 ? Double.NaN : ms(percentile(sortedLatencies, 99)),
                    sqlPerCommit,
                    requestSqlPerCommit,
                    cpuMs,
                    pgbenchTps == null ? "n/a" : String.format(Locale.ROOT, "%.0f", pgbenchTps));
        }
    }

    /** CPU nanoseconds of the platform's commit core: the service JVM(s) and their Postgres backends. */
    static long serviceAndPostgres(Map<String, Long> cpu) {
        return cpu.get(CpuParts.SERVICE) + cpu.get(CpuParts.PG_METADATA);
    }

    /**
     * {@code deltaplane.commit.sql.statements} of one door (its successful requests), summed over
     * the replicas: what a window's statements per commit are read from.
     */
    record SqlStatements(double count, double sum) {

        static SqlStatements of(List<Http> http, String door) throws IOException {
            Map<String, Double> read = sumOverReplicas(
                    http,
                    "(?m)^deltaplane_commit_sql_statements(?:_statements)?_(count|sum)\\{[^}]*door=\"" + door
                            + "\"[^}]*outcome=\"success\"[^}]*\\} ([0-9.eE+-]+)$");
            return new SqlStatements(read.getOrDefault("count", 0.0), read.getOrDefault("sum", 0.0));
        }

        /** Statements per request between {@code before} and this reading. */
        double perRequestSince(SqlStatements before) {
            double requests = count - before.count;
            return requests == 0 ? Double.NaN : (sum - before.sum) / requests;
        }
    }

    /**
     * The commit fast path's hits and misses over the whole run, summed over replicas: a miss costs
     * a failed compare-and-swap, a read of the table and a second one, so many misses would show here
     * before anywhere else. Then how many commits group commit wrote per transaction.
     */
    static void printFastPath(List<Http> http) throws IOException {
        Map<String, Double> fastPath = sumOverReplicas(
                http,
                "(?m)^deltaplane_metadata_commit_fast_path_total\\{[^}]*outcome=\"(hit|miss)\"[^}]*\\} ([0-9.eE+-]+)$");
        System.out.printf(
                Locale.ROOT,
                "    commit fast path (whole run): %.0f hits, %.0f misses%n",
                fastPath.getOrDefault("hit", 0.0),
                fastPath.getOrDefault("miss", 0.0));
        Map<String, Double> group = sumOverReplicas(
                http, "(?m)^deltaplane_metadata_commit_group_size_(count|sum)(?:\\{[^}]*\\})? ([0-9.eE+-]+)$");
        double groups = group.getOrDefault("count", 0.0);
        double grouped = group.getOrDefault("sum", 0.0);
        System.out.printf(
                Locale.ROOT,
                "    group commit (whole run): %.0f transactions for %.0f commits, %.2f commits each%n",
                groups,
                grouped,
                groups == 0 ? 0 : grouped / groups);
    }

    /** Prometheus samples matching {@code regex} (group 1 the key, group 2 the value), summed by key over replicas. */
    static Map<String, Double> sumOverReplicas(List<Http> http, String regex) throws IOException {
        Pattern sample = Pattern.compile(regex);
        Map<String, Double> sums = new HashMap<>();
        for (Http replica : http) {
            Matcher m = sample.matcher(replica.copy().get("/actuator/prometheus", "text/plain"));
            while (m.find()) {
                sums.merge(m.group(1), Double.parseDouble(m.group(2)), Double::sum);
            }
        }
        return sums;
    }

    /**
     * Reads every table's publish lag ({@code lag_seconds} of {@code GET /tables/{t}/publish}) every
     * {@link #EVERY_MS} ms while the clients commit, on a connection of its own.
     */
    static final class PublishLag {
        // Every second: enough readings for a p99 (16 a second), and the readings themselves (each a
        // request and a query) stay a small part of the load they measure.
        static final long EVERY_MS = 1_000;

        private final Http http;
        private final CountDownLatch stop = new CountDownLatch(1);
        private final List<Double> readings = new ArrayList<>();
        private final Thread thread;
        private volatile Throwable failure;

        private PublishLag(Http http) {
            this.http = http;
            this.thread = new Thread(this::run, "bench-publish-lag");
        }

        static PublishLag start(Http http) {
            PublishLag lag = new PublishLag(http);
            lag.thread.start();
            return lag;
        }

        private void run() {
            try {
                do {
                    for (int t = 0; t < TABLES; t++) {
                        Matcher m = LAG_SECONDS.matcher(http.get("/api/v1/tables/bench.s.t" + t + "/publish", null));
                        if (!m.find()) {
                            throw new IllegalStateException("no lag_seconds in the publish status of t" + t);
                        }
                        synchronized (readings) {
                            readings.add(Double.parseDouble(m.group(1)));
                        }
                    }
                } while (!stop.await(EVERY_MS, TimeUnit.MILLISECONDS));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (Exception | Error e) {
                failure = e;
            }
        }

        /** Ends the readings; returns them sorted. */
        double[] stop() throws InterruptedException {
            stop.countDown();
            thread.join();
            if (failure != null) {
                throw new IllegalStateException("reading the publish lag failed", failure);
            }
            synchronized (readings) {
                return readings.stream()
                        .mapToDouble(Double::doubleValue)
                        .sorted()
                        .toArray();
            }
        }
    }

    /**
     * Each client owns tables c and c + CLIENTS, so commits never conflict, and talks to replica c mod
     * replicas (a load balancer keeping each keep-alive connection on one replica); returns commits done.
     */
    /**
     * Commits before measuring, for the JIT and statement preparation. {@code -Dbench.warmup=jit}
     * (the default): in slices of {@link #WARMUP_SLICE_SECONDS} until the services' compiler threads
     * use less than {@link #JIT_SETTLED_MS} ms of CPU per commit over a slice, at most {@code
     * -Dbench.warmup.max=300} seconds — a service that runs for hours is measured as it runs then,
     * not while C2 still compiles Spring's long tail of methods (0.9 ms per commit after 90 s at
     * 260 commits/s); {@code -Dbench.warmup=<seconds>}: that long.
     */
    static void warmUp(List<Http> http, long[] versions, Parts parts) throws Exception {
        String warmup = System.getProperty("bench.warmup", "jit");
        if (!warmup.equals("jit")) {
            runClients(http, versions, Integer.parseInt(warmup), null);
            return;
        }
        untilTheJitSettles(
                (slice, seconds) -> runClients(http, versions, seconds, null),
                () -> CpuParts.compilerThreads(parts.servicePids()));
    }

    /** One slice of warm-up load; returns the commits it made. */
    interface WarmupSlice {
        long run(int slice, int seconds) throws Exception;
    }

    /**
     * Runs slices of {@link #WARMUP_SLICE_SECONDS} until the JVMs' compiler threads (read by {@code
     * compilerThreads}, see {@link CpuParts#compilerThreads}) use less than {@link #JIT_SETTLED_MS}
     * ms of CPU per commit over a slice, at most {@code -Dbench.warmup.max=300} seconds, and says how
     * it went. Shared with {@link PublishBenchmark}.
     */
    static void untilTheJitSettles(WarmupSlice slice, Supplier<Map<String, Long>> compilerThreads) throws Exception {
        int max = Integer.getInteger("bench.warmup.max", 300);
        long started = System.nanoTime();
        double jit = Double.NaN;
        int slices = 0;
        while (slices * WARMUP_SLICE_SECONDS < max) {
            slices++;
            Map<String, Long> before = compilerThreads.get();
            long commits = slice.run(slices, WARMUP_SLICE_SECONDS);
            jit = CpuParts.compilerNanosBetween(before, compilerThreads.get()) / (1e6 * Math.max(1, commits));
            if (jit < JIT_SETTLED_MS) {
                break;
            }
        }
        System.out.printf(
                Locale.ROOT,
                "    warm-up: %.0f s, until the JIT used %.3f ms per commit over %d s (%s)%n",
                (System.nanoTime() - started) / 1e9,
                jit,
                WARMUP_SLICE_SECONDS,
                jit < JIT_SETTLED_MS ? "settled" : "still compiling at -Dbench.warmup.max=" + max);
    }

    static final int WARMUP_SLICE_SECONDS = 15;
    static final double JIT_SETTLED_MS = 0.1;

    static long runClients(List<Http> http, long[] versions, int seconds, List<long[]> latencies) throws Exception {
        AtomicBoolean stop = new AtomicBoolean();
        long[] done = new long[CLIENTS];
        long[][] lat = new long[CLIENTS][];
        CountDownLatch finished = new CountDownLatch(CLIENTS);
        Throwable[] failure = new Throwable[1];
        for (int c = 0; c < CLIENTS; c++) {
            int client = c;
            Thread thread = new Thread(
                    () -> {
                        Http own = http.get(client % http.size()).copy();
                        long[] mine = new long[1 << 16];
                        int n = 0;
                        try {
                            while (!stop.get()) {
                                int table = client + CLIENTS * (n % 2);
                                long expected = versions[table];
                                String body = commitBody(table, expected);
                                long t0 = System.nanoTime();
                                own.post("/api/v1/tables/bench.s.t" + table + "/commits", body, 201);
                                long took = System.nanoTime() - t0;
                                versions[table] = expected + 1;
                                if (n == mine.length) {
                                    mine = Arrays.copyOf(mine, n * 2);
                                }
                                mine[n++] = took;
                            }
                        } catch (Throwable e) {
                            failure[0] = e;
                        } finally {
                            done[client] = n;
                            lat[client] = Arrays.copyOf(mine, n);
                            finished.countDown();
                        }
                    },
                    "bench-client-" + c);
            thread.start();
        }
        Thread.sleep(seconds * 1000L);
        stop.set(true);
        finished.await();
        if (failure[0] != null) {
            throw new IllegalStateException("a client failed", failure[0]);
        }
        if (latencies != null) {
            latencies.addAll(Arrays.asList(lat));
        }
        return Arrays.stream(done).sum();
    }

    static String commitBody(int table, long expected) {
        StringBuilder body = new StringBuilder(3000);
        body.append("{\"expected_version\":").append(expected).append(",\"actions\":[");
        for (int i = 0; i < ADDS_PER_COMMIT; i++) {
            if (i > 0) {
                body.append(',');
            }
            body.append("{\"add\":{\"path\":\"part-")
                    .append(expected + 1)
                    .append('-')
                    .append(i)
                    .append("-c000.snappy.parquet\",\"partitionValues\":{},\"size\":")
                    .append(1000 + i)
                    .append(",\"modificationTime\":1700000000000,\"dataChange\":true,\"stats\":")
                    .append("\"{\\\"numRecords\\\":100,\\\"minValues\\\":{\\\"id\\\":1},")
                    .append("\\\"maxValues\\\":{\\\"id\\\":100},\\\"nullCount\\\":{\\\"id\\\":0}}\"}}");
        }
        return body.append("]}").toString();
    }

    /** The commit path's SQL, run by pgbench at the same concurrency; returns tx/s or null. */
    static Double pgbench(TestDatabase db, int seconds) throws Exception {
        String pgbench = System.getProperty("bench.pgbench", findPgbench());
        if (pgbench == null) {
            System.out.println("    pgbench not found (set -Dbench.pgbench=/path/to/pgbench): no raw ceiling");
            return null;
        }
        try (Connection c = db.connect();
                Statement s = c.createStatement()) {
            s.execute("SET search_path = metadata");
            s.execute("INSERT INTO catalogs VALUES ('pgb', null, now())");
            s.execute("INSERT INTO schemas VALUES ('pgb', 's', null, now())");
            for (int t = 0; t < TABLES; t++) {
                s.execute("WITH t AS (INSERT INTO tables (id, catalog, schema, name, location, current_version,"
                        + " last_committed_at, partition_columns, created_at, updated_at) VALUES (gen_random_uuid(),"
                        + " 'pgb', 's', 'p" + t + "', 'file:/tmp/pgb/p" + t + "', 0, now(), '{}', now(), now())"
                        + " RETURNING id) INSERT INTO commits SELECT id, 0, now(), 'CREATE TABLE', '[]', 0, 0 FROM t");
            }
        }
        String add = "{\"path\":\"part-x-c000.snappy.parquet\",\"partitionValues\":{},\"size\":1000,"
                + "\"modificationTime\":1700000000000,\"dataChange\":true,\"stats\":\"{\\\"numRecords\\\":100,"
                + "\\\"minValues\\\":{\\\"id\\\":1},\\\"maxValues\\\":{\\\"id\\\":100},\\\"nullCount\\\":{\\\"id\\\":0}}\"}";
        String info = "{\"operation\":\"WRITE\",\"engineInfo\":\"Deltaplane\"}";
        StringBuilder rest = new StringBuilder("[");
        for (int i = 0; i < ADDS_PER_COMMIT; i++) {
            rest.append(i == 0 ? "" : ",").append("{\"add\":").append(add).append('}');
        }
        rest.append(']');
        // The service's hot path per commit: one statement (CAS on the table row, removes, adds, the
        // commit row with its in-commit timestamp), then COMMIT. Tables are found by name here
        // instead of by cached id: the same unique-index lookup.
        String script = String.join(
                "\n",
                "\\set t (:client_id % " + CLIENTS + ") + " + CLIENTS + " * random(0, 1)",
                "BEGIN;",
                "WITH cas AS (UPDATE metadata.tables SET current_version = current_version + 1,"
                        + " last_committed_at = GREATEST(now(), last_committed_at + interval '1 millisecond'),"
                        + " updated_at = now()"
                        + " WHERE catalog = 'pgb' AND schema = 's' AND name = 'p' || :t"
                        + " AND partition_columns = CAST('{}' AS text[])"
                        + " RETURNING id, current_version AS v, last_committed_at),"
                        + " prev AS (SELECT num_files, size_bytes FROM metadata.commits"
                        + " WHERE table_id = (SELECT id FROM cas) AND version = (SELECT v - 1 FROM cas)),"
                        + " removed AS (UPDATE metadata.files SET removed_version = (SELECT v FROM cas)"
                        + " WHERE table_id = (SELECT id FROM cas) AND removed_version IS NULL"
                        + " AND path = ANY(CAST('{}' AS text[])) RETURNING size),"
                        + " added AS (INSERT INTO metadata.files (table_id, path, added_version, size, action)"
                        + " SELECT cas.id, 'part-' || cas.v || '-' || g || '.parquet', cas.v, 1000, '" + literal(add)
                        + "' FROM cas, generate_series(1, " + ADDS_PER_COMMIT + ") g),"
                        + " ins AS (INSERT INTO metadata.commits (table_id, version, committed_at, operation, actions,"
                        + " num_files, size_bytes) SELECT cas.id, cas.v, cas.last_committed_at, 'WRITE',"
                        + " jsonb_build_array(jsonb_build_object('commitInfo', CAST('" + literal(info)
                        + "' AS jsonb) || jsonb_build_object('timestamp', ms.v, 'inCommitTimestamp', ms.v)))"
                        + " || CAST('" + literal(rest.toString()) + "' AS jsonb),"
                        + " prev.num_files + " + ADDS_PER_COMMIT + " - (SELECT count(*) FROM removed),"
                        + " prev.size_bytes + 10000 - (SELECT COALESCE(sum(size), 0) FROM removed)"
                        + " FROM cas, prev,"
                        + " LATERAL (SELECT CAST(extract(epoch FROM cas.last_committed_at) * 1000 AS bigint) AS v) ms"
                        + " RETURNING committed_at)"
                        + " SELECT (SELECT committed_at FROM ins), (SELECT count(*) FROM removed);",
                "END;",
                "");
        Path file = Files.createTempFile("deltaplane-commit", ".pgbench");
        Files.writeString(file, script);
        List<String> command = List.of(
                pgbench,
                "-n",
                "-M",
                "prepared",
                "-c",
                Integer.toString(CLIENTS),
                "-j",
                "2",
                "-T",
                Integer.toString(seconds),
                "-f",
                file.toString(),
                "-h",
                "localhost",
                "-U",
                db.user(),
                db.name());
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output;
        try (InputStream in = process.getInputStream()) {
            output = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        process.waitFor();
        Matcher tps = Pattern.compile("tps = ([0-9.]+) \\(without initial").matcher(output);
        Matcher latency = Pattern.compile("latency average = ([0-9.]+) ms").matcher(output);
        if (!tps.find()) {
            System.out.println("    pgbench failed:\n" + output);
            return null;
        }
        if (latency.find()) {
            System.out.printf(Locale.ROOT, "    pgbench latency average: %s ms%n", latency.group(1));
        }
        return Double.parseDouble(tps.group(1));
    }

    /** A JSON text as an SQL literal body; ": " so pgbench does not read ":name" as a variable. */
    static String literal(String json) {
        return json.replace("'", "''").replace("\":", "\": ");
    }

    static String findPgbench() {
        for (String candidate : List.of("/usr/lib/postgresql/15/bin/pgbench", "/usr/bin/pgbench")) {
            if (Files.isExecutable(Path.of(candidate))) {
                return candidate;
            }
        }
        return null;
    }

    // ---- 1b, 1c. the other commit doors ---------------------------------------------------------

    /**
     * Door {@code transactions}: each client commits to its two tables (c and c + CLIENTS) in one
     * {@code POST /api/v1/transactions}, {@link #ADDS_PER_COMMIT} adds to each; a "commit" is one
     * such request.
     */
    static DoorResult transactions(List<Http> http, long[] versions, int seconds, Parts parts) throws Exception {
        Http[] own = new Http[CLIENTS];
        for (int c = 0; c < CLIENTS; c++) {
            own[c] = http.get(c % http.size()).copy();
        }
        return measureDoor(
                "transactions",
                "each client's two tables in one POST /api/v1/transactions, " + ADDS_PER_COMMIT + " adds each",
                http,
                parts,
                seconds,
                (client, n) -> {
                    int a = client;
                    int b = client + CLIENTS;
                    String body = "{\"commits\":[" + transactionPart(a, versions[a]) + ","
                            + transactionPart(b, versions[b]) + "]}";
                    own[client].post("/api/v1/transactions", body, 201);
                    versions[a]++;
                    versions[b]++;
                });
    }

    /** One table's part of a transaction: its commit body with the table named. */
    static String transactionPart(int table, long expected) {
        return "{\"table\":\"bench.s.t" + table + "\","
                + commitBody(table, expected).substring(1);
    }

    /**
     * Door {@code unity}: each client is a Delta Kernel writer (delta-kernel-unitycatalog over
     * delta-storage's UC Delta REST client, in this JVM) appending {@link #ADDS_PER_COMMIT} files per
     * commit to a catalog-managed table of its own through Unity Catalog's Delta REST API (stage
     * the commit file, then {@code add-commit}, which the service ratifies and publishes before it
     * answers). Each commit starts from the snapshot the previous one left (Kernel's post-commit
     * snapshot), so the door's requests are the commits.
     */
    static DoorResult unity(List<Http> http, Path warehouse, int seconds, Parts parts) throws Exception {
        // Kernel logs every commit at INFO: in the clients' JVM, whose CPU is not the platform's, but noise
        for (String chatty : List.of("io.delta", "org.apache.hadoop")) {
            ((ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger(chatty))
                    .setLevel(ch.qos.logback.classic.Level.WARN);
        }
        org.apache.hadoop.conf.Configuration conf = new org.apache.hadoop.conf.Configuration();
        conf.set("fs.file.impl", "org.apache.hadoop.fs.RawLocalFileSystem");
        conf.setBoolean("fs.file.impl.disable.cache", true);
        io.delta.kernel.engine.Engine engine = io.delta.kernel.defaults.engine.DefaultEngine.create(conf);
        io.delta.kernel.types.StructType schema =
                new io.delta.kernel.types.StructType().add("id", io.delta.kernel.types.LongType.LONG);
        KernelWriter[] writers = new KernelWriter[CLIENTS];
        for (int c = 0; c < CLIENTS; c++) {
            io.delta.storage.commit.uccommitcoordinator.UCDeltaTokenBasedRestClient uc =
                    io.deltaplane.metadata.unity.UnityClients.delta(
                            http.get(c % http.size()).base(), KEY);
            String name = "u" + c;
            var staged = uc.createStagingTable(
                    new io.delta.storage.commit.TableIdentifier(new String[] {"bench", "s"}, name));
            io.delta.kernel.unitycatalog.UCCatalogManagedClient kernel =
                    new io.delta.kernel.unitycatalog.UCCatalogManagedClient(uc);
            io.delta.kernel.unitycatalog.UCTableIdentifier ucName =
                    new io.delta.kernel.unitycatalog.UCTableIdentifier("bench", "s", name);
            String id = staged.getTableId().toString();
            kernel.buildCreateTableTransaction(id, staged.getLocation(), schema, "bench", ucName)
                    .build(engine)
                    .commit(engine, io.delta.kernel.utils.CloseableIterable.emptyIterable());
            writers[c] = new KernelWriter(engine, kernel, id, staged.getLocation(), ucName);
        }
        return measureDoor(
                "unity",
                "a Kernel writer per client and table, UC Delta REST add-commit, " + ADDS_PER_COMMIT + " adds",
                http,
                parts,
                seconds,
                (client, n) -> writers[client].append(n));
    }

    /** A Kernel writer of one catalog-managed table, going on from its last commit's snapshot. */
    static final class KernelWriter {
        private final io.delta.kernel.engine.Engine engine;
        private final io.delta.kernel.unitycatalog.UCCatalogManagedClient kernel;
        private final String id;
        private final String path;
        private final io.delta.kernel.unitycatalog.UCTableIdentifier name;
        private io.delta.kernel.Snapshot snapshot;

        KernelWriter(
                io.delta.kernel.engine.Engine engine,
                io.delta.kernel.unitycatalog.UCCatalogManagedClient kernel,
                String id,
                String path,
                io.delta.kernel.unitycatalog.UCTableIdentifier name) {
            this.engine = engine;
            this.kernel = kernel;
            this.id = id;
            this.path = path;
            this.name = name;
        }

        void append(int n) {
            if (snapshot == null) {
                snapshot = kernel.loadSnapshot(
                        engine, id, path, name, java.util.Optional.empty(), java.util.Optional.empty());
            }
            io.delta.kernel.Transaction txn = snapshot.buildUpdateTableTransaction(
                            "bench", io.delta.kernel.Operation.WRITE)
                    .build(engine);
            io.delta.kernel.data.Row state = txn.getTransactionState(engine);
            List<io.delta.kernel.utils.DataFileStatus> files = new ArrayList<>();
            for (int i = 0; i < ADDS_PER_COMMIT; i++) {
                files.add(new io.delta.kernel.utils.DataFileStatus(
                        path + "/part-" + n + "-" + i + "-" + java.util.UUID.randomUUID() + ".parquet",
                        1000 + i,
                        1_700_000_000_000L,
                        java.util.Optional.empty()));
            }
            io.delta.kernel.utils.CloseableIterator<io.delta.kernel.data.Row> actions =
                    io.delta.kernel.Transaction.generateAppendActions(
                            engine,
                            state,
                            io.delta.kernel.internal.util.Utils.toCloseableIterator(files.iterator()),
                            io.delta.kernel.Transaction.getWriteContext(engine, state, Map.of()));
            try {
                snapshot = txn.commit(engine, io.delta.kernel.utils.CloseableIterable.inMemoryIterable(actions))
                        .getPostCommitSnapshot()
                        .orElse(null);
            } catch (io.delta.kernel.exceptions.ConcurrentWriteException e) {
                snapshot = null; // not expected (one writer per table): reload, and the next commit goes on
            }
        }
    }

    /** One commit by one client ({@code n}: its commits so far). */
    interface DoorStep {
        void commit(int client, int n) throws Exception;
    }

    /**
     * Warms a door up ({@code -Dbench.door.warmup=15} seconds, or {@code -Dbench.warmup} when that
     * is a number), then runs its {@link #CLIENTS} clients for the measured window and prints its
     * figures: commits/s, latency, SQL statements per commit (the service's own counter) and CPU
     * per commit of the service and its Postgres backends.
     */
    static DoorResult measureDoor(String door, String what, List<Http> http, Parts parts, int seconds, DoorStep step)
            throws Exception {
        String warmup = System.getProperty("bench.warmup", "jit");
        int warm = Integer.getInteger("bench.door.warmup", warmup.equals("jit") ? 15 : Integer.parseInt(warmup));
        if (warm > 0) {
            runLoop(warm, null, step);
        }
        List<long[]> latencies = new ArrayList<>();
        SqlStatements sqlBefore = SqlStatements.of(http, door);
        StatementParts partsBefore = StatementParts.of(http);
        CpuParts.Sample cpuBefore = parts.sample();
        MachineCpu machineBefore = MachineCpu.now();
        long start = System.nanoTime();
        long commits = runLoop(seconds, latencies, step);
        double elapsed = (System.nanoTime() - start) / 1e9;
        Map<String, Long> cpu = cpuBefore.until(parts.sample());
        MachineCpu machineAfter = MachineCpu.now();
        double sql = SqlStatements.of(http, door).perRequestSince(sqlBefore);
        Map<String, Double> sqlByPart = StatementParts.of(http).perCommitSince(partsBefore, commits);
        long[] all = latencies.stream().flatMapToLong(Arrays::stream).sorted().toArray();
        double perCommit = 1e6 * Math.max(1, commits);
        System.out.printf(
                Locale.ROOT,
                "%n[1%s] door=%s: %s; %d clients, %d s after %d s warm-up%n",
                door.equals("transactions") ? "b" : "c",
                door,
                what,
                CLIENTS,
                seconds,
                warm);
        System.out.printf(
                Locale.ROOT,
                "    commits: %d in %.1f s = %.0f commits/s; latency p50 %.2f ms, p99 %.2f ms%n",
                commits,
                elapsed,
                commits / elapsed,
                all.length == 0 ? Double.NaN : ms(percentile(all, 50)),
                all.length == 0 ? Double.NaN : ms(percentile(all, 99)));
        System.out.printf(
                Locale.ROOT,
                "    SQL statements per commit: the request's %.2f, every statement %.2f (%s);"
                        + " CPU ms per commit: service %.3f + its Postgres backends %.3f"
                        + " = %.3f (benchmark clients %.3f); the machine was %.0f%% busy%n",
                sql,
                StatementParts.total(sqlByPart),
                StatementParts.format(sqlByPart),
                cpu.get(CpuParts.SERVICE) / perCommit,
                cpu.get(CpuParts.PG_METADATA) / perCommit,
                serviceAndPostgres(cpu) / perCommit,
                cpu.get(CpuParts.CLIENTS) / perCommit,
                machineAfter.busyPercentSince(machineBefore));
        return new DoorResult(
                door, commits, elapsed, all, StatementParts.total(sqlByPart), sql, serviceAndPostgres(cpu) / perCommit);
    }

    /** {@link #CLIENTS} threads running {@code step} for {@code seconds}; returns the commits made. */
    static long runLoop(int seconds, List<long[]> latencies, DoorStep step) throws Exception {
        AtomicBoolean stop = new AtomicBoolean();
        long[] done = new long[CLIENTS];
        long[][] lat = new long[CLIENTS][];
        CountDownLatch finished = new CountDownLatch(CLIENTS);
        Throwable[] failure = new Throwable[1];
        for (int c = 0; c < CLIENTS; c++) {
            int client = c;
            Thread thread = new Thread(
                    () -> {
                        long[] mine = new long[1 << 12];
                        int n = 0;
                        try {
                            while (!stop.get()) {
                                long t0 = System.nanoTime();
                                step.commit(client, n);
                                long took = System.nanoTime() - t0;
                                if (n == mine.length) {
                                    mine = Arrays.copyOf(mine, n * 2);
                                }
                                mine[n++] = took;
                            }
                        } catch (Throwable e) {
                            failure[0] = e;
                        } finally {
                            done[client] = n;
                            lat[client] = Arrays.copyOf(mine, n);
                            finished.countDown();
                        }
                    },
                    "bench-door-client-" + c);
            thread.start();
        }
        Thread.sleep(seconds * 1000L);
        stop.set(true);
        finished.await();
        if (failure[0] != null) {
            throw new IllegalStateException("a client failed", failure[0]);
        }
        if (latencies != null) {
            latencies.addAll(Arrays.asList(lat));
        }
        return Arrays.stream(done).sum();
    }

    // ---- 2. table open --------------------------------------------------------------------------

    static void tableOpen(Http http, TestDatabase db) throws Exception {
        int commits = 10_000;
        int filesPerCommit = 10;
        http.post("/api/v1/tables", createTable("bench", "big"), 201);
        long loadStart = System.nanoTime();
        try (Connection c = db.connect();
                Statement s = c.createStatement()) {
            s.execute("SET search_path = metadata");
            String id = "(SELECT id FROM tables WHERE catalog = 'bench' AND schema = 's' AND name = 'big')";
            String addJson = "json_build_object('path', 'part-' || v || '-' || i || '.parquet', 'partitionValues',"
                    + " '{}'::json, 'size', 1000 + i, 'modificationTime', 1700000000000, 'dataChange', true,"
                    + " 'stats', '{\"numRecords\":100}')::text";
            s.execute("INSERT INTO files (table_id, path, added_version, size, action)"
                    + " SELECT " + id + ", 'part-' || v || '-' || i || '.parquet', v, 1000 + i, " + addJson
                    + " FROM generate_series(1, " + commits + ") v, generate_series(1, " + filesPerCommit + ") i");
            s.execute("INSERT INTO commits (table_id, version, committed_at, operation, actions, num_files, size_bytes)"
                    + " SELECT " + id + ", v, now() + v * interval '1 millisecond', 'WRITE',"
                    + " jsonb_build_array(jsonb_build_object('commitInfo', jsonb_build_object('operation', 'WRITE',"
                    + " 'inCommitTimestamp', 0))) || (SELECT jsonb_agg(jsonb_build_object('add', " + addJson
                    + "::jsonb)) FROM generate_series(1, " + filesPerCommit + ") i),"
                    + " v * " + filesPerCommit + ", v * " + filesPerCommit + " * 1000 + v * 55"
                    + " FROM generate_series(1, " + commits + ") v");
            s.execute("UPDATE tables SET current_version = " + commits + ", last_committed_at = now() + " + commits
                    + " * interval '1 millisecond' WHERE id = " + id);
            s.execute("ANALYZE files");
            s.execute("ANALYZE commits");
        }
        System.out.printf(
                Locale.ROOT,
                "%n[2] table open: %d commits, %d live files (loaded with SQL in %.1f s)%n",
                commits,
                commits * filesPerCommit,
                (System.nanoTime() - loadStart) / 1e9);

        String snapshot = "/api/v1/tables/bench.s.big/snapshot";
        for (int i = 0; i < 50; i++) {
            http.get(snapshot, null);
        }
        long[] snap = new long[300];
        for (int i = 0; i < snap.length; i++) {
            long t0 = System.nanoTime();
            String body = http.get(snapshot, null);
            snap[i] = System.nanoTime() - t0;
            if (i == 0 && !body.contains("\"num_files\":" + commits * filesPerCommit)) {
                throw new IllegalStateException("unexpected snapshot " + body);
            }
        }
        Arrays.sort(snap);
        System.out.printf(
                Locale.ROOT,
                "    snapshot metadata call: p50 %.2f ms, p99 %.2f ms (target p50 <= 10 ms)%n",
                ms(percentile(snap, 50)),
                ms(percentile(snap, 99)));

        String files = "/api/v1/tables/bench.s.big/snapshot/files";
        http.countLines(files, "application/x-ndjson");
        long[] stream = new long[10];
        for (int i = 0; i < stream.length; i++) {
            long t0 = System.nanoTime();
            long lines = http.countLines(files, "application/x-ndjson");
            stream[i] = System.nanoTime() - t0;
            if (lines != (long) commits * filesPerCommit) {
                throw new IllegalStateException("streamed " + lines + " files");
            }
        }
        Arrays.sort(stream);
        System.out.printf(
                Locale.ROOT,
                "    stream all %d files as NDJSON: p50 %.0f ms, max %.0f ms (target <= 500 ms)%n",
                commits * filesPerCommit,
                ms(percentile(stream, 50)),
                ms(stream[stream.length - 1]));
    }

    // ---- helpers --------------------------------------------------------------------------------

    static String createTable(String catalog, String name) {
        return "{\"catalog_name\":\"" + catalog + "\",\"schema_name\":\"s\",\"name\":\"" + name + "\",\"schema\":"
                + "{\"type\":\"struct\",\"fields\":[{\"name\":\"id\",\"type\":\"long\",\"nullable\":false,"
                + "\"metadata\":{}}]}}";
    }

    /** The 1, 5 and 15 minute load averages: on a shared machine, how much of it this run had. */
    static String loadAverage() {
        try {
            String[] f = Files.readString(Path.of("/proc/loadavg")).split(" ");
            return f[0] + " " + f[1] + " " + f[2];
        } catch (IOException e) {
            return "n/a";
        }
    }

    static long percentile(long[] sorted, double p) {
        int index = (int) Math.ceil(p / 100.0 * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, index))];
    }

    static double percentile(double[] sorted, double p) {
        int index = (int) Math.ceil(p / 100.0 * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, index))];
    }

    static double ms(long nanos) {
        return nanos / 1e6;
    }

    /**
     * A minimal blocking keep-alive HTTP/1.1 client over one socket, one per benchmark thread. The
     * clients share the two cores with the server, so they must cost as little CPU as possible (the
     * JDK HttpClient's async machinery costs more than the requests it measures).
     */
    static final class Http {
        private final String host;
        private final int port;
        private Socket socket;
        private BufferedInputStream in;
        private OutputStream out;

        Http(String base) {
            URI uri = URI.create(base);
            this.host = uri.getHost();
            this.port = uri.getPort();
        }

        Http copy() {
            return new Http(base());
        }

        /** The service's base URL. */
        String base() {
            return "http://" + host + ":" + port;
        }

        String post(String path, String json, int expectedStatus) throws IOException {
            Response response = send("POST", path, null, json.getBytes(StandardCharsets.UTF_8), false);
            if (response.status() != expectedStatus) {
                throw new IllegalStateException(path + " -> " + response.status() + " " + response.body());
            }
            return response.body();
        }

        String get(String path, String accept) throws IOException {
            Response response = send("GET", path, accept, null, false);
            if (response.status() != 200) {
                throw new IllegalStateException(path + " -> " + response.status() + " " + response.body());
            }
            return response.body();
        }

        /** GETs a streamed body and returns how many lines it had, without keeping it. */
        long countLines(String path, String accept) throws IOException {
            Response response = send("GET", path, accept, null, true);
            if (response.status() != 200) {
                throw new IllegalStateException(path + " -> " + response.status());
            }
            return response.lines();
        }

        record Response(int status, String body, long lines) {}

        private Response send(String method, String path, String accept, byte[] body, boolean countOnly)
                throws IOException {
            if (socket != null) {
                try {
                    return exchange(method, path, accept, body, countOnly);
                } catch (IOException e) {
                    // the server closed an idle keep-alive connection: reconnect once
                    socket.close();
                    socket = null;
                }
            }
            return exchange(method, path, accept, body, countOnly);
        }

        private Response exchange(String method, String path, String accept, byte[] body, boolean countOnly)
                throws IOException {
            if (socket == null) {
                socket = new Socket(host, port);
                socket.setTcpNoDelay(true);
                in = new BufferedInputStream(socket.getInputStream(), 64 * 1024);
                out = new BufferedOutputStream(socket.getOutputStream(), 16 * 1024);
            }
            StringBuilder head = new StringBuilder(256)
                    .append(method)
                    .append(' ')
                    .append(path)
                    .append(" HTTP/1.1\r\n")
                    .append("Host: ")
                    .append(host)
                    .append(':')
                    .append(port)
                    .append("\r\n")
                    .append("Authorization: Bearer ")
                    .append(KEY)
                    .append("\r\n");
            if (accept != null) {
                head.append("Accept: ").append(accept).append("\r\n");
            }
            if (body != null) {
                head.append("Content-Type: application/json\r\nContent-Length: ")
                        .append(body.length)
                        .append("\r\n");
            }
            head.append("\r\n");
            out.write(head.toString().getBytes(StandardCharsets.US_ASCII));
            if (body != null) {
                out.write(body);
            }
            out.flush();

            String statusLine = readLine();
            int status = Integer.parseInt(statusLine.substring(9, 12));
            long length = -1;
            boolean chunked = false;
            for (String line = readLine(); !line.isEmpty(); line = readLine()) {
                String lower = line.toLowerCase(Locale.ROOT);
                if (lower.startsWith("content-length:")) {
                    length = Long.parseLong(line.substring(15).trim());
                } else if (lower.startsWith("transfer-encoding:") && lower.contains("chunked")) {
                    chunked = true;
                }
            }
            Sink sink = new Sink(countOnly);
            if (chunked) {
                for (long size = Long.parseLong(readLine().trim(), 16);
                        size > 0;
                        size = Long.parseLong(readLine().trim(), 16)) {
                    sink.copy(in, size);
                    readLine();
                }
                readLine();
            } else if (length > 0) {
                sink.copy(in, length);
            }
            return new Response(status, sink.text(), sink.lines);
        }

        private String readLine() throws IOException {
            StringBuilder line = new StringBuilder(64);
            for (int b = in.read(); b != '\n'; b = in.read()) {
                if (b < 0) {
                    throw new IOException("connection closed");
                }
                if (b != '\r') {
                    line.append((char) b);
                }
            }
            return line.toString();
        }

        private static final class Sink {
            private final boolean countOnly;
            private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            private final byte[] buffer = new byte[64 * 1024];
            long lines;

            Sink(boolean countOnly) {
                this.countOnly = countOnly;
            }

            void copy(InputStream from, long size) throws IOException {
                long left = size;
                while (left > 0) {
                    int n = from.read(buffer, 0, (int) Math.min(buffer.length, left));
                    if (n < 0) {
                        throw new IOException("connection closed");
                    }
                    if (countOnly) {
                        for (int i = 0; i < n; i++) {
                            if (buffer[i] == '\n') {
                                lines++;
                            }
                        }
                    } else {
                        bytes.write(buffer, 0, n);
                    }
                    left -= n;
                }
            }

            String text() {
                return bytes.toString(StandardCharsets.UTF_8);
            }
        }
    }
}
