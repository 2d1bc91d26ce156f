package io.deltaplane.metadata.bench;

import io.delta.kernel.Operation;
import io.delta.kernel.Snapshot;
import io.delta.kernel.Transaction;
import io.delta.kernel.TransactionCommitResult;
import io.delta.kernel.data.Row;
import io.delta.kernel.defaults.engine.DefaultEngine;
import io.delta.kernel.engine.Engine;
import io.delta.kernel.exceptions.ConcurrentWriteException;
import io.delta.kernel.hook.PostCommitHook;
import io.delta.kernel.types.LongType;
import io.delta.kernel.types.StructType;
import io.delta.kernel.unitycatalog.UCCatalogManagedClient;
import io.delta.kernel.unitycatalog.UCTableIdentifier;
import io.delta.kernel.utils.CloseableIterable;
import io.delta.kernel.utils.CloseableIterator;
import io.delta.kernel.utils.DataFileStatus;
import io.delta.storage.commit.TableIdentifier;
import io.delta.storage.commit.uccommitcoordinator.UCDeltaModels.StagingTableInfo;
import io.delta.storage.commit.uccommitcoordinator.UCDeltaTokenBasedRestClient;
import io.deltaplane.testing.TestDatabase;
import io.deltaplane.testing.TestHttp;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.apache.hadoop.conf.Configuration;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Delta Kernel writers committing <b>through Deltaplane</b> (a catalog-managed table: each commit
 * staged, then ratified and published by the catalog) against the <b>same Kernel writers committing
 * straight to {@code _delta_log}</b> (a filesystem table: put-if-absent, list-and-retry on a lost
 * race), on the same storage ({@code -Dbench.storage=local}, the default, or {@code s3}: S3Proxy,
 * Kernel's file I/O over the AWS SDK), in one run: 1, 4 and 16 writers appending to one table each
 * time.
 * Every commit adds one file; a writer that loses a race reloads and tries again, and only commits
 * that landed count. Each writer count runs {@code bench.rounds} pairs of slices, alternating which
 * goes first; a RESULT line per writer count and store latency gives the medians. On {@code s3}
 * each side reaches the store through a {@link LatencyProxy} that holds every request for {@code
 * bench.store.latency.ms} (default 20, about S3 Standard's first-byte latency for small objects; the
 * run measures 0 and that) and counts them: the service's requests and Kernel's, per landed commit.
 *
 * <pre>
 * tools/bench metadata-service io.deltaplane.metadata.bench.CatalogCommitBenchmark
 * BENCH_JAVA_OPTS="-Dbench.storage=s3 -Dbench.store.latency.ms=20 -Dbench.writers=1,4,16" tools/bench ...
 * </pre>
 */
public final class CatalogCommitBenchmark {

    private static final String KEY = "bench-admin-key-catalog-0001";
    private static final StructType SCHEMA = new StructType().add("id", LongType.LONG);

    public static void main(String[] args) throws Exception {
        int[] writerCounts = Arrays.stream(
                        System.getProperty("bench.writers", "1,4,16").split(","))
                .mapToInt(Integer::parseInt)
                .toArray();
        int seconds = Integer.getInteger("bench.seconds", 10);
        int rounds = Integer.getInteger("bench.rounds", 2);
        String storage = System.getProperty("bench.storage", "local");
        long latency = Long.getLong("bench.store.latency.ms", 20);
        try (BenchStore started = BenchStore.start(storage)) {
            BenchStore store = started;
            Engine engine;
            String filesystemRoot;
            LatencyProxy serviceProxy = null;
            LatencyProxy kernelProxy = null;
            long[] latencies = {0};
            if (storage.equals("s3")) {
                // One proxy per side in front of the same S3 server, each holding every request for
                // the latency and counting them: Kernel's file I/O (both kinds of table) and the catalog's.
                int s3Port = java.net
                        .URI
                        .create(store.environment().get("AWS_ENDPOINT_URL_S3"))
                        .getPort();
                serviceProxy = LatencyProxy.start(s3Port, 0);
                kernelProxy = LatencyProxy.start(s3Port, 0);
                store = store.withEndpoint("http://127.0.0.1:" + serviceProxy.port());
                // Kernel's engine doing its file I/O over the AWS SDK (the platform's S3 storage): both
                // sides' commits are put-if-absent writes to the same S3 server
                engine = io.deltaplane.metadata.deltalog.DeltaKernelEngines.over(
                        io.deltaplane.storage.S3Storage.fromEnvironment(
                                started.withEndpoint("http://127.0.0.1:" + kernelProxy.port())
                                        .environment()));
                filesystemRoot = "s3://lake/filesystem-tables";
                latencies = Arrays.stream(System.getProperty("bench.latencies", "0," + latency)
                                .split(","))
                        .mapToLong(Long::parseLong)
                        .toArray();
            } else {
                Configuration conf = new Configuration();
                conf.set("fs.file.impl", "org.apache.hadoop.fs.RawLocalFileSystem");
                conf.setBoolean("fs.file.impl.disable.cache", true);
                engine = DefaultEngine.create(conf);
                filesystemRoot = null;
            }
            ConfigurableApplicationContext app =
                    store.startMetadataService(TestDatabase.createAnother(), KEY, serviceArguments());
            try {
                int port = app.getEnvironment().getRequiredProperty("local.server.port", Integer.class);
                TestHttp http = TestHttp.local(port, KEY);
                http.post("/api/v1/catalogs", "{\"name\":\"bench\"}");
                http.post("/api/v1/schemas", "{\"catalog_name\":\"bench\",\"name\":\"s\"}");
                UCDeltaTokenBasedRestClient uc =
                        io.deltaplane.metadata.unity.UnityClients.delta("http://localhost:" + port, KEY);
                System.out.printf(
                        "== Kernel commits through the catalog against straight to _delta_log: writers %s, %d s"
                                + " slices, %d pairs each, store latency %s ms, on %s, %d cores%n",
                        Arrays.toString(writerCounts),
                        seconds,
                        rounds,
                        Arrays.toString(latencies),
                        store.where(),
                        Runtime.getRuntime().availableProcessors());
                List<String> results = new ArrayList<>();
                for (long delay : latencies) {
                    if (serviceProxy != null) {
                        serviceProxy.delayMillis(delay);
                        kernelProxy.delayMillis(delay);
                    }
                    for (int writers : writerCounts) {
                        results.add(measure(
                                writers,
                                delay,
                                rounds,
                                storage,
                                serviceProxy,
                                kernelProxy,
                                () -> catalogSlice(uc, engine, writers, seconds),
                                () -> filesystemSlice(engine, filesystemRoot, writers, seconds)));
                    }
                }
                results.forEach(System.out::println);
            } finally {
                app.close();
                if (serviceProxy != null) {
                    serviceProxy.close();
                    kernelProxy.close();
                }
            }
        }
    }

    /** Settings for the service under test ({@code -Dbench.service.args=--a=1,--b=2}), e.g. another checkpoint cadence. */
    private static List<String> serviceArguments() {
        String given = System.getProperty("bench.service.args", "");
        return given.isBlank() ? List.of() : List.of(given.split(","));
    }

    /**
     * {@code rounds} pairs of slices for one writer count at one latency, alternating which goes
     * first; prints each pair and answers the RESULT line of the medians.
     */
    private static String measure(
            int writers,
            long latency,
            int rounds,
            String storage,
            LatencyProxy serviceProxy,
            LatencyProxy kernelProxy,
            Supplier<Slice> cat,
            Supplier<Slice> fs) {
        double[] catalog = new double[rounds];
        double[] filesystem = new double[rounds];
        double[] p99 = new double[rounds];
        double[] fsP99 = new double[rounds];
        double[] firstTry = new double[rounds];
        double[] fsFirstTry = new double[rounds];
        double[] serviceRequests = new double[rounds];
        double[] catalogKernelRequests = new double[rounds];
        double[] fsKernelRequests = new double[rounds];
        for (int round = 0; round < rounds; round++) {
            long[] split = new long[4];
            long[] requests = new long[4];
            boolean fsFirst = round % 2 == 0;
            Slice a = counted(fsFirst ? fs : cat, split, 0, requests, serviceProxy, kernelProxy);
            Slice b = counted(fsFirst ? cat : fs, split, 2, requests, serviceProxy, kernelProxy);
            Slice c = fsFirst ? b : a;
            Slice f = fsFirst ? a : b;
            int ci = fsFirst ? 2 : 0;
            int fi = fsFirst ? 0 : 2;
            catalog[round] = c.perSecond();
            filesystem[round] = f.perSecond();
            p99[round] = c.p99Millis();
            fsP99[round] = f.p99Millis();
            firstTry[round] = c.firstAttemptRate();
            fsFirstTry[round] = f.firstAttemptRate();
            serviceRequests[round] = (double) requests[ci] / Math.max(1, c.commits());
            catalogKernelRequests[round] = (double) requests[ci + 1] / Math.max(1, c.commits());
            fsKernelRequests[round] = (double) requests[fi + 1] / Math.max(1, f.commits());
            System.out.printf(
                    "   time per landed commit: catalog load %.0f ms + commit %.0f ms | filesystem load"
                            + " %.0f ms + commit %.0f ms%n",
                    split[ci] / 1e6 / Math.max(1, c.commits()),
                    split[ci + 1] / 1e6 / Math.max(1, c.commits()),
                    split[fi] / 1e6 / Math.max(1, f.commits()),
                    split[fi + 1] / 1e6 / Math.max(1, f.commits()));
            System.out.printf(
                    "%2d writers, %d ms, pair %d: catalog %.1f commits/s p99 %.0f ms first try %.0f%%"
                            + " (store requests per commit: service %.1f, Kernel %.1f) | filesystem %.1f commits/s"
                            + " p99 %.0f ms first try %.0f%% (Kernel %.1f) | ratio %.2f%n",
                    writers,
                    latency,
                    round + 1,
                    catalog[round],
                    p99[round],
                    100 * firstTry[round],
                    serviceRequests[round],
                    catalogKernelRequests[round],
                    filesystem[round],
                    fsP99[round],
                    100 * fsFirstTry[round],
                    fsKernelRequests[round],
                    catalog[round] / filesystem[round]);
        }
        return String.format(
                "RESULT writers=%d latency_ms=%d storage=%s catalog_commits_per_s=%.1f filesystem_commits_per_s=%.1f"
                        + " ratio=%.2f p99_ms=%.0f filesystem_p99_ms=%.0f first_attempt_success=%.2f"
                        + " filesystem_first_attempt_success=%.2f service_store_requests_per_commit=%.1f"
                        + " catalog_kernel_store_requests_per_commit=%.1f filesystem_store_requests_per_commit=%.1f %s",
                writers,
                latency,
                storage,
                median(catalog),
                median(filesystem),
                median(catalog) / median(filesystem),
                median(p99),
                median(fsP99),
                median(firstTry),
                median(fsFirstTry),
                median(serviceRequests),
                median(catalogKernelRequests),
                median(fsKernelRequests),
                io.deltaplane.testing.MachineCpu.loadAverage());
    }

    /**
     * Runs a slice, keeping its load and commit nanoseconds at {@code split[at]} and {@code
     * split[at + 1]}, and the store requests the service and Kernel made meanwhile at {@code
     * requests[at]} and {@code requests[at + 1]} (zero without proxies).
     */
    private static Slice counted(
            Supplier<Slice> slice,
            long[] split,
            int at,
            long[] requests,
            LatencyProxy serviceProxy,
            LatencyProxy kernelProxy) {
        if (serviceProxy != null) {
            serviceProxy.takeRequests();
            kernelProxy.takeRequests();
        }
        Slice result = timed(slice, split, at);
        if (serviceProxy != null) {
            requests[at] = serviceProxy.takeRequests();
            requests[at + 1] = kernelProxy.takeRequests();
        }
        return result;
    }

    /** Runs a slice and keeps its load and commit nanoseconds at {@code split[at]} and {@code split[at + 1]}. */
    private static Slice timed(Supplier<Slice> slice, long[] split, int at) {
        LOAD_NANOS.set(0);
        COMMIT_NANOS.set(0);
        Slice result = slice.get();
        split[at] = LOAD_NANOS.get();
        split[at + 1] = COMMIT_NANOS.get();
        return result;
    }

    private record Slice(long commits, long retries, long firstAttempts, long nanos, long[] latencies) {
        double perSecond() {
            return commits * 1e9 / nanos;
        }

        /** The share of landed commits that landed at their first attempt. */
        double firstAttemptRate() {
            return commits == 0 ? Double.NaN : (double) firstAttempts / commits;
        }

        double p99Millis() {
            if (latencies.length == 0) {
                return Double.NaN;
            }
            long[] sorted = latencies.clone();
            Arrays.sort(sorted);
            return sorted[(int) Math.min(sorted.length - 1, Math.ceil(sorted.length * 0.99) - 1)] / 1e6;
        }
    }

    /** A fresh catalog-managed table, created by Kernel through the catalog; writers commit through it. */
    private static Slice catalogSlice(UCDeltaTokenBasedRestClient uc, Engine engine, int writers, int seconds) {
        String name = "t" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        StagingTableInfo staged;
        try {
            staged = uc.createStagingTable(new TableIdentifier(new String[] {"bench", "s"}, name));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        UCCatalogManagedClient kernel = new UCCatalogManagedClient(uc);
        UCTableIdentifier ucName = new UCTableIdentifier("bench", "s", name);
        String id = staged.getTableId().toString();
        String path = staged.getLocation();
        kernel.buildCreateTableTransaction(id, path, SCHEMA, "bench", ucName)
                .build(engine)
                .commit(engine, CloseableIterable.emptyIterable());
        return run(
                writers,
                seconds,
                () -> kernel.loadSnapshot(engine, id, path, ucName, Optional.empty(), Optional.empty()),
                engine,
                path,
                false);
    }

    /**
     * A fresh filesystem table in a temp directory (or under {@code root} on object storage); writers
     * commit to its _delta_log directly.
     */
    private static Slice filesystemSlice(Engine engine, String root, int writers, int seconds) {
        String path;
        try {
            path = root != null
                    ? root + "/t" + UUID.randomUUID().toString().replace("-", "")
                    : Files.createTempDirectory("deltaplane-bench-fs-").toUri().toString();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        io.delta.kernel.TableManager.buildCreateTableTransaction(path, SCHEMA, "bench")
                .build(engine)
                .commit(engine, CloseableIterable.emptyIterable());
        return run(
                writers,
                seconds,
                () -> io.delta.kernel.TableManager.loadSnapshot(path).build(engine),
                engine,
                path,
                true);
    }

    private static Slice run(
            int writers, int seconds, Supplier<Snapshot> load, Engine engine, String path, boolean runHooks) {
        AtomicBoolean stop = new AtomicBoolean();
        AtomicLong retries = new AtomicLong();
        AtomicLong firstAttempts = new AtomicLong();
        CountDownLatch done = new CountDownLatch(writers);
        // a writer that dies would leave the slice's figures to the survivors: the run fails instead
        java.util.concurrent.atomic.AtomicReference<Throwable> died =
                new java.util.concurrent.atomic.AtomicReference<>();
        List<List<Long>> latencies = new ArrayList<>();
        long begin = System.nanoTime();
        for (int w = 0; w < writers; w++) {
            List<Long> mine = new ArrayList<>();
            latencies.add(mine);
            Thread thread = new Thread(() -> {
                try {
                    while (!stop.get()) {
                        long start = System.nanoTime();
                        long lost = commitOne(load, engine, path, runHooks);
                        if (!stop.get()) {
                            mine.add(System.nanoTime() - start);
                            retries.addAndGet(lost);
                            if (lost == 0) {
                                firstAttempts.incrementAndGet();
                            }
                        }
                    }
                } catch (RuntimeException | Error e) {
                    died.compareAndSet(null, e);
                } finally {
                    done.countDown();
                }
            });
            thread.setDaemon(true);
            thread.start();
        }
        try {
            Thread.sleep(seconds * 1000L);
            stop.set(true);
            done.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        if (died.get() != null) {
            throw new IllegalStateException(
                    "a writer died; the slice would have counted only the others' commits", died.get());
        }
        long nanos = System.nanoTime() - begin;
        long[] all = latencies.stream()
                .flatMap(List::stream)
                .mapToLong(Long::longValue)
                .toArray();
        return new Slice(all.length, retries.get(), firstAttempts.get(), nanos, all);
    }

    /** Where a slice's time went, over all its writers: loading snapshots, and committing. */
    static final AtomicLong LOAD_NANOS = new AtomicLong();

    static final AtomicLong COMMIT_NANOS = new AtomicLong();

    /** Commits one version adding one file; answers how many races it lost first. */
    private static long commitOne(Supplier<Snapshot> load, Engine engine, String path, boolean runHooks) {
        for (long lost = 0; ; lost++) {
            long started = System.nanoTime();
            Snapshot snapshot = load.get();
            long loaded = System.nanoTime();
            LOAD_NANOS.addAndGet(loaded - started);
            Transaction txn = snapshot.buildUpdateTableTransaction("bench", Operation.WRITE)
                    .build(engine);
            Row state = txn.getTransactionState(engine);
            CloseableIterator<Row> actions = Transaction.generateAppendActions(
                    engine,
                    state,
                    io.delta.kernel.internal.util.Utils.toCloseableIterator(List.of(new DataFileStatus(
                                    path + "/part-" + UUID.randomUUID() + ".parquet",
                                    1024,
                                    1_700_000_000_000L,
                                    Optional.empty()))
                            .iterator()),
                    Transaction.getWriteContext(engine, state, Map.of()));
            long committing = System.nanoTime();
            try {
                TransactionCommitResult result;
                try {
                    result = txn.commit(engine, CloseableIterable.inMemoryIterable(actions));
                } finally {
                    COMMIT_NANOS.addAndGet(System.nanoTime() - committing);
                }
                if (runHooks) {
                    // A filesystem writer keeps its own table healthy: Kernel's checkpoint hooks.
                    for (PostCommitHook hook : result.getPostCommitHooks()) {
                        try {
                            hook.threadSafeInvoke(engine);
                        } catch (java.io.IOException | RuntimeException e) {
                            // another writer's checkpoint of the same version; the next one follows
                        }
                    }
                }
                return lost;
            } catch (ConcurrentWriteException e) {
                // lost a race Kernel could not rebase: reload and try again
            }
        }
    }

    private static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted.length % 2 == 1
                ? sorted[sorted.length / 2]
                : (sorted[sorted.length / 2 - 1] + sorted[sorted.length / 2]) / 2;
    }

    private CatalogCommitBenchmark() {}
}
