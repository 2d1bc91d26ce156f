package io.deltaplane.storage.bench;

import com.azure.storage.blob.BlobServiceClientBuilder;
import io.deltaplane.storage.AzureBlobStorage;
import io.deltaplane.storage.Storage;
import io.deltaplane.testing.AzuriteServer;
import io.deltaplane.testing.MachineCpu;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * How many {@code _delta_log}-sized conditional creates Azurite serves per second on this machine,
 * with nothing of Deltaplane's running but the storage client: the ceiling any publisher on the
 * emulator works under. Writers each put 600-byte objects one after the other, as a table's
 * versions are published; the run is repeated at 1, 4, 16 and 32 writers.
 *
 * <pre>tools/bench libs/storage io.deltaplane.storage.bench.PutCeilingBenchmark</pre>
 *
 * {@code -Dbench.seconds=10} per step (default), {@code -Dbench.writers=1,4,16,32}.
 */
public final class PutCeilingBenchmark {

    private PutCeilingBenchmark() {}

    public static void main(String[] args) throws Exception {
        int seconds = Integer.getInteger("bench.seconds", 10);
        int[] writers = Arrays.stream(
                        System.getProperty("bench.writers", "1,4,16,32").split(","))
                .mapToInt(Integer::parseInt)
                .toArray();
        byte[] commitFile = "{\"commitInfo\":{}}\n".repeat(35).getBytes(StandardCharsets.UTF_8);
        try (AzuriteServer azurite = AzuriteServer.start()) {
            new BlobServiceClientBuilder()
                    .connectionString(azurite.connectionString())
                    .buildClient()
                    .createBlobContainer("ceiling");
            Storage storage = AzureBlobStorage.fromEnvironment(
                    Map.of("AZURE_STORAGE_CONNECTION_STRING", azurite.connectionString()));
            String root = "abfss://ceiling@" + AzuriteServer.ACCOUNT + ".dfs.core.windows.net/t";
            run(storage, root + "/warmup", 4, Math.max(5, seconds / 2), commitFile, false);
            for (int n : writers) {
                run(storage, root + "/w" + n, n, seconds, commitFile, true);
            }
        }
    }

    private static void run(Storage storage, String root, int writers, int seconds, byte[] content, boolean print)
            throws Exception {
        long end = System.nanoTime() + seconds * 1_000_000_000L;
        MachineCpu cpuBefore = MachineCpu.now();
        ExecutorService pool = Executors.newFixedThreadPool(writers);
        List<Future<List<Long>>> results = new ArrayList<>();
        for (int w = 0; w < writers; w++) {
            String table = root + "/table-" + w + "/_delta_log/";
            results.add(pool.submit(() -> {
                List<Long> micros = new ArrayList<>();
                for (long v = 0; System.nanoTime() < end; v++) {
                    long start = System.nanoTime();
                    if (!storage.putIfAbsent(table + String.format(Locale.ROOT, "%020d.json", v), content)) {
                        throw new IllegalStateException("a fresh name existed");
                    }
                    micros.add((System.nanoTime() - start) / 1_000);
                }
                return micros;
            }));
        }
        List<Long> all = new ArrayList<>();
        for (Future<List<Long>> result : results) {
            all.addAll(result.get());
        }
        pool.shutdown();
        MachineCpu cpuAfter = MachineCpu.now();
        if (!print) {
            return;
        }
        all.sort(null);
        System.out.printf(
                Locale.ROOT,
                "RESULT store=azurite writers=%d puts_per_s=%.0f p50_ms=%.1f p99_ms=%.1f machine_busy_pct=%.0f%n",
                writers,
                all.size() / (double) seconds,
                all.get(all.size() / 2) / 1000.0,
                all.get((int) (all.size() * 0.99)) / 1000.0,
                cpuAfter.busyPercentSince(cpuBefore));
    }
}
