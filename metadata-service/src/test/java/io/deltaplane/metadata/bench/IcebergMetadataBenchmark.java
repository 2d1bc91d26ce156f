package io.deltaplane.metadata.bench;

import io.delta.kernel.Scan;
import io.delta.kernel.Snapshot;
import io.delta.kernel.TableManager;
import io.delta.kernel.data.FilteredColumnarBatch;
import io.delta.kernel.utils.CloseableIterator;
import io.deltaplane.metadata.publish.KernelReader;
import io.deltaplane.testing.IcebergReader;
import io.deltaplane.testing.TestDatabase;
import io.deltaplane.testing.TestHttp;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.net.http.HttpResponse;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.iceberg.FileScanTask;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.io.CloseableIterable;
import org.apache.iceberg.rest.RESTCatalog;
import org.springframework.context.ConfigurableApplicationContext;
import tools.jackson.databind.json.JsonMapper;

/**
 * What making a table's Iceberg metadata costs (a program, not a test), against the Delta commit it
 * follows, measured in the same run on the same table:
 *
 * <ol>
 *   <li>{@code bench.commits} (2,000; the figure is 10,000) commits of 10 files each through
 *       {@code /api/v1}, each followed by an Iceberg {@code loadTable} that converts that one version;
 *       {@code delta_commit_ms_p50} is the commit's round trip, {@code iceberg_conversion_ms_p50} the
 *       conversion alone ({@code deltaplane.iceberg.conversion}, the service's own timer), reported for
 *       the first and the last 50 commits, and {@code conversion_ratio} is conversion ÷ commit at the
 *       end;
 *   <li>a table of {@code bench.files} (100,000) files in 10 commits: {@code load_table_ms_p99} over
 *       100 loads once converted, Iceberg's {@code planFiles} of it through Iceberg's own client, and
 *       Delta Kernel's scan of the same version from the published log (with its checkpoint).
 * </ol>
 *
 * <pre>tools/bench metadata-service io.deltaplane.metadata.bench.IcebergMetadataBenchmark</pre>
 */
public final class IcebergMetadataBenchmark {

    private static final String KEY = "bench-admin-key-0123456789";
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final int WINDOW = 50;

    private IcebergMetadataBenchmark() {}

    public static void main(String[] args) throws Exception {
        int commits = Integer.getInteger("bench.commits", 2_000);
        int files = Integer.getInteger("bench.files", 100_000);
        try (BenchStore store = BenchStore.start("local")) {
            ConfigurableApplicationContext app = store.startMetadataService(
                    TestDatabase.get(),
                    KEY,
                    List.of("--deltaplane.iceberg.background=false", "--deltaplane.maintenance.auto-enabled=false"));
            try {
                run(app, commits, files);
            } finally {
                app.close();
            }
        }
    }

    private static void run(ConfigurableApplicationContext app, int commits, int files) throws Exception {
        int port = app.getEnvironment().getRequiredProperty("local.server.port", Integer.class);
        TestHttp http = TestHttp.local(port, KEY);
        Timer conversion = app.getBean(MeterRegistry.class).timer("deltaplane.iceberg.conversion");
        check(http.post("/api/v1/catalogs", "{\"name\":\"bench\"}"), 201);
        check(http.post("/api/v1/schemas", "{\"catalog_name\":\"bench\",\"name\":\"s\"}"), 201);
        createTable(http, "many");
        createTable(http, "big");

        double[] commitMs = new double[commits];
        double[] convertMs = new double[commits];
        String load = "/api/2.1/unity-catalog/iceberg/v1/catalogs/bench/namespaces/s/tables/many?snapshots=refs";
        check(http.get(load), 200); // version 0 converted, outside the measurement
        for (int c = 0; c < commits; c++) {
            String body = commitBody(c, 10);
            long t0 = System.nanoTime();
            check(http.post("/api/v1/tables/bench.s.many/commits", body), 201);
            commitMs[c] = (System.nanoTime() - t0) / 1e6;
            double before = conversion.totalTime(TimeUnit.NANOSECONDS);
            check(http.get(load), 200);
            convertMs[c] = (conversion.totalTime(TimeUnit.NANOSECONDS) - before) / 1e6;
            if ((c + 1) % 500 == 0) {
                System.out.printf(
                        "%,d commits: commit p50 %.2f ms, conversion p50 %.2f ms (last %d)%n",
                        c + 1, p(commitMs, c + 1 - WINDOW, c + 1, 50), p(convertMs, c + 1 - WINDOW, c + 1, 50), WINDOW);
            }
        }
        double commitFirst = p(commitMs, 0, Math.min(WINDOW, commits), 50);
        double convertFirst = p(convertMs, 0, Math.min(WINDOW, commits), 50);
        double commitLast = p(commitMs, commits - WINDOW, commits, 50);
        double convertLast = p(convertMs, commits - WINDOW, commits, 50);

        // a table of many files: 10 commits, then its load, planFiles and Kernel's scan
        int perCommit = files / 10;
        for (int c = 0; c < 10; c++) {
            check(http.post("/api/v1/tables/bench.s.big/commits", commitBody(c * perCommit, perCommit)), 201);
        }
        String bigLoad = "/api/2.1/unity-catalog/iceberg/v1/catalogs/bench/namespaces/s/tables/big";
        long c0 = System.nanoTime();
        check(http.get(bigLoad), 200);
        double bigConvertS = (System.nanoTime() - c0) / 1e9;
        double[] loads = new double[100];
        for (int i = 0; i < loads.length; i++) {
            long t0 = System.nanoTime();
            check(http.get(bigLoad), 200);
            loads[i] = (System.nanoTime() - t0) / 1e6;
        }
        awaitPublished(http, "bench.s.big", 10);
        String location = JSON.readTree(http.get("/api/v1/tables/bench.s.big").body())
                .get("location")
                .asString();
        double planMs;
        int planned;
        try (RESTCatalog catalog = IcebergReader.catalog(port, "bench", KEY)) {
            Table big = catalog.loadTable(TableIdentifier.of("s", "big"));
            plan(big); // warm: the JIT and the manifest reader's classes
            long t0 = System.nanoTime();
            planned = plan(big);
            planMs = (System.nanoTime() - t0) / 1e6;
        }
        kernelScan(location); // warm
        long k0 = System.nanoTime();
        int scanned = kernelScan(location);
        double kernelMs = (System.nanoTime() - k0) / 1e6;

        System.out.printf(
                "%,d commits of 10 files: commit p50 %.2f ms then %.2f ms; conversion p50 %.2f ms then %.2f ms%n",
                commits, commitFirst, commitLast, convertFirst, convertLast);
        System.out.printf(
                "%,d files: first conversion %.1f s; loadTable p50 %.1f ms p99 %.1f ms; Iceberg planFiles %,d files in"
                        + " %.0f ms; Kernel scan %,d files in %.0f ms%n",
                files,
                bigConvertS,
                p(loads, 0, loads.length, 50),
                p(loads, 0, loads.length, 99),
                planned,
                planMs,
                scanned,
                kernelMs);
        System.out.printf(
                "RESULT commits=%d delta_commit_ms_p50=%.2f iceberg_conversion_ms_p50=%.2f conversion_ratio=%.2f"
                        + " first_conversion_ms_p50=%.2f growth=%.2f files=%d load_table_ms_p99=%.1f plan_files_ms=%.0f"
                        + " kernel_scan_ms=%.0f plan_ratio=%.2f %s%n",
                commits,
                commitLast,
                convertLast,
                convertLast / commitLast,
                convertFirst,
                convertLast / convertFirst,
                files,
                p(loads, 0, loads.length, 99),
                planMs,
                kernelMs,
                planMs / kernelMs,
                io.deltaplane.testing.MachineCpu.loadAverage());
    }

