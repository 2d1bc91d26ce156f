package io.deltaplane.metadata.bench;

import io.deltaplane.testing.TestDatabase;
import io.deltaplane.testing.TestHttp;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * What recording the audit trail costs the commit path: two metadata-service apps in this JVM, on
 * databases of their own on the same Postgres, one recording every commit in the audit trail (the
 * default) and one with {@code deltaplane.audit.enabled=false}; both check grants (a metastore
 * admin's key, as a pipeline's). The same writers commit to one app, then the other, in short
 * alternating slices, so both see the same machine; each slice prints its figures, the RESULT line
 * the medians and the spread of the per-pair ratios.
 *
 * <pre>
 * tools/bench metadata-service io.deltaplane.metadata.bench.AuditOverheadBenchmark
 * BENCH_JAVA_OPTS="-Dbench.writers=8 -Dbench.slices=6 -Dbench.slice.seconds=5" tools/bench ...
 * </pre>
 */
public final class AuditOverheadBenchmark {

    private static final String KEY = "bench-admin-key-audit-0001";

    public static void main(String[] args) throws Exception {
        int writers = Integer.getInteger("bench.writers", 8);
        int slices = Integer.getInteger("bench.slices", 6);
        int sliceSeconds = Integer.getInteger("bench.slice.seconds", 5);
        int warmupSlices = Integer.getInteger("bench.warmup.slices", 2);
        try (BenchStore store = BenchStore.start("local")) {
            ConfigurableApplicationContext on =
                    store.startMetadataService(TestDatabase.createAnother(), KEY, List.of());
            ConfigurableApplicationContext off = store.startMetadataService(
                    TestDatabase.createAnother(), KEY, List.of("--deltaplane.audit.enabled=false"));
            try {
                Target auditOn = Target.prepare("audit_on", on, writers);
                Target auditOff = Target.prepare("audit_off", off, writers);
                System.out.printf(
                        "== Audit on against off: %d writers, %d s slices, %d warm-up + %d measured pairs, %d cores%n",
                        writers,
                        sliceSeconds,
                        warmupSlices,
                        slices,
                        Runtime.getRuntime().availableProcessors());
                for (int i = 0; i < warmupSlices; i++) {
                    slice(auditOn, writers, sliceSeconds);
                    slice(auditOff, writers, sliceSeconds);
                }
                double[] onRates = new double[slices];
                double[] offRates = new double[slices];
                double[] ratios = new double[slices];
                for (int i = 0; i < slices; i++) {
                    // alternate which goes first, so neither always follows the other
                    Slice a =
                            i % 2 == 0 ? slice(auditOn, writers, sliceSeconds) : slice(auditOff, writers, sliceSeconds);
                    Slice b =
                            i % 2 == 0 ? slice(auditOff, writers, sliceSeconds) : slice(auditOn, writers, sliceSeconds);
                    Slice onSlice = i % 2 == 0 ? a : b;
                    Slice offSlice = i % 2 == 0 ? b : a;
                    onRates[i] = onSlice.perSecond();
                    offRates[i] = offSlice.perSecond();
                    ratios[i] = onRates[i] / offRates[i];
                    System.out.printf(
                            "pair %d: audit on %.0f commits/s p99 %.1f ms | off %.0f commits/s p99 %.1f ms | ratio %.2f%n",
                            i + 1, onRates[i], onSlice.p99Millis(), offRates[i], offSlice.p99Millis(), ratios[i]);
                }
                double[] sorted = ratios.clone();
                Arrays.sort(sorted);
                System.out.printf(
                        "RESULT audit_on_commits_per_s=%.0f audit_off_commits_per_s=%.0f ratio=%.2f ratio_spread=%.2f..%.2f"
                                + " %s%n",
                        median(onRates),
                        median(offRates),
                        median(ratios),
                        sorted[0],
                        sorted[sorted.length - 1],
                        io.deltaplane.testing.MachineCpu.loadAverage());
            } finally {
                on.close();
                off.close();
            }
        }
    }

    /** One app and its tables, one per writer, with the version each is at. */
    private record Target(String name, TestHttp http, String[] tables, long[] versions) {
        static Target prepare(String name, ConfigurableApplicationContext app, int writers) {
            TestHttp http =
                    TestHttp.local(app.getEnvironment().getRequiredProperty("local.server.port", Integer.class), KEY);
            check(http.post("/api/v1/catalogs", "{\"name\":\"bench\"}"), 201);
            check(http.post("/api/v1/schemas", "{\"catalog_name\":\"bench\",\"name\":\"s\"}"), 201);
            String[] tables = new String[writers];
            for (int w = 0; w < writers; w++) {
                tables[w] = "bench.s.t" + w;
                check(
                        http.post(
                                "/api/v1/tables",
                                "{\"catalog_name\":\"bench\",\"schema_name\":\"s\",\"name\":\"t" + w + "\",\"schema\":"
                                        + "{\"type\":\"struct\",\"fields\":[{\"name\":\"id\",\"type\":\"long\","
                                        + "\"nullable\":false,\"metadata\":{}}]}}"),
                        201);
            }
            return new Target(name, http, tables, new long[writers]);
        }
    }

    private record Slice(long commits, long nanos, long[] latencies) {
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

    /** Every writer commits one add at a time to its own table of {@code target} for {@code seconds}. */
    private static Slice slice(Target target, int writers, int seconds) throws InterruptedException {
        AtomicBoolean stop = new AtomicBoolean();
        CountDownLatch done = new CountDownLatch(writers);
        List<List<Long>> latencies = new ArrayList<>();
        for (int w = 0; w < writers; w++) {
            List<Long> mine = new ArrayList<>();
            latencies.add(mine);
            int writer = w;
            Thread thread = new Thread(() -> {
                try {
                    while (!stop.get()) {
                        long start = System.nanoTime();
                        HttpResponse<String> response = target.http()
                                .post(
                                        "/api/v1/tables/" + target.tables()[writer] + "/commits",
                                        "{\"expected_version\":" + target.versions()[writer]
                                                + ",\"actions\":[{\"add\":{"
                                                + "\"path\":\"part-" + UUID.randomUUID()
                                                + ".parquet\",\"partitionValues\":{},"
                                                + "\"size\":100,\"modificationTime\":1700000000000,\"dataChange\":true}}]}");
                        check(response, 201);
                        mine.add(System.nanoTime() - start);
                        target.versions()[writer]++;
                    }
                } finally {
                    done.countDown();
                }
            });
            thread.setDaemon(true);
            thread.start();
        }
        long begin = System.nanoTime();
        Thread.sleep(seconds * 1000L);
        stop.set(true);
        done.await();
        long nanos = System.nanoTime() - begin;
        long[] all = latencies.stream()
                .flatMap(List::stream)
                .mapToLong(Long::longValue)
                .toArray();
        return new Slice(all.length, nanos, all);
    }

    private static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }

    private static void check(HttpResponse<String> response, int status) {
        if (response.statusCode() != status) {
            throw new IllegalStateException(
                    "expected " + status + ", got " + response.statusCode() + ": " + response.body());
        }
    }
}
