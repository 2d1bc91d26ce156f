package io.deltaplane.metadata.bench;

import io.deltaplane.metadata.MetadataServiceApplication;
import io.deltaplane.testing.TestDatabase;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.stream.Stream;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Lineage relay drain benchmark (a program, not a test). Runs the real metadata-service in this JVM on
 * a throw-away database with its relay on, and a real lineage-service: by default started here from
 * its jar ({@code lineage-service/target/deltaplane-lineage-service-*.jar}, build it first) on a free
 * port and a throw-away database of its own; with {@code -Dbench.lineage.url=http://localhost:8082
 * -Dbench.lineage.key=<write key>} a running one (e.g. {@code ./platform up}) instead. Then it puts
 * {@code bench.versions} (default 20,000) committed versions of {@code bench.tables} (4) tables into
 * the outbox in one transaction — the rows commits write — and times until the outbox is empty:
 * versions/s, against the same versions posted straight to lineage's batch endpoint in the same
 * run (the RESULT line's {@code ratio}: what the relay's claim, delivery and delete cost over the
 * lineage call itself), and the commit rate it must keep up with ({@code bench.commit-rate}, 450
 * versions/s); target ≥ 1,000 versions/s.
 *
 * <pre>./mvnw -q -o -pl metadata-service test-compile exec:java -Dexec.classpathScope=test \
 *   -Dexec.mainClass=io.deltaplane.metadata.bench.LineageRelayBenchmark -Dexec.cleanupDaemonThreads=false \
 *   -Dbench.versions=20000</pre>
 *
 * {@code -Dbench.batch=} sets {@code deltaplane.lineage.batch-size} (default: the relay's).
 */
public final class LineageRelayBenchmark {

    private static final String KEY = "bench-admin-key-relay-0123456789";
    private static final double TARGET_VERSIONS_PER_SECOND = 1_000;
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private LineageRelayBenchmark() {}

    public static void main(String[] args) throws Exception {
        int versions = Integer.getInteger("bench.versions", 20_000);
        int tables = Integer.getInteger("bench.tables", 4);
        double commitRate = Double.parseDouble(System.getProperty("bench.commit-rate", "450"));
        String batch = System.getProperty("bench.batch");

        Process lineageProcess = null;
        String lineageUrl = System.getProperty("bench.lineage.url");
        String lineageKey = System.getProperty("bench.lineage.key", System.getenv("DELTAPLANE_ADMIN_API_KEY"));
        if (lineageUrl == null) {
            int port = freePort();
            lineageUrl = "http://localhost:" + port;
            lineageKey = KEY;
            lineageProcess = startLineage(port);
        } else if (lineageKey == null) {
            throw new IllegalArgumentException("-Dbench.lineage.key=<a write-scoped key of that lineage-service>");
        }
        ConfigurableApplicationContext app = null;
        try {
            awaitLineage(lineageUrl, lineageKey, lineageProcess);
            TestDatabase db = TestDatabase.get();
            Path warehouse = Files.createTempDirectory("deltaplane-relay-bench-");
            List<String> arguments = new ArrayList<>(List.of(
                    "--deltaplane.db.url=" + db.url(),
                    "--deltaplane.db.user=" + db.user(),
                    "--deltaplane.db.password=" + db.password(),
                    "--deltaplane.security.admin-api-key=" + KEY,
                    "--deltaplane.warehouse.root=" + warehouse,
                    "--deltaplane.lineage.base-url=" + lineageUrl,
                    "--deltaplane.lineage.api-key=" + lineageKey,
                    "--server.port=0",
                    "--logging.level.root=WARN"));
            if (batch != null) {
                arguments.add("--deltaplane.lineage.batch-size=" + batch);
            }
            app = new SpringApplicationBuilder(MetadataServiceApplication.class).run(arguments.toArray(String[]::new));
            System.out.printf(
                    Locale.ROOT,
                    "lineage relay benchmark: %d versions over %d tables, lineage at %s, batch-size %s, %d cores%n",
                    versions,
                    tables,
                    lineageUrl,
                    app.getEnvironment().getProperty("deltaplane.lineage.batch-size", "500 (default)"),
                    Runtime.getRuntime().availableProcessors());

            String run = "r" + UUID.randomUUID().toString().substring(0, 8);
            // Warm-up: JIT and connection pools on both sides.
            drain(db, "warm" + run, Math.min(2_000, versions), 2, lineageProcess, null);
            double relay = drain(db, "bench" + run, versions, tables, lineageProcess, new Report(commitRate));
            checkDelivered(lineageUrl, lineageKey, "bench" + run, versions, tables);
            // The ratio's denominator, measured in this run: the same versions posted straight to
            // lineage's batch endpoint, one request after another — the most a relay could deliver.
            int batchSize = Integer.parseInt(app.getEnvironment().getProperty("deltaplane.lineage.batch-size", "500"));
            double direct = direct(lineageUrl, lineageKey, "direct" + run, versions, tables, batchSize);
            checkDelivered(lineageUrl, lineageKey, "direct" + run, versions, tables);
            System.out.printf(
                    Locale.ROOT,
                    "    the same versions posted straight to %s in batches of %d, one after another: %.0f"
                            + " versions/s%n",
                    "/api/v1/snapshots/batch",
                    batchSize,
                    direct);
            System.out.printf(
                    Locale.ROOT,
                    "RESULT versions_per_s=%.0f direct_versions_per_s=%.0f ratio=%.2f %s%n",
                    relay,
                    direct,
                    relay / direct,
                    io.deltaplane.testing.MachineCpu.loadAverage());
        } finally {
            if (app != null) {
                app.close();
            }
            if (lineageProcess != null) {
                lineageProcess.destroy();
                lineageProcess.waitFor();
            }
        }
        System.exit(0);
    }

    record Report(double commitRate) {}

    /** Fills the outbox with {@code versions} rows in one transaction and waits until it is empty. */
    /** The relay's drain rate in versions/s (0 for a warm-up without a report). */
    private static double drain(
            TestDatabase db, String catalog, int versions, int tables, Process lineage, Report report)
            throws Exception {
        long cpuBefore = processCpuNanos();
        long lineageCpuBefore = cpuNanos(lineage);
        try (Connection c = db.connect()) {
            c.setAutoCommit(false);
            try (PreparedStatement insert = c.prepareStatement("INSERT INTO metadata.lineage_outbox (table_id,"
                    + " full_name, location, version, committed_at, request_id, next_attempt_at, created_at)"
                    + " VALUES (?, ?, ?, ?, ?, ?, now(), now())")) {
                UUID[] ids = new UUID[tables];
                for (int t = 0; t < tables; t++) {
                    ids[t] = UUID.randomUUID();
                }
                Timestamp committed = Timestamp.from(Instant.now());
                // Interleaved as concurrent writers commit: table 0 v0, table 1 v0, …, table 0 v1, …
                for (int k = 0; k < versions; k++) {
                    int t = k % tables;
                    String name = catalog + ".s.t" + t;
                    insert.setObject(1, ids[t]);
                    insert.setString(2, name);
                    insert.setString(3, "file:/bench/" + catalog + "/s/t" + t);
                    insert.setLong(4, k / tables);
                    insert.setTimestamp(5, committed);
                    insert.setString(6, "bench-commit-" + k);
                    insert.addBatch();
                    if (k % 1_000 == 999) {
                        insert.executeBatch();
                    }
                }
                insert.executeBatch();
            }
            c.commit();
            c.setAutoCommit(true);
            long filled = System.nanoTime();
            long firstDelivery = 0;
            long deliveredBefore = 0;
            try (PreparedStatement count = c.prepareStatement("SELECT count(*) FROM metadata.lineage_outbox")) {
                while (true) {
                    long left;
                    try (ResultSet rs = count.executeQuery()) {
                        rs.next();
                        left = rs.getLong(1);
                    }
                    long now = System.nanoTime();
                    if (firstDelivery == 0 && left < versions) {
                        // Timed from here, counting only the versions delivered from here on.
                        firstDelivery = now;
                        deliveredBefore = versions - left;
                    }
                    if (left == 0) {
                        break;
                    }
                    if (Duration.ofNanos(now - filled).toMinutes() >= 10) {
                        throw new IllegalStateException(left + " versions still in the outbox after 10 minutes");
                    }
                    Thread.sleep(10);
                }
            }
            long done = System.nanoTime();
            if (report == null) {
                return 0;
            }
            double drainSeconds = (done - firstDelivery) / 1e9;
            double totalSeconds = (done - filled) / 1e9;
            double rate = (versions - deliveredBefore) / drainSeconds;
            System.out.printf(
                    Locale.ROOT,
                    "%n    drained %d versions %.2f s after the fill committed (including the wait for the next"
                            + " poll); the last %d in %.2f s after the first delivery%n",
                    versions,
                    totalSeconds,
                    versions - deliveredBefore,
                    drainSeconds);
            System.out.printf(
                    Locale.ROOT,
                    "    %.0f versions/s (target >= %.0f; a commit rate of %.0f versions/s to keep up with)%n",
                    rate,
                    TARGET_VERSIONS_PER_SECOND,
                    report.commitRate());
            long metadataCpu = processCpuNanos() - cpuBefore;
            String lineageCpu = lineage == null
                    ? "not measured (not started here)"
                    : String.format(Locale.ROOT, "%.2f s", (cpuNanos(lineage) - lineageCpuBefore) / 1e9);
            System.out.printf(
                    Locale.ROOT,
                    "    CPU: this JVM (metadata-service and this program) %.2f s, lineage-service %s%n",
                    metadataCpu / 1e9,
                    lineageCpu);
            return rate;
        }
    }

    /**
     * Posts {@code versions} versions of {@code tables} tables (as the outbox holds them, interleaved)
     * to lineage's batch endpoint in batches of {@code batchSize}, one request after another, as the
     * relay's body has them; answers versions/s.
     */
    private static double direct(String url, String key, String catalog, int versions, int tables, int batchSize)
            throws Exception {
        String committed = Instant.now().toString();
        long start = System.nanoTime();
        for (int from = 0; from < versions; from += batchSize) {
            List<java.util.Map<String, Object>> items = new ArrayList<>();
            for (int k = from; k < Math.min(versions, from + batchSize); k++) {
                int t = k % tables;
                java.util.Map<String, Object> item = new java.util.LinkedHashMap<>();
                item.put("uri", "file:/bench/" + catalog + "/s/t" + t);
                item.put("format", "delta");
                item.put("version", k / tables);
                item.put("created_at", committed);
                item.put("table_name", catalog + ".s.t" + t);
                item.put("request_id", "bench-direct-" + k);
                items.add(item);
            }
            HttpResponse<String> answer = HTTP.send(
                    HttpRequest.newBuilder(URI.create(url + "/api/v1/snapshots/batch"))
                            .header("Authorization", "Bearer " + key)
                            .header("Content-Type", "application/json")
                            .timeout(Duration.ofSeconds(60))
                            .POST(HttpRequest.BodyPublishers.ofString(
                                    JSON.writeValueAsString(java.util.Map.of("snapshots", items))))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            if (answer.statusCode() != 200) {
                throw new IllegalStateException("lineage answered " + answer.statusCode() + ": " + answer.body());
            }
        }
        return versions / ((System.nanoTime() - start) / 1e9);
    }

    /** Lineage has every table's last version, so nothing was dropped on the way. */
    private static void checkDelivered(String url, String key, String catalog, int versions, int tables)
            throws Exception {
        for (int t = 0; t < tables; t++) {
            long expected = (versions - 1 - t) / tables;
            if (versions - 1 - t < 0) {
                continue;
            }
            HttpResponse<String> latest = get(url, key, "/api/v1/tables/" + catalog + ".s.t" + t + "/snapshots/latest");
            JsonNode body = JSON.readTree(latest.body());
            if (latest.statusCode() != 200 || body.path("version").asLong(-1) != expected) {
                throw new IllegalStateException("lineage has not got v" + expected + " of table t" + t + ": "
                        + latest.statusCode() + " " + latest.body());
            }
        }
        System.out.println("    checked: lineage-service has the last version of every table");
    }

    private static Process startLineage(int port) throws IOException {
        Path jar = lineageJar();
        TestDatabase db = TestDatabase.createAnother();
        Path log = Files.createTempFile("bench-lineage-service-", ".log");
        List<String> command = List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                // as ./platform up runs the services
                "-Xms64m",
                "-Xmx384m",
                "-XX:+UseSerialGC",
                "-jar",
                jar.toString(),
                "--server.port=" + port,
                "--deltaplane.db.url=" + db.url(),
                "--deltaplane.db.user=" + db.user(),
                "--deltaplane.db.password=" + db.password(),
                "--deltaplane.security.admin-api-key=" + KEY,
                "--deltaplane.artifacts.dir=" + Files.createTempDirectory("deltaplane-relay-bench-artifacts-"),
                "--logging.level.root=WARN");
        System.out.printf("starting lineage-service %s on :%d (log: %s)%n", jar.getFileName(), port, log);
        return new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
    }

    private static Path lineageJar() throws IOException {
        String given = System.getProperty("bench.lineage.jar");
        if (given != null) {
            return Path.of(given);
        }
        Path cwd = Path.of("").toAbsolutePath();
        for (Path dir : List.of(cwd.resolve("lineage-service/target"), cwd.resolveSibling("lineage-service/target"))) {
            if (Files.isDirectory(dir)) {
                try (Stream<Path> files = Files.list(dir)) {
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
        }
        throw new IllegalStateException("no lineage-service jar: build it (./mvnw -B -q -o package -DskipTests"
                + " -pl lineage-service), pass -Dbench.lineage.jar=, or -Dbench.lineage.url= and -Dbench.lineage.key=");
    }

    private static void awaitLineage(String url, String key, Process process) throws Exception {
        long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
        while (System.nanoTime() < deadline) {
            if (process != null && !process.isAlive()) {
                throw new IllegalStateException("lineage-service exited: see the log named above");
            }
            try {
                if (get(url, key, "/api/v1/jobs").statusCode() == 200) {
                    return;
                }
            } catch (IOException e) {
                // not listening yet
            }
            Thread.sleep(250);
        }
        throw new IllegalStateException("lineage-service at " + url + " did not answer within 3 minutes");
    }

    private static HttpResponse<String> get(String url, String key, String path) throws Exception {
        return HTTP.send(
                HttpRequest.newBuilder(URI.create(url + path))
                        .header("Authorization", "Bearer " + key)
                        .timeout(Duration.ofSeconds(10))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }

    private static long cpuNanos(Process process) {
        return process == null
                ? 0
                : process.info().totalCpuDuration().map(Duration::toNanos).orElse(0L);
    }
}
