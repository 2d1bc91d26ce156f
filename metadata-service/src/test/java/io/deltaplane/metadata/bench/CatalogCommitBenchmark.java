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
 * goes first; the RESULT line is the 16-writer median.
 *
 * <pre>
 * tools/bench metadata-service io.deltaplane.metadata.bench.CatalogCommitBenchmark
 * BENCH_JAVA_OPTS="-Dbench.writers=1,4,16 -Dbench.seconds=10 -Dbench.rounds=2" tools/bench ...
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
        try (BenchStore store = BenchStore.start(storage)) {
            Engine engine;
            String filesystemRoot;
            if (storage.equals("s3")) {
                // Kernel's engine doing its file I/O over the AWS SDK (the platform's S3 storage): both
                // sides' commits are put-if-absent writes to the same S3 server
                engine = io.deltaplane.metadata.deltalog.DeltaKernelEngines.over(
                        io.deltaplane.storage.S3Storage.fromEnvironment(store.environment()));
                filesystemRoot = "s3://lake/filesystem-tables";
            } else {
                Configuration conf = new Configuration();
                conf.set("fs.file.impl", "org.apache.hadoop.fs.RawLocalFileSystem");
                conf.setBoolean("fs.file.impl.disable.cache", true);
                engine = DefaultEngine.create(conf);
                filesystemRoot = null;
            }
            ConfigurableApplicationContext app =
                    store.startMetadataService(TestDatabase.createAnother(), KEY, List.of());
            try {
                int port = app.getEnvironment().getRequiredProperty("local.server.port", Integer.class);
                TestHttp http = TestHttp.local(port, KEY);
                http.post("/api/v1/catalogs", "{\"name\":\"bench\"}");
                http.post("/api/v1/schemas", "{\"catalog_name\":\"bench\",\"name\":\"s\"}");
                UCDeltaTokenBasedRestClient uc =
                        io.deltaplane.metadata.unity.UnityClients.delta("http://localhost:" + port, KEY);
                System.out.printf(
                        "== Kernel commits through the catalog against straight to _delta_log: writers %s, %d s"
                                + " slices, %d pairs each, on %s, %d cores%n",
                        Arrays.toString(writerCounts),
                        seconds,
                        rounds,
                        store.where(),
                        Runtime.getRuntime().availableProcessors());
                Result last = null;
                for (int writers : writerCounts) {
                    double[] catalog = new double[rounds];
                    double[] filesystem = new double[rounds];
                    double[] p99 = new double[rounds];
                    double[] fsP99 = new double[rounds];
                    for (int round = 0; round < rounds; round++) {
                        Supplier<Slice> cat = () -> catalogSlice(uc, engine, writers, seconds);
                        Supplier<Slice> fs = () -> filesystemSlice(engine, filesystemRoot, writers, seconds);
                        long[] split = new long[4];
                        Slice a = timed(round % 2 == 0 ? fs : cat, split, 0);
                        Slice b = timed(round % 2 == 0 ? cat : fs, split, 2);
                        Slice c = round % 2 == 0 ? b : a;
                        Slice f = round % 2 == 0 ? a : b;
                        catalog[round] = c.perSecond();
                        filesystem[round] = f.perSecond();
                        p99[round] = c.p99Millis();
                        fsP99[round] = f.p99Millis();
                        int ci = round % 2 == 0 ? 2 : 0;
                        int fi = round % 2 == 0 ? 0 : 2;
                        System.out.printf(
                                "   time per landed commit: catalog load %.0f ms + commit %.0f ms | filesystem load"
                                        + " %.0f ms + commit %.0f ms%n",
                                split[ci] / 1e6 / Math.max(1, c.commits()),
                                split[ci + 1] / 1e6 / Math.max(1, c.commits()),
                                split[fi] / 1e6 / Math.max(1, f.commits()),
                                split[fi + 1] / 1e6 / Math.max(1, f.commits()));
                        System.out.printf(
                                "%2d writers, pair %d: catalog %.1f commits/s p99 %.0f ms (%d lost races) |"
                                        + " filesystem %.1f commits/s p99 %.0f ms (%d lost races) | ratio %.2f%n",
                                writers,
                                round + 1,
                                catalog[round],
                                p99[round],
                                c.retries(),
                                filesystem[round],
                                fsP99[round],
                                f.retries(),
                                catalog[round] / filesystem[round]);
                    }
                    last = new Result(writers, median(catalog), median(filesystem), median(p99), median(fsP99));
                    System.out.printf(
                            "%2d writers: catalog %.1f commits/s, filesystem %.1f commits/s, ratio %.2f%n",
                            writers, last.catalog(), last.filesystem(), last.catalog() / last.filesystem());
                }
                System.out.printf(
                        "RESULT writers=%d storage=%s catalog_commits_per_s=%.1f filesystem_commits_per_s=%.1f"
                                + " ratio=%.2f p99_ms=%.0f filesystem_p99_ms=%.0f%n",
                        last.writers(),
                        storage,
                        last.catalog(),
                        last.filesystem(),
                        last.catalog() / last.filesystem(),
                        last.p99(),
                        last.filesystemP99());
            } finally {
                app.close();
            }
        }
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

    private record Result(int writers, double catalog, double filesystem, double p99, double filesystemP99) {}

    private record Slice(long commits, long retries, long nanos, long[] latencies) {
        double perSecond() {
            return commits * 1e9 / nanos;
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
        CountDownLatch done = new CountDownLatch(writers);
        List<List<Long>> latencies = new ArrayList<>();
        long begin = System.nanoTime();
        for (int w = 0; w < writers; w++) {
            List<Long> mine = new ArrayList<>();
            latencies.add(mine);
            Thread thread = new Thread(() -> {
                try {
                    while (!stop.get()) {
                        long start = System.nanoTime();
                        retries.addAndGet(commitOne(load, engine, path, runHooks));
                        if (!stop.get()) {
                            mine.add(System.nanoTime() - start);
                        }
                    }
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
        long nanos = System.nanoTime() - begin;
        long[] all = latencies.stream()
                .flatMap(List::stream)
                .mapToLong(Long::longValue)
                .toArray();
        return new Slice(all.length, retries.get(), nanos, all);
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
