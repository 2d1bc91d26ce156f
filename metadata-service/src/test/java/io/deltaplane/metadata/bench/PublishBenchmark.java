package io.deltaplane.metadata.bench;

import io.delta.kernel.Snapshot;
import io.delta.kernel.TableManager;
import io.delta.kernel.engine.Engine;
import io.deltaplane.metadata.commit.CommitIntent;
import io.deltaplane.metadata.commit.CommitPipeline;
import io.deltaplane.metadata.deltalog.DeltaLogNames;
import io.deltaplane.metadata.publish.KernelReader;
import io.deltaplane.metadata.publish.PublishProperties;
import io.deltaplane.metadata.table.TableRepository;
import io.deltaplane.storage.Storage;
import io.deltaplane.storage.Storages;
import io.deltaplane.storage.StoredFile;
import io.deltaplane.testing.TestDatabase;
import io.deltaplane.testing.TestHttp;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.distribution.ValueAtPercentile;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import org.springframework.context.ConfigurableApplicationContext;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Publishing benchmark (a program, not a test). Runs the real metadata-service in this JVM on a
 * throw-away Postgres database and a temp warehouse, then prints:
 *
 * <ol>
 *   <li>publish lag p50/p99 (commit's in-commit timestamp → its {@code _delta_log} file visible)
 *       while committing {@code bench.rate} commits/s (default 200) for {@code bench.seconds} (60);
 *       target p99 ≤ 1 s; on each store named in {@code bench.storage} (comma-separated: {@code
 *       local}, {@code s3} — S3Proxy in this JVM — and {@code azurite} — the Azure emulator from
 *       tools/azurite; default {@code local}), one after the other in the same run, each with the
 *       warehouse on that store ({@code DELTAPLANE_WAREHOUSE_URI}), ending with a {@code RESULT} line.
 *       Two figures: as a reader sees it (a watcher listing each table's {@code _delta_log} from its
 *       next version every {@code bench.watch.ms}, default 25; {@code -Dbench.watch=head} probes
 *       each version instead) and as the publisher records it ({@code deltaplane.publish.delay}, the
 *       store's acknowledgement of the put). S3Proxy runs in a JVM of its own unless {@code
 *       -Dbench.s3.jvm=shared}. Each store first gets the same load on an app of its own, not
 *       counted, until the JIT settles ({@code -Dbench.warmup=jit}, the default, see {@link
 *       #warmUpUntilTheJitSettles}) or for {@code -Dbench.warmup=<seconds>}. {@code -Dbench.publish.workers=N} runs the
 *       service with {@code deltaplane.publish.workers=N} (default: the service's own default), as
 *       does passing {@code --deltaplane.publish.workers=N} as an argument;
 *   <li>table open through the API vs Delta Kernel reading the published log with checkpoints, warm,
 *       on a table of {@code bench.open.commits} (10,000) commits × {@code bench.open.files} (10) adds:
 *       snapshot metadata, and metadata + the full live file list; target ≥ 10× faster via the API
 *       (once, on the first store: the API never touches storage).
 * </ol>
 *
 * <pre>./mvnw -q -o -pl metadata-service test-compile exec:java -Dexec.classpathScope=test \
 *   -Dexec.mainClass=io.deltaplane.metadata.bench.PublishBenchmark -Dexec.cleanupDaemonThreads=false -Dbench.seconds=60</pre>
 */
public final class PublishBenchmark {

    private static final String KEY = "bench-admin-key-0123456789";
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final String SCHEMA = "{\"type\":\"struct\",\"fields\":["
            + "{\"name\":\"id\",\"type\":\"long\",\"nullable\":false,\"metadata\":{}},"
            + "{\"name\":\"v\",\"type\":\"string\",\"nullable\":true,\"metadata\":{}}]}";

    private PublishBenchmark() {}

    public static void main(String[] args) throws Exception {
        int seconds = Integer.getInteger("bench.seconds", 60);
        int rate = Integer.getInteger("bench.rate", 200);
        int lagTables = Integer.getInteger("bench.tables", 4);
        int openCommits = Integer.getInteger("bench.open.commits", 10_000);
        int filesPerCommit = Integer.getInteger("bench.open.files", 10);
        int iterations = Integer.getInteger("bench.open.iterations", 10);
        String warmup = System.getProperty("bench.warmup", "jit");

        List<String> stores =
                List.of(System.getProperty("bench.storage", "local").split(","));
        String workers = System.getProperty("bench.publish.workers");
        if (workers != null) {
            List<String> withWorkers = new ArrayList<>(List.of(args));
            withWorkers.add("--deltaplane.publish.workers=" + Integer.parseInt(workers.strip()));
            args = withWorkers.toArray(String[]::new);
        }
        boolean first = true;
        List<String> results = new ArrayList<>();
        for (String store : stores) {
            try (BenchStore objectStore = BenchStore.start(store.strip())) {
                // The same load first, on an app and database of its own, so the JIT has compiled
                // the service, the SDK and (in its own JVM) S3Proxy before anything is counted; a
                // fresh app after it starts with fresh timers in the same warm JVM.
                if (warmup.equals("jit")) {
                    warmUpUntilTheJitSettles(objectStore, args, rate, lagTables);
                } else if (Integer.parseInt(warmup) > 0) {
                    run(objectStore, args, "warm-up, not counted", Integer.parseInt(warmup), rate, lagTables, 0, 0, 0);
                }
                results.add(run(
                        objectStore,
                        args,
                        "measured",
                        seconds,
                        rate,
                        lagTables,
                        first ? openCommits : 0,
                        filesPerCommit,
                        iterations));
            }
            first = false;
        }
        System.out.println();
        results.forEach(System.out::println);
    }

    /**
     * {@code -Dbench.warmup=jit} (the default): the measured load on an app and database of its own,
     * in slices of {@link MetadataBenchmark#WARMUP_SLICE_SECONDS} s, each on tables of its own (so
     * no table's log grows past what one slice commits: the watcher lists them), until this JVM's
     * compiler threads use less than {@link MetadataBenchmark#JIT_SETTLED_MS} ms of CPU per commit
     * over a slice, at most {@code -Dbench.warmup.max=300} s. With a fixed 10 s warm-up C2 still
     * took 30-40 % of a core through the measured window, on the same two cores as the store.
     */
    private static void warmUpUntilTheJitSettles(BenchStore store, String[] args, int rate, int tables)
            throws Exception {
        List<Long> self = List.of(ProcessHandle.current().pid());
        ConfigurableApplicationContext app = startApp(store, args);
        try {
            TestHttp http = client(app);
            MetadataBenchmark.untilTheJitSettles(
                    (slice, seconds) -> {
                        System.out.printf(
                                "%n== Publish lag on %s: %d commits/s over %d tables for %d s (warm-up slice %d, not counted)%n",
                                store.name(), rate, tables, seconds, slice);
                        publishLag(
                                http,
                                store,
                                app.getBean(MeterRegistry.class),
                                "warm" + slice + "_",
                                rate,
                                tables,
                                seconds);
                        return (long) rate * seconds;
                    },
                    () -> CpuParts.compilerThreads(self));
        } finally {
            app.close();
        }
    }

    /**
     * A fresh database and a fresh app with its warehouse on this store, holding the catalog and
     * schema every benchmark table goes in.
     */
    private static ConfigurableApplicationContext startApp(BenchStore store, String[] args) throws Exception {
        ConfigurableApplicationContext app =
                store.startMetadataService(TestDatabase.createAnother(), KEY, List.of(args));
        try {
            TestHttp http = client(app);
            check(http.post("/api/v1/catalogs", "{\"name\":\"bench\"}"), 201);
            check(http.post("/api/v1/schemas", "{\"catalog_name\":\"bench\",\"name\":\"s\"}"), 201);
            return app;
        } catch (RuntimeException e) {
            app.close();
            throw e;
        }
    }

    private static TestHttp client(ConfigurableApplicationContext app) {
        return TestHttp.local(app.getEnvironment().getRequiredProperty("local.server.port", Integer.class), KEY);
    }

    /** One store: a fresh database and a fresh app with its warehouse there; the RESULT line. */
    private static String run(
            BenchStore store,
            String[] args,
            String phase,
            int seconds,
            int rate,
            int lagTables,
            int openCommits,
            int filesPerCommit,
            int iterations)
            throws Exception {
        ConfigurableApplicationContext app = startApp(store, args);
        try {
            TestHttp http = client(app);

            publishOneVersion(http, phase.equals("measured") ? "primer" : "warm_primer");
            System.out.printf(
                    "%n== Publish lag on %s: %d commits/s over %d tables for %d s (%s)%n",
                    store.name(), rate, lagTables, seconds, phase);
            // Table names of their own per phase: the tables' locations on the store outlive the app.
            String tablePrefix = phase.equals("measured") ? "lag" : "warm";
            String result =
                    publishLag(http, store, app.getBean(MeterRegistry.class), tablePrefix, rate, lagTables, seconds)
                            + " workers=" + app.getBean(PublishProperties.class).workers();

            if (openCommits > 0) {
                System.out.printf("%n== Table open: %d commits x %d files%n", openCommits, filesPerCommit);
                tableOpen(app, http, openCommits, filesPerCommit, iterations);
            }
            return result;
        } finally {
            app.close();
        }
    }

    // ---- 1. publish lag -------------------------------------------------------------------------

    private static String publishLag(
            TestHttp http,
            BenchStore store,
            MeterRegistry meters,
            String tablePrefix,
            int rate,
            int tables,
            int seconds)
            throws Exception {
        Storages storages = Storages.fromEnvironment(store.environment());
        List<String> names = new ArrayList<>();
        List<String> logs = new ArrayList<>();
        for (int t = 0; t < tables; t++) {
            String name = tablePrefix + t;
            createTable(http, name);
            names.add("bench.s." + name);
            logs.add(location(http, "bench.s." + name) + "/_delta_log/");
        }
        Storage storage = storages.forLocation(logs.get(0));
        List<Map<Long, Long>> committedAt = new ArrayList<>();
        List<Map<Long, Long>> ackedAt = new ArrayList<>();
        List<Map<Long, Long>> seenAt = new ArrayList<>();
        for (int t = 0; t < tables; t++) {
            committedAt.add(new ConcurrentHashMap<>());
            ackedAt.add(new ConcurrentHashMap<>());
            seenAt.add(new ConcurrentHashMap<>());
        }
        // How the benchmark sees a version appear: on an object store one listing per table from the
        // next expected name on (Storage.filesFrom: S3 StartAfter, Azure startFrom) every
        // bench.watch.ms, which returns every version published since, so the watcher's load on the
        // store does not grow with the commit rate; -Dbench.watch=head probes each next version
        // with a HEAD instead (one request per version and per table and poll). Locally a file
        // check every millisecond.
        boolean objectStore = store.warehouse() != null;
        String watch = System.getProperty("bench.watch", objectStore ? "list" : "head");
        int watchMillis = Integer.getInteger("bench.watch.ms", objectStore ? 25 : 1);
        AtomicLong watchRequests = new AtomicLong();
        AtomicLong outOfOrder = new AtomicLong();
        AtomicLong listingGaps = new AtomicLong();
        AtomicBoolean watching = new AtomicBoolean(true);
        Thread watcher = new Thread(() -> {
            long[] next = new long[tables];
            Arrays.fill(next, 1);
            while (watching.get()) {
                for (int t = 0; t < tables; t++) {
                    if (watch.equals("list")) {
                        watchRequests.incrementAndGet();
                        for (StoredFile file : filesFrom(storage, logs.get(t), commitName(next[t]))) {
                            OptionalLong version = DeltaLogNames.commitVersion(file.name());
                            if (version.isEmpty()) {
                                continue; // a checkpoint, _last_checkpoint
                            }
                            if (version.getAsLong() != next[t]) {
                                // v+1 listed without v. Is v there? Then the listing was no snapshot
                                // (S3Proxy's file system backend reads the directory while files are
                                // created); if not, the publisher broke the order: counted apart.
                                if (exists(storage, logs.get(t) + commitName(next[t]))) {
                                    listingGaps.incrementAndGet();
                                } else {
                                    outOfOrder.incrementAndGet();
                                }
                                break;
                            }
                            seenAt.get(t).put(next[t], System.currentTimeMillis());
                            next[t]++;
                        }
                    } else {
                        while (true) {
                            watchRequests.incrementAndGet();
                            if (!exists(storage, logs.get(t) + commitName(next[t]))) {
                                break;
                            }
                            seenAt.get(t).put(next[t], System.currentTimeMillis());
                            next[t]++;
                        }
                    }
                }
                sleepQuietly(watchMillis);
            }
        });
        watcher.setDaemon(true);
        double[] loadBefore = loadAverage();
        long watchStart = System.nanoTime();
        watcher.start();

        long periodNanos = 1_000_000_000L * tables / rate;
        long start = System.nanoTime();
        long end = start + seconds * 1_000_000_000L;
        List<Thread> committers = new ArrayList<>();
        for (int t = 0; t < tables; t++) {
            int table = t;
            Thread committer = new Thread(() -> {
                long version = 0;
                long due = start + table * periodNanos / tables;
                while (due < end) {
                    long wait = due - System.nanoTime();
                    if (wait > 0) {
                        sleepQuietly(wait / 1_000_000, (int) (wait % 1_000_000));
                    }
                    HttpResponse<String> r = commit(http, names.get(table), version, List.of(add("f" + version)));
                    long acked = System.currentTimeMillis();
                    JsonNode body = check(r, 201);
                    version = body.get("version").asLong();
                    ackedAt.get(table).put(version, acked);
                    committedAt
                            .get(table)
                            .put(
                                    version,
                                    Instant.parse(body.get("committed_at").asString())
                                            .toEpochMilli());
                    due += periodNanos;
                }
            });
            committers.add(committer);
            committer.start();
        }
        for (Thread committer : committers) {
            committer.join();
        }
        double elapsed = (System.nanoTime() - start) / 1e9;
        long deadline = System.currentTimeMillis() + 60_000;
        while (System.currentTimeMillis() < deadline && !allSeen(committedAt, seenAt)) {
            sleepQuietly(10);
        }
        watching.set(false);
        watcher.join();

        double watchedSeconds = (System.nanoTime() - watchStart) / 1e9;
        double[] loadAfter = loadAverage();

        List<Long> lags = lags(committedAt, seenAt);
        List<Long> fromAck = lags(ackedAt, seenAt);
        long commits = lags.size();
        System.out.printf("warehouse: %s%n", store.where());
        System.out.printf(
                "commits: %d in %.1f s = %.0f commits/s (target %d)%n", commits, elapsed, commits / elapsed, rate);
        System.out.printf(
                "publish lag ms, as a reader sees it: p50 %d  p99 %d  max %s   (target p99 <= 1000 ms)%n",
                percentile(lags, 0.50), percentile(lags, 0.99), lags.isEmpty() ? "-" : fmt(lags.get(lags.size() - 1)));
        System.out.printf(
                "  (from the in-commit timestamp, taken when the commit starts, to the watcher seeing the file;"
                        + " from the commit's HTTP 201: p50 %d  p99 %d ms)%n",
                percentile(fromAck, 0.50), percentile(fromAck, 0.99));
        System.out.printf("  p50 by tenth of the run, in commit order: %s ms%n", lagOverTime(committedAt, seenAt, 10));
        System.out.printf(
                "  watcher: %s every %d ms, %d requests = %.0f/s; a version listed before the one ahead of it:"
                        + " %d times with that one there on a HEAD right after (a listing that is no snapshot),"
                        + " %d times with it missing (out of order)%n",
                watch.equals("list") ? "one listing per table from its next version (filesFrom)" : "HEAD per version",
                watchMillis,
                watchRequests.get(),
                watchRequests.get() / watchedSeconds,
                listingGaps.get(),
                outOfOrder.get());
        if (outOfOrder.get() > 0) {
            System.out.println("  ALARM: a version was visible before the one ahead of it");
        }
        Timer delay = meters.find("deltaplane.publish.delay").timer();
        double publisherP50 = percentileMillis(delay, 0.5);
        double publisherP99 = percentileMillis(delay, 0.99);
        System.out.printf(
                "publish lag ms, as the publisher records it: p50 %.0f  p99 %.0f  max %.0f over %d versions%n"
                        + "  (deltaplane.publish.delay: in-commit timestamp to the store acknowledging the put;"
                        + " S3 and Azure read after write, so the file is then visible; histogram percentiles)%n",
                publisherP50,
                publisherP99,
                delay == null ? -1 : delay.max(TimeUnit.MILLISECONDS),
                delay == null ? 0 : delay.count());
        Timer put = meters.find("deltaplane.publish.put").timer();
        double putP50 = percentileMillis(put, 0.5);
        System.out.printf(
                "  one commit file's put, as the publisher times it: p50 %.1f  p99 %.1f  mean %.1f ms over %d puts"
                        + " -> at most %.0f versions/s per table (%d/s needed)%n",
                putP50,
                percentileMillis(put, 0.99),
                put == null ? -1 : put.mean(TimeUnit.MILLISECONDS),
                put == null ? 0 : put.count(),
                put == null || put.mean(TimeUnit.MILLISECONDS) <= 0 ? -1 : 1000 / put.mean(TimeUnit.MILLISECONDS),
                rate / tables);
        System.out.printf(
                "load average (1 min) before %.2f, after %.2f on %d cores%n",
                loadBefore[0], loadAfter[0], Runtime.getRuntime().availableProcessors());
        return ("RESULT storage=%s commits_per_s=%.0f publish_lag_p50_ms=%d publish_lag_p99_ms=%d"
                        + " publisher_p50_ms=%.0f publisher_p99_ms=%.0f put_p50_ms=%.1f target_p99_ms=1000"
                        + " load=%.1f")
                .formatted(
                        store.name(),
                        commits / elapsed,
                        percentile(lags, 0.50),
                        percentile(lags, 0.99),
                        publisherP50,
                        publisherP99,
                        putP50,
                        loadAfter[0]);
    }

    private static String commitName(long version) {
        return String.format("%020d.json", version);
    }

    private static List<StoredFile> filesFrom(Storage storage, String directory, String from) {
        try {
            return storage.filesFrom(directory, from);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static double percentileMillis(Timer timer, double p) {
        if (timer == null) {
            return -1;
        }
        for (ValueAtPercentile v : timer.takeSnapshot().percentileValues()) {
            if (v.percentile() == p) {
                return v.value(TimeUnit.MILLISECONDS);
            }
        }
        return -1;
    }

    /** The 1-, 5- and 15-minute load averages (Linux), to say how busy the shared machine was. */
    private static double[] loadAverage() {
        try {
            String[] parts = java.nio.file.Files.readString(java.nio.file.Path.of("/proc/loadavg"))
                    .split(" ");
            return new double[] {
                Double.parseDouble(parts[0]), Double.parseDouble(parts[1]), Double.parseDouble(parts[2])
            };
        } catch (java.io.IOException | RuntimeException e) {
            return new double[] {-1, -1, -1};
        }
    }

    private static boolean exists(Storage storage, String path) {
        try {
            return storage.exists(path);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static List<Long> lags(List<Map<Long, Long>> from, List<Map<Long, Long>> seenAt) {
        List<Long> lags = new ArrayList<>();
        for (int t = 0; t < from.size(); t++) {
            for (Map.Entry<Long, Long> e : from.get(t).entrySet()) {
                Long seen = seenAt.get(t).get(e.getKey());
                lags.add(seen == null ? Long.MAX_VALUE : Math.max(0, seen - e.getValue()));
            }
        }
        Collections.sort(lags);
        return lags;
    }

    /** The lag's p50 per window of commit time: whether it is steady or grows as the run goes on. */
    private static String lagOverTime(List<Map<Long, Long>> committed, List<Map<Long, Long>> seenAt, int windows) {
        long first = Long.MAX_VALUE;
        long last = Long.MIN_VALUE;
        for (Map<Long, Long> table : committed) {
            for (long at : table.values()) {
                first = Math.min(first, at);
                last = Math.max(last, at);
            }
        }
        List<List<Long>> byWindow = new ArrayList<>();
        for (int w = 0; w < windows; w++) {
            byWindow.add(new ArrayList<>());
        }
        long span = Math.max(1, last - first + 1);
        for (int t = 0; t < committed.size(); t++) {
            for (Map.Entry<Long, Long> e : committed.get(t).entrySet()) {
                Long seen = seenAt.get(t).get(e.getKey());
                int w = (int) ((e.getValue() - first) * windows / span);
                byWindow.get(w).add(seen == null ? Long.MAX_VALUE : Math.max(0, seen - e.getValue()));
            }
        }
        List<String> parts = new ArrayList<>();
        for (List<Long> lags : byWindow) {
            Collections.sort(lags);
            parts.add(lags.isEmpty() ? "-" : fmt(percentile(lags, 0.5)));
        }
        return String.join(" ", parts);
    }

    private static boolean allSeen(List<Map<Long, Long>> committed, List<Map<Long, Long>> seen) {
        for (int t = 0; t < committed.size(); t++) {
            if (!seen.get(t).keySet().containsAll(committed.get(t).keySet())) {
                return false;
            }
        }
        return true;
    }

    // ---- 2. table open ----------------------------------------------------------------------------

    private static void tableOpen(
            ConfigurableApplicationContext app, TestHttp http, int commits, int filesPerCommit, int iterations)
            throws Exception {
        createTable(http, "big");
        String table = "bench.s.big";
        UUID tableId = UUID.fromString(
                check(http.get("/api/v1/tables/" + table), 200).get("table_id").asString());
        // Loaded through the core's internal commit API (same validation and SQL as HTTP commits,
        // without the HTTP round trip): how the table is built is not what is measured here.
        CommitPipeline pipeline = app.getBean(CommitPipeline.class);
        TableRepository rows = app.getBean(TableRepository.class);
        long loadStart = System.nanoTime();
        for (int v = 0; v < commits; v++) {
            List<JsonNode> adds = new ArrayList<>(filesPerCommit);
            for (int f = 0; f < filesPerCommit; f++) {
                adds.add(JSON.readTree(add(String.format("part-%06d-%02d", v, f))));
            }
            pipeline.commit(CommitIntent.Next.byThePlatform(
                    rows.findById(tableId).orElseThrow(), v, adds, Instant.now(), null));
            if ((v + 1) % 2000 == 0 || v + 1 == commits) {
                System.out.printf(
                        "  loaded %d commits (%.0f commits/s)%n",
                        v + 1, (v + 1) / ((System.nanoTime() - loadStart) / 1e9));
            }
        }
        long latest = commits;
        boolean checkpoints = app.getEnvironment().getProperty("deltaplane.publish.checkpoints", Boolean.class, true);
        int interval = app.getEnvironment().getProperty("deltaplane.publish.checkpoint-interval", Integer.class, 10);
        long checkpointAt = checkpoints ? latest / interval * interval : -1;
        long waitStart = System.nanoTime();
        JsonNode status = check(http.get("/api/v1/tables/" + table + "/publish"), 200);
        while (status.get("published_version").asLong() < latest
                || (checkpointAt > 0
                        && (!status.hasNonNull("last_checkpoint_version")
                                || status.get("last_checkpoint_version").asLong() < checkpointAt))) {
            sleepQuietly(200);
            status = check(http.get("/api/v1/tables/" + table + "/publish"), 200);
        }
        System.out.printf(
                "  published through %d with checkpoint %d (%.1f s after the last commit)%n",
                status.get("published_version").asLong(),
                status.get("last_checkpoint_version").asLong(),
                (System.nanoTime() - waitStart) / 1e9);
        String location = location(http, table);
        Engine engine = KernelReader.ENGINE;
        long expectedFiles = (long) commits * filesPerCommit;

        LongSupplier apiMetadata = () -> {
            JsonNode s = check(http.get("/api/v1/tables/" + table + "/snapshot"), 200);
            return s.get("version").asLong();
        };
        LongSupplier apiFull = () -> {
            apiMetadata.getAsLong();
            HttpResponse<String> files =
                    http.get("/api/v1/tables/" + table + "/snapshot/files", "Accept", "application/x-ndjson");
            return files.body().lines().count();
        };
        LongSupplier kernelMetadata = () -> {
            Snapshot s = TableManager.loadSnapshot(location).build(engine);
            s.getSchema();
            s.getPartitionColumnNames();
            return s.getVersion();
        };
        LongSupplier kernelFull = () -> {
            Snapshot s = TableManager.loadSnapshot(location).build(engine);
            s.getSchema();
            return KernelReader.livePaths(s, location).size();
        };
        check("API metadata version", apiMetadata.getAsLong(), latest);
        check("Kernel metadata version", kernelMetadata.getAsLong(), latest);
        check("API live files", apiFull.getAsLong(), expectedFiles);
        check("Kernel live files", kernelFull.getAsLong(), expectedFiles);

        double apiMeta = medianMillis(apiMetadata, iterations);
        double kernelMeta = medianMillis(kernelMetadata, iterations);
        double apiFiles = medianMillis(apiFull, iterations);
        double kernelFiles = medianMillis(kernelFull, iterations);
        System.out.printf(
                "open (snapshot metadata):  API %8.1f ms   Delta Kernel %8.1f ms   ratio %.1fx%n",
                apiMeta, kernelMeta, kernelMeta / apiMeta);
        System.out.printf(
                "open + all %d live files: API %8.1f ms   Delta Kernel %8.1f ms   ratio %.1fx%n",
                expectedFiles, apiFiles, kernelFiles, kernelFiles / apiFiles);
        System.out.println("(target: API >= 10x faster; medians of " + iterations + " warm runs, same JVM)");
    }

    private static double medianMillis(LongSupplier run, int iterations) {
        for (int i = 0; i < 3; i++) {
            run.getAsLong(); // warm-up
        }
        double[] times = new double[iterations];
        for (int i = 0; i < iterations; i++) {
            long t0 = System.nanoTime();
            run.getAsLong();
            times[i] = (System.nanoTime() - t0) / 1e6;
        }
        Arrays.sort(times);
        return times[iterations / 2];
    }

    // ---- helpers ------------------------------------------------------------------------------------

    /**
     * Commits one version to a table of its own and waits until it is published: the app's first
     * publish builds the storage client and opens its first connections (seconds on a busy machine),
     * which a service does once at start, not in the window measured — at 12.5 versions/s per table a
     * backlog built then is never worked off, since a table's puts run at about the commit rate.
     */
    private static void publishOneVersion(TestHttp http, String name) throws InterruptedException {
        createTable(http, name);
        check(commit(http, "bench.s." + name, 0, List.of(add("primer"))), 201);
        long deadline = System.nanoTime() + 60_000_000_000L;
        while (check(http.get("/api/v1/tables/bench.s." + name + "/publish"), 200)
                        .get("published_version")
                        .asLong()
                < 1) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("The primer version was not published within 60 s");
            }
            Thread.sleep(10);
        }
    }

    private static void createTable(TestHttp http, String name) {
        check(
                http.post(
                        "/api/v1/tables",
                        "{\"catalog_name\":\"bench\",\"schema_name\":\"s\",\"name\":\"" + name + "\",\"schema\":"
                                + SCHEMA + "}"),
                201);
    }

    private static String location(TestHttp http, String table) {
        return check(http.get("/api/v1/tables/" + table), 200).get("location").asString();
    }

    private static HttpResponse<String> commit(TestHttp http, String table, long expected, List<String> actions) {
        return http.post(
                "/api/v1/tables/" + table + "/commits",
                "{\"expected_version\":" + expected + ",\"actions\":[" + String.join(",", actions) + "]}");
    }

    private static String add(String name) {
        return "{\"add\":{\"path\":\"" + name + "-" + UUID.randomUUID() + ".parquet\",\"partitionValues\":{},"
                + "\"size\":1048576,\"modificationTime\":1700000000000,\"dataChange\":true,"
                + "\"stats\":\"{\\\"numRecords\\\":1000}\"}}";
    }

    private static JsonNode check(HttpResponse<String> response, int status) {
        if (response.statusCode() != status) {
            throw new IllegalStateException("HTTP " + response.statusCode() + ": " + response.body());
        }
        return response.body().isEmpty() ? null : JSON.readTree(response.body());
    }

    private static void check(String what, long actual, long expected) {
        if (actual != expected) {
            throw new IllegalStateException(what + ": expected " + expected + ", got " + actual);
        }
    }

    private static long percentile(List<Long> sorted, double p) {
        if (sorted.isEmpty()) {
            return -1;
        }
        return sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(p * sorted.size()) - 1));
    }

    private static String fmt(long millis) {
        return millis == Long.MAX_VALUE ? "never published" : Long.toString(millis);
    }

    private static void sleepQuietly(long millis) {
        sleepQuietly(millis, 0);
    }

    private static void sleepQuietly(long millis, int nanos) {
        try {
            Thread.sleep(millis, nanos);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
