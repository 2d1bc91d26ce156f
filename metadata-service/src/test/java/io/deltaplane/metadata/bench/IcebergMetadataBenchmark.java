package io.deltaplane.metadata.bench;

import io.delta.kernel.Scan;
import io.delta.kernel.Snapshot;
import io.delta.kernel.TableManager;
import io.delta.kernel.data.FilteredColumnarBatch;
import io.delta.kernel.utils.CloseableIterator;
import io.deltaplane.metadata.MetadataServiceApplication;
import io.deltaplane.metadata.publish.KernelReader;
import io.deltaplane.testing.IcebergReader;
import io.deltaplane.testing.ServiceProcess;
import io.deltaplane.testing.TestDatabase;
import io.deltaplane.testing.TestHttp;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.iceberg.FileScanTask;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.io.CloseableIterable;
import org.apache.iceberg.rest.RESTCatalog;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * What serving tables to Iceberg readers costs (a program, not a test), every figure against a
 * reference measured in the same run, CPU server-side (metadata-service's JVM and its Postgres
 * backends, from {@code /proc}, as {@link MetadataBenchmark} measures it):
 *
 * <ol>
 *   <li><b>A Delta-only workload</b> (one service, production settings, the background converter
 *       on): blocks of {@code bench.commits} commits alternating between a catalog served to Iceberg
 *       (the default) and one with {@code deltaplane.iceberg.enabled=false}, no Iceberg client
 *       reading either: {@code iceberg_on_cpu_ms_per_commit} against {@code
 *       iceberg_off_cpu_ms_per_commit}.
 *   <li><b>A table Iceberg reads</b> (a second service, the background off, so each conversion is
 *       the load's): {@code delta_commit_cpu_ms} (a block of commits alone), {@code
 *       conversion_cpu_ms} per version converted one at a time (commit, then a load that converts
 *       it, less the same with a load that converts nothing), and {@code
 *       conversion_coalesced_cpu_ms} per version when a load converts 50 at once;
 *   <li><b>A big table</b>: {@code bench.versions} versions holding {@code bench.files} files in all,
 *       never read, then its {@code first_load_ms} (the backfill of its newest {@code snapshots-kept}
 *       versions); {@code
 *       load_table_cached_ms_p99} over 100 loads, and {@code load_table_uncached_ms_p99} after a
 *       restart with {@code deltaplane.iceberg.recent-snapshots=0}; Iceberg's {@code planFiles}
 *       against Delta Kernel's scan of the same version (median of 5); and {@code snapshots=}, the
 *       snapshots read back, checked to be the newest versions committed, as many as {@code
 *       snapshots-kept} keeps (a run where a conversion did
 *       not happen fails).
 * </ol>
 *
 * <pre>tools/bench metadata-service io.deltaplane.metadata.bench.IcebergMetadataBenchmark</pre>
 * ({@code BENCH_JAVA_OPTS="-Dbench.versions=10000 -Dbench.files=100000"} for the table;
 * {@code -Dbench.jfr=<dir>} records each service's profile there.)
 */
public final class IcebergMetadataBenchmark {

    private static final String KEY = "bench-admin-key-0123456789";
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final String ICEBERG = "/api/2.1/unity-catalog/iceberg/v1/catalogs/";
    private static final int COALESCED = 50;
    private static final int SNAPSHOTS_KEPT = 500;

    private IcebergMetadataBenchmark() {}

    public static void main(String[] args) throws Exception {
        int commits = Integer.getInteger("bench.commits", 400);
        int versions = Integer.getInteger("bench.versions", 2_000);
        int files = Integer.getInteger("bench.files", 100_000);
        String jvm = System.getProperty("bench.service.jvm", MetadataBenchmark.PLATFORM_JVM_OPTIONS);
        TestDatabase db = TestDatabase.get();
        Path warehouse = Files.createTempDirectory("deltaplane-bench-warehouse");
        Map<String, String> settings = new LinkedHashMap<>();
        settings.put("deltaplane.warehouse.root", warehouse.toString());
        settings.put("deltaplane.lineage.enabled", "false");
        settings.put("deltaplane.maintenance.auto-enabled", "false");
        Map<String, String> result = new LinkedHashMap<>();

        try (ServiceProcess service = start("metadata-service", jvm, db, settings)) {
            deltaOnly(service, db, commits, result);
            visibleAfterCommit(service, result);
        }
        settings.put("deltaplane.iceberg.background", "false");
        try (ServiceProcess service = start("metadata-service-background-off", jvm, db, settings)) {
            tableIcebergReads(service, db, commits, result);
            bigTable(service, versions, files, result);
        }
        settings.put("deltaplane.iceberg.recent-snapshots", "0");
        try (ServiceProcess service = start("metadata-service-uncached", jvm, db, settings)) {
            TestHttp http = new TestHttp(service.baseUrl(), KEY);
            double[] loads = timedLoads(http, ICEBERG + "bench/namespaces/s/tables/big", 100);
            result.put("load_table_uncached_ms_p99", f(p(loads, 99)));
        }
        StringBuilder line = new StringBuilder("RESULT");
        result.forEach((k, v) -> line.append(' ').append(k).append('=').append(v));
        System.out.println(line.append(' ').append(io.deltaplane.testing.MachineCpu.loadAverage()));
        System.exit(0);
    }

    private static ServiceProcess start(String name, String jvm, TestDatabase db, Map<String, String> settings)
            throws Exception {
        String jfr = System.getProperty("bench.jfr"); // a directory: each service records its profile there
        return ServiceProcess.start(
                name,
                ServiceProcess.Launch.mainClass(MetadataServiceApplication.class.getName()),
                jfr == null
                        ? jvm
                        : jvm + " -XX:StartFlightRecording=settings=profile,filename=" + jfr + "/" + name + ".jfr",
                db,
                KEY,
                Map.copyOf(settings));
    }

    /** Service and Postgres CPU in milliseconds while {@code work} runs. */
    private static double cpuMs(ServiceProcess service, TestDatabase db, Work work) throws Exception {
        CpuParts.Sample before = CpuParts.sample(List.of(service.pid()), -1, db.name(), null);
        work.run();
        Map<String, Long> cpu = before.until(CpuParts.sample(List.of(service.pid()), -1, db.name(), null));
        return MetadataBenchmark.serviceAndPostgres(cpu) / 1e6;
    }

    interface Work {
        void run() throws Exception;
    }

    private static void deltaOnly(ServiceProcess service, TestDatabase db, int commits, Map<String, String> result)
            throws Exception {
        TestHttp http = new TestHttp(service.baseUrl(), KEY);
        catalog(http, "served", Map.of());
        catalog(http, "unserved", Map.of("deltaplane.iceberg.enabled", "false"));
        for (String catalog : List.of("served", "unserved")) {
            for (int t = 0; t < 4; t++) {
                createTable(http, catalog, "t" + t);
            }
        }
        int[] next = new int[1];
        Work served = () -> commits(http, "served", commits, next);
        Work unserved = () -> commits(http, "unserved", commits, next);
        for (int warm = 0; warm < 2; warm++) {
            served.run(); // warm-up, both ways
            unserved.run();
        }
        double on = 0;
        double off = 0;
        for (int round = 0; round < 3; round++) {
            on += cpuMs(service, db, served);
            off += cpuMs(service, db, unserved);
        }
        double onPerCommit = on / (3.0 * commits);
        double offPerCommit = off / (3.0 * commits);
        System.out.printf(
                Locale.ROOT,
                "Delta-only workload, %d commits a block, 3 blocks each way: Iceberg on %.3f ms CPU a commit,"
                        + " off %.3f (%.1f%%)%n",
                commits,
                onPerCommit,
                offPerCommit,
                100 * (onPerCommit / offPerCommit - 1));
        result.put("iceberg_on_cpu_ms_per_commit", f(onPerCommit));
        result.put("iceberg_off_cpu_ms_per_commit", f(offPerCommit));
    }

    /**
     * How soon the background makes a committed version visible to Iceberg readers of a table they
     * read (production settings: a commit wakes the converter; the poll is every 2 s): 100 commits,
     * each timed from its answer until the publish status shows its Iceberg metadata.
     */
    private static void visibleAfterCommit(ServiceProcess service, Map<String, String> result) throws Exception {
        TestHttp http = new TestHttp(service.baseUrl(), KEY);
        String table = "served.s.t0";
        check(http.get(ICEBERG + "served/namespaces/s/tables/t0"), 200); // read from now on
        double[] visibleMs = new double[100];
        for (int i = 0; i < visibleMs.length; i++) {
            long version = commit(http, table, 1_000_000 + i, 10);
            long committed = System.nanoTime();
            while (JSON.readTree(http.get("/api/v1/tables/" + table + "/publish")
                                    .body())
                            .path("iceberg")
                            .path("delta_version")
                            .asLong(-1)
                    < version) {
                if (System.nanoTime() - committed > 30_000_000_000L) {
                    throw new IllegalStateException(table + " version " + version + " not converted in 30 s");
                }
                Thread.sleep(5);
            }
            visibleMs[i] = (System.nanoTime() - committed) / 1e6;
        }
        System.out.printf(
                Locale.ROOT,
                "A table Iceberg reads, background on: a commit is in its Iceberg metadata after p50 %.1f ms,"
                        + " p99 %.1f ms%n",
                p(visibleMs, 50),
                p(visibleMs, 99));
        result.put("iceberg_visible_ms_p50", f(p(visibleMs, 50)));
        result.put("iceberg_visible_ms_p99", f(p(visibleMs, 99)));
    }

    private static void tableIcebergReads(
            ServiceProcess service, TestDatabase db, int commits, Map<String, String> result) throws Exception {
        TestHttp http = new TestHttp(service.baseUrl(), KEY);
        catalog(http, "bench", Map.of());
        createTable(http, "bench", "read");
        createTable(http, "bench", "other");
        String read = ICEBERG + "bench/namespaces/s/tables/read?snapshots=refs";
        int[] next = new int[1];
        check(http.get(read), 200); // read: version 0 converted
        Work commitsAloneBlock = () -> {
            for (int i = 0; i < commits; i++) {
                commit(http, "bench.s.other", next[0]++, 10);
            }
        };
        Work withConversionBlock = () -> {
            for (int i = 0; i < commits; i++) {
                commit(http, "bench.s.read", next[0]++, 10);
                check(http.get(read), 200);
            }
        };
        Work withCachedLoadBlock = () -> {
            for (int i = 0; i < commits; i++) {
                commit(http, "bench.s.other", next[0]++, 10);
                check(http.get(read), 200);
            }
        };
        Work coalescedBlock = () -> {
            for (int i = 0; i < commits; i++) {
                commit(http, "bench.s.read", next[0]++, 10);
                if ((i + 1) % COALESCED == 0) {
                    check(http.get(read), 200);
                }
            }
        };
        List<Work> blocks = List.of(commitsAloneBlock, withConversionBlock, withCachedLoadBlock, coalescedBlock);
        for (Work block : blocks) {
            block.run(); // warm-up: the same work as measured
        }
        double[] cpu = new double[blocks.size()];
        int rounds = 3;
        for (int round = 0; round < rounds; round++) {
            for (int b = 0; b < blocks.size(); b++) {
                cpu[b] += cpuMs(service, db, blocks.get(b)) / rounds;
            }
        }
        double commitsAlone = cpu[0];
        double withConversion = cpu[1];
        double withCachedLoad = cpu[2];
        double coalesced = cpu[3];
        double commit = commitsAlone / commits;
        double conversion = (withConversion - withCachedLoad) / commits;
        double conversionCoalesced = (coalesced - commitsAlone) / commits;
        int snapshots = snapshotCount(http, ICEBERG + "bench/namespaces/s/tables/read");
        long readVersion = version(http, "bench.s.read");
        checkSnapshots("bench.s.read", snapshots, readVersion);
        System.out.printf(
                Locale.ROOT,
                "A table Iceberg reads, %d commits of 10 files a block, 3 blocks of each: commit %.3f ms CPU; conversion one version a"
                        + " load %.3f ms (%.2fx the commit), %d versions a load %.3f ms a version (%.2fx)%n",
                commits,
                commit,
                conversion,
                conversion / commit,
                COALESCED,
                conversionCoalesced,
                conversionCoalesced / commit);
        result.put("delta_commit_cpu_ms", f(commit));
        result.put("conversion_cpu_ms", f(conversion));
        result.put("conversion_ratio", f(conversion / commit));
        result.put("conversion_coalesced_cpu_ms", f(conversionCoalesced));
        result.put("conversion_coalesced_ratio", f(conversionCoalesced / commit));
        result.put("read_snapshots", snapshots + "/" + (readVersion + 1));
    }

    private static void bigTable(ServiceProcess service, int versions, int files, Map<String, String> result)
            throws Exception {
        TestHttp http = new TestHttp(service.baseUrl(), KEY);
        createTable(http, "bench", "big");
        int perVersion = Math.max(1, files / versions);
        long t0 = System.nanoTime();
        for (int v = 0; v < versions; v++) {
            commit(http, "bench.s.big", 10_000_000 + v * perVersion, perVersion);
        }
        System.out.printf(
                Locale.ROOT,
                "bench.s.big: %,d versions of %,d files committed in %.0f s%n",
                versions,
                perVersion,
                (System.nanoTime() - t0) / 1e9);
        String big = ICEBERG + "bench/namespaces/s/tables/big";
        long l0 = System.nanoTime();
        check(http.get(big + "?snapshots=refs"), 200);
        double firstLoad = (System.nanoTime() - l0) / 1e6;
        double[] cached = timedLoads(http, big, 100);
        int snapshots = snapshotCount(http, big);
        checkSnapshots("bench.s.big", snapshots, versions);
        awaitPublished(http, "bench.s.big", versions);
        String location = JSON.readTree(http.get("/api/v1/tables/bench.s.big").body())
                .get("location")
                .asString();
        double[] plans = new double[5];
        double[] scans = new double[5];
        int planned;
        int scanned;
        try (RESTCatalog catalog = IcebergReader.catalog(service.baseUrl(), "bench", KEY)) {
            Table table = catalog.loadTable(TableIdentifier.of("s", "big"));
            planned = plan(table); // warm
            scanned = kernelScan(location);
            for (int i = 0; i < plans.length; i++) {
                long p0 = System.nanoTime();
                planned = plan(table);
                plans[i] = (System.nanoTime() - p0) / 1e6;
                long k0 = System.nanoTime();
                scanned = kernelScan(location);
                scans[i] = (System.nanoTime() - k0) / 1e6;
            }
        }
        System.out.printf(
                Locale.ROOT,
                "bench.s.big: first load %.0f ms; cached load p50 %.1f ms p99 %.1f ms; planFiles %,d files %.0f ms;"
                        + " Kernel scan %,d files %.0f ms (medians of 5)%n",
                firstLoad,
                p(cached, 50),
                p(cached, 99),
                planned,
                p(plans, 50),
                scanned,
                p(scans, 50));
        result.put("versions", Integer.toString(versions));
        result.put("files", Integer.toString(versions * perVersion));
        result.put("snapshots", snapshots + "/" + (versions + 1));
        result.put("first_load_ms", f(firstLoad));
        result.put("load_table_cached_ms_p99", f(p(cached, 99)));
        result.put("plan_files_ms", f(p(plans, 50)));
        result.put("kernel_scan_ms", f(p(scans, 50)));
        result.put("plan_ratio", f(p(plans, 50) / p(scans, 50)));
    }

    private static double[] timedLoads(TestHttp http, String path, int n) {
        double[] loads = new double[n];
        for (int i = 0; i < n; i++) {
            long t0 = System.nanoTime();
            check(http.get(path), 200);
            loads[i] = (System.nanoTime() - t0) / 1e6;
        }
        return loads;
    }

    /** How many snapshots the table's Iceberg metadata holds; their Delta versions must be consecutive. */
    private static int snapshotCount(TestHttp http, String path) {
        HttpResponse<String> load = http.get(path);
        check(load, 200);
        JsonNode snapshots = JSON.readTree(load.body()).get("metadata").get("snapshots");
        List<Long> versions = new java.util.ArrayList<>();
        snapshots.forEach(s ->
                versions.add(s.path("summary").path("deltaplane.delta-version").asLong()));
        java.util.Collections.sort(versions);
        for (int i = 1; i < versions.size(); i++) {
            if (versions.get(i) != versions.get(i - 1) + 1) {
                throw new IllegalStateException(
                        path + ": no snapshot between versions " + versions.get(i - 1) + " and " + versions.get(i));
            }
        }
        long answered = Long.parseLong(
                load.headers().firstValue("X-Deltaplane-Delta-Version").orElse("-1"));
        if (!versions.isEmpty() && versions.get(versions.size() - 1) != answered) {
            throw new IllegalStateException(path + ": the newest snapshot is of version "
                    + versions.get(versions.size() - 1) + ", the load answered " + answered);
        }
        return snapshots.size();
    }

    private static long version(TestHttp http, String table) {
        return JSON.readTree(http.get("/api/v1/tables/" + table).body())
                .get("version")
                .asLong();
    }

    private static void catalog(TestHttp http, String name, Map<String, String> properties) {
        // Unity Catalog's route takes a catalog's properties (deltaplane.iceberg.enabled)
        check(
                http.post(
                        "/api/2.1/unity-catalog/catalogs",
                        JSON.writeValueAsString(Map.of("name", name, "properties", properties))),
                200);
        check(http.post("/api/v1/schemas", "{\"catalog_name\":\"" + name + "\",\"name\":\"s\"}"), 201);
    }

    private static void createTable(TestHttp http, String catalog, String name) {
        check(
                http.post(
                        "/api/v1/tables",
                        "{\"catalog_name\":\"" + catalog + "\",\"schema_name\":\"s\",\"name\":\"" + name
                                + "\",\"schema\":{\"type\":\"struct\",\"fields\":[{\"name\":\"id\",\"type\":\"long\","
                                + "\"nullable\":false,\"metadata\":{}}]}}"),
                201);
    }

    /** {@code n} commits of 10 files, round robin over the catalog's four tables. */
    private static void commits(TestHttp http, String catalog, int n, int[] next) {
        for (int i = 0; i < n; i++) {
            commit(http, catalog + ".s.t" + (next[0] % 4), next[0]++, 10);
        }
    }

    /** An append of {@code count} files at the table's next version, ids from {@code first}, with statistics. */
    private static long commit(TestHttp http, String table, int first, int count) {
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
        // appended at whatever the next version is (the server places it)
        HttpResponse<String> answer = http.post(
                "/api/v1/tables/" + table + "/commits", "{\"operation\":\"WRITE\",\"actions\":[" + actions + "]}");
        check(answer, 201);
        return JSON.readTree(answer.body()).get("version").asLong();
    }

    private static int plan(Table table) throws IOException {
        int n = 0;
        try (CloseableIterable<FileScanTask> tasks = table.newScan().planFiles()) {
            for (FileScanTask ignored : tasks) {
                n++;
            }
        }
        return n;
    }

    private static int kernelScan(String location) throws IOException {
        Snapshot snapshot = TableManager.loadSnapshot(location).build(KernelReader.ENGINE);
        Scan scan = snapshot.getScanBuilder().build();
        int n = 0;
        try (CloseableIterator<FilteredColumnarBatch> batches = scan.getScanFiles(KernelReader.ENGINE)) {
            while (batches.hasNext()) {
                try (var rows = batches.next().getRows()) {
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
        for (int i = 0; i < 1200; i++) {
            JsonNode publish = JSON.readTree(
                    http.get("/api/v1/tables/" + table + "/publish").body());
            if (publish.path("published_version").asLong(-1) >= version) {
                return;
            }
            Thread.sleep(50);
        }
        throw new IllegalStateException(table + " not published to version " + version);
    }

    /**
     * Every conversion happened: the table's Iceberg snapshots are its newest versions, as many as
     * {@code deltaplane.iceberg.snapshots-kept} keeps (the default, 500, up to a tenth more before a
     * batch expires), or every version of a younger table.
     */
    private static void checkSnapshots(String table, int snapshots, long latestVersion) {
        long versions = latestVersion + 1;
        long least = Math.min(versions, SNAPSHOTS_KEPT);
        long most = Math.min(versions, SNAPSHOTS_KEPT + SNAPSHOTS_KEPT / 10);
        if (snapshots < least || snapshots > most) {
            throw new IllegalStateException(table + " has " + snapshots + " Iceberg snapshots for versions 0.."
                    + latestVersion + " (expected " + least + " to " + most + ")");
        }
    }

    private static double p(double[] values, int pct) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(pct / 100.0 * sorted.length) - 1)];
    }

    private static String f(double value) {
        return String.format(Locale.ROOT, "%.3f", value);
    }

    private static void check(HttpResponse<String> response, int status) {
        if (response.statusCode() != status) {
            throw new IllegalStateException("HTTP " + response.statusCode() + ": " + response.body());
        }
    }
}