    private static void createTable(TestHttp http, String name) {
        check(
                http.post(
                        "/api/v1/tables",
                        "{\"catalog_name\":\"bench\",\"schema_name\":\"s\",\"name\":\"" + name + "\",\"schema\":"
                                + "{\"type\":\"struct\",\"fields\":[{\"name\":\"id\",\"type\":\"long\","
                                + "\"nullable\":false,\"metadata\":{}}]}}"),
                201);
    }

    /** An append of {@code count} files, ids from {@code first}, with Delta statistics. */
    private static String commitBody(int first, int count) {
        StringBuilder actions = new StringBuilder();
        for (int i = 0; i < count; i++) {
            long id = (long) first * 10 + i;
            if (i > 0) {
                actions.append(',');
            }
            actions.append("{\"add\":{\"path\":\"part-")
                    .append(first)
                    .append('-')
                    .append(i)
                    .append(".parquet\",\"partitionValues\":{},\"size\":1048576,\"modificationTime\":1700000000000,")
                    .append("\"dataChange\":true,\"stats\":\"{\\\"numRecords\\\":1000,\\\"minValues\\\":{\\\"id\\\":")
                    .append(id * 1000)
                    .append("},\\\"maxValues\\\":{\\\"id\\\":")
                    .append(id * 1000 + 999)
                    .append("},\\\"nullCount\\\":{\\\"id\\\":0}}\"}}");
        }
        return "{\"operation\":\"WRITE\",\"actions\":[" + actions + "]}";
    }

    private static int plan(Table table) throws java.io.IOException {
        int n = 0;
        try (CloseableIterable<FileScanTask> tasks = table.newScan().planFiles()) {
            for (FileScanTask ignored : tasks) {
                n++;
            }
        }
        return n;
    }

    private static int kernelScan(String location) throws java.io.IOException {
        Snapshot snapshot = TableManager.loadSnapshot(location).build(KernelReader.ENGINE);
        Scan scan = snapshot.getScanBuilder().build();
        int n = 0;
        try (CloseableIterator<FilteredColumnarBatch> batches = scan.getScanFiles(KernelReader.ENGINE)) {
            while (batches.hasNext()) {
                FilteredColumnarBatch batch = batches.next();
                try (var rows = batch.getRows()) {
                    while (rows.hasNext()) {
                        rows.next();
                        n++;
                    }
                }
            }
        }
        return n;
    }

    private static void awaitPublished(TestHttp http, String table, long version) throws InterruptedException {
        for (int i = 0; i < 600; i++) {
            var publish = JSON.readTree(
                    http.get("/api/v1/tables/" + table + "/publish").body());
            if (publish.path("published_version").asLong(-1) >= version) {
                return;
            }
            Thread.sleep(50);
        }
        throw new IllegalStateException(table + " not published to version " + version);
    }

    /** The {@code pct}th percentile of {@code values[from, to)}. */
    private static double p(double[] values, int from, int to, int pct) {
        double[] window = Arrays.copyOfRange(values, Math.max(0, from), to);
        Arrays.sort(window);
        return window[Math.min(window.length - 1, (int) Math.ceil(pct / 100.0 * window.length) - 1)];
    }

    private static void check(HttpResponse<String> response, int status) {
        if (response.statusCode() != status) {
            throw new IllegalStateException("HTTP " + response.statusCode() + ": " + response.body());
        }
    }
}
