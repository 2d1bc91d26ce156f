package io.deltaplane.lineage.bench;

import io.deltaplane.lineage.LineageServiceApplication;
import io.deltaplane.testing.TestDatabase;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.sql.DataSource;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Lineage-service benchmark (a program, not a test). Starts the real service in this JVM on a random
 * port against a throw-away Postgres database, then measures:
 *
 * <ol>
 *   <li>run lifecycles over HTTP with 8 clients — start run, register snapshot, log event, complete
 *       — as lifecycles/s and lineage events (requests)/s; target ≥ 2,000 events/s;
 *   <li>graph query latency at depth 10 (direction both) over a generated graph of 100,000 nodes
 *       (50,000 jobs, 50,000 tables, ~150,000 edges); target p95 ≤ 100 ms.
 * </ol>
 *
 * Arguments: {@code [lifecycle seconds (default 20)] [graph queries (default 300; 0 skips the graph)]}.
 */
public final class LineageBenchmark {

    private static final String KEY = "bench-admin-key-lineage-0001";
    private static final int CLIENTS = 8;
    private static final double TARGET_EVENTS_PER_SECOND = 2_000;
    private static final double TARGET_P95_MS = 100;
    private static final int LAYERS = 25;
    private static final int WIDTH = 2_000; // 25 x 2,000 = 50,000 jobs and as many tables
    private static final Pattern RUN_ID = Pattern.compile("\"run_id\":\"([0-9a-f-]{36})\"");

    public static void main(String[] args) throws Exception {
        int seconds = args.length > 0 ? Integer.parseInt(args[0]) : 20;
        int queries = args.length > 1 ? Integer.parseInt(args[1]) : 300;
        TestDatabase db = TestDatabase.get();
        // Command-line arguments: they outrank application.yml and the shared defaults, so the app
        // really binds a random port and uses the throw-away database.
        ConfigurableApplicationContext app = new SpringApplicationBuilder(LineageServiceApplication.class)
                .run(
                        "--server.port=0",
                        "--deltaplane.db.url=" + db.url(),
                        "--deltaplane.db.user=" + db.user(),
                        "--deltaplane.db.password=" + db.password(),
                        "--deltaplane.db.max-pool-size=16",
                        "--deltaplane.security.admin-api-key=" + KEY,
                        "--deltaplane.artifacts.dir=target/bench-artifacts",
                        "--logging.level.root=WARN");
        try (Connection c = app.getBean(DataSource.class).getConnection();
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT current_database()")) {
            rs.next();
            if (!db.name().equals(rs.getString(1))) {
                app.close();
                throw new IllegalStateException("refusing to benchmark against database " + rs.getString(1));
            }
        }
        try {
            int port = ((WebServerApplicationContext) app).getWebServer().getPort();
            String base = "http://localhost:" + port;
            System.out.printf(
                    "lineage-service benchmark on %s (%d cores)%n",
                    base, Runtime.getRuntime().availableProcessors());
            lifecycles(base, seconds);
            openLineageBatches(base, seconds);
            if (queries > 0) {
                generateGraph(db);
                graphQueries(base, queries);
            }
        } finally {
            app.close();
        }
        System.exit(0);
    }

    private static void lifecycles(String base, int seconds) throws Exception {
        HttpClient seed = client();
        send(
                seed,
                "POST",
                base + "/api/v1/tables/bench.input/snapshots",
                "{\"uri\":\"file:/bench/input\",\"format\":\"delta\",\"version\":1}");
        // Warm-up (JIT, pools, key cache), then the measured window.
        runClients(base, Math.max(3, seconds / 2));
        com.sun.management.OperatingSystemMXBean os =
                (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        long cpuBefore = os.getProcessCpuTime();
        long[] counts = runClients(base, seconds);
        double cpuMillis = (os.getProcessCpuTime() - cpuBefore) / 1e6;
        long lifecycles = counts[0];
        long requests = lifecycles * 4;
        double perSecond = lifecycles / (double) seconds;
        double eventsPerSecond = requests / (double) seconds;
        System.out.printf(
                "lifecycles: %d in %ds with %d clients = %.0f lifecycles/s, %.0f lineage events (requests)/s"
                        + " — %.2fx the %.0f events/s target; errors %d%n",
                lifecycles,
                seconds,
                CLIENTS,
                perSecond,
                eventsPerSecond,
                eventsPerSecond / TARGET_EVENTS_PER_SECOND,
                TARGET_EVENTS_PER_SECOND,
                counts[1]);
        // The machine is shared: the load average says how much of it this run really had.
        System.out.printf(
                "  JVM CPU (service and the 8 clients; Postgres not included): %.2f ms per request;"
                        + " load average %.1f on %d cores%n",
                cpuMillis / Math.max(1, requests), os.getSystemLoadAverage(), os.getAvailableProcessors());
    }

    private static final int BATCH_EVENTS = 200;
    private static final double PREVIOUS_EVENTS_PER_SECOND = 990; // one REST request per event, before the batch API

    /**
     * OpenLineage events as a buffering producer sends them: batches of {@value #BATCH_EVENTS}
     * (START with an input, COMPLETE with an output, per run) to {@code POST /api/v1/lineage/batch}.
     */
    private static void openLineageBatches(String base, int seconds) throws Exception {
        runBatches(base, Math.max(3, seconds / 2), new ArrayList<>()); // warm-up
        com.sun.management.OperatingSystemMXBean os =
                (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        long cpuBefore = os.getProcessCpuTime();
        List<Long> latencies = java.util.Collections.synchronizedList(new ArrayList<>());
        long[] counts = runBatches(base, seconds, latencies);
        double cpuMillis = (os.getProcessCpuTime() - cpuBefore) / 1e6;
        double eventsPerSecond = counts[0] / (double) seconds;
        List<Long> sorted = new ArrayList<>(latencies);
        java.util.Collections.sort(sorted);
        double p50 = sorted.isEmpty() ? 0 : sorted.get(sorted.size() / 2) / 1e6;
        double p99 = sorted.isEmpty() ? 0 : sorted.get(Math.min(sorted.size() - 1, (int) (sorted.size() * 0.99))) / 1e6;
        System.out.printf(
                "OpenLineage batches: %d events in %ds with %d clients, %d events a batch = %.0f events/s"
                        + " — %.2fx the %.0f events/s target, %.2fx the previous %.0f events/s; batch latency"
                        + " p50 %.1f ms, p99 %.1f ms; JVM CPU %.3f ms per event; errors %d; load average %.1f%n",
                counts[0],
                seconds,
                CLIENTS,
                BATCH_EVENTS,
                eventsPerSecond,
                eventsPerSecond / TARGET_EVENTS_PER_SECOND,
                TARGET_EVENTS_PER_SECOND,
                eventsPerSecond / PREVIOUS_EVENTS_PER_SECOND,
                PREVIOUS_EVENTS_PER_SECOND,
                p50,
                p99,
                cpuMillis / Math.max(1, counts[0]),
                counts[1],
                os.getSystemLoadAverage());
        System.out.printf("RESULT events_per_s=%.0f p99_ms=%.1f%n", eventsPerSecond, p99);
    }

    private static long[] runBatches(String base, int seconds, List<Long> latencies) throws Exception {
        return runFor(seconds, (client, stop) -> {
            HttpClient http = client();
            long events = 0;
            long errors = 0;
            while (!stop.get()) {
                StringBuilder body = new StringBuilder("[");
                for (int i = 0; i < BATCH_EVENTS / 2; i++) {
                    String run = java.util.UUID.randomUUID().toString();
                    String job = "ol_job_" + client + "_" + (i % 20);
                    String common = ",\"producer\":\"bench\",\"run\":{\"runId\":\"" + run
                            + "\"},\"job\":{\"namespace\":\"bench\",\"name\":\"" + job + "\"}";
                    if (i > 0) {
                        body.append(',');
                    }
                    body.append("{\"eventType\":\"START\",\"eventTime\":\"2026-11-22T00:00:00Z\"")
                            .append(common)
                            .append(",\"inputs\":[{\"namespace\":\"s3://bench\",\"name\":\"raw_")
                            .append(i % 50)
                            .append("\"}]},{\"eventType\":\"COMPLETE\",\"eventTime\":\"2026-11-22T00:01:00Z\"")
                            .append(common)
                            .append(",\"outputs\":[{\"namespace\":\"s3://bench\",\"name\":\"out_")
                            .append(client)
                            .append('_')
                            .append(i % 20)
                            .append("\"}]}");
                }
                body.append(']');
                long t0 = System.nanoTime();
                HttpResponse<String> r = send(http, "POST", base + "/api/v1/lineage/batch", body.toString());
                latencies.add(System.nanoTime() - t0);
                if (r.statusCode() == 200 && r.body().contains("\"rejected\":0")) {
                    events += BATCH_EVENTS;
                } else {
                    errors++;
                }
            }
            return new long[] {events, errors};
        });
    }

    /** One benchmark client: works until {@code stop}, returns {done, errors}. */
    private interface Client {
        long[] run(int client, AtomicBoolean stop) throws Exception;
    }

    /** Runs {@value #CLIENTS} clients for {@code seconds}; returns the sums of their {done, errors}. */
    private static long[] runFor(int seconds, Client body) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(CLIENTS);
        AtomicBoolean stop = new AtomicBoolean();
        List<Future<long[]>> results = new ArrayList<>();
        for (int c = 0; c < CLIENTS; c++) {
            int client = c;
            results.add(pool.submit(() -> body.run(client, stop)));
        }
        Thread.sleep(seconds * 1000L);
        stop.set(true);
        long done = 0;
        long errors = 0;
        for (Future<long[]> f : results) {
            long[] r = f.get();
            done += r[0];
            errors += r[1];
        }
        pool.shutdown();
        return new long[] {done, errors};
    }

    /** Runs the 8 clients for {@code seconds}; returns {completed lifecycles, errors}. */
    private static long[] runClients(String base, int seconds) throws Exception {
        return runFor(seconds, (client, stop) -> {
            HttpClient http = client();
            long done = 0;
            long errors = 0;
            while (!stop.get()) {
                String job = "bench_job_" + client + "_" + (done % 10);
                HttpResponse<String> started = send(
                        http,
                        "POST",
                        base + "/api/v1/jobs/" + job + "/runs",
                        "{\"metadata\":{\"client\":" + client + "}}");
                Matcher m = RUN_ID.matcher(started.body());
                if (started.statusCode() != 201 || !m.find()) {
                    errors++;
                    continue;
                }
                String run = m.group(1);
                int a = send(
                                http,
                                "POST",
                                base + "/api/v1/jobs/register-snapshot",
                                "{\"table_name\":\"bench.out_" + client + "\",\"uri\":\"file:/bench/out/" + client
                                        + "\",\"format\":\"delta\",\"job_name\":\"" + job + "\",\"run_id\":\"" + run
                                        + "\"}")
                        .statusCode();
                int b = send(
                                http,
                                "POST",
                                base + "/api/v1/events/broadcast",
                                "{\"event_type\":\"metric\",\"data\":{\"rows\":" + done + "},\"run_id\":\"" + run
                                        + "\"}")
                        .statusCode();
                int d = send(
                                http,
                                "PUT",
                                base + "/api/v1/jobs/" + job + "/runs/" + run + "/complete",
                                "{\"success\":true}")
                        .statusCode();
                if (a == 201 && b == 201 && d == 200) {
                    done++;
                } else {
                    errors++;
                }
            }
            return new long[] {done, errors};
        });
    }

    /** 100,000 nodes in layers: each job reads its own and one random table of its layer and writes one table of the next. */
    private static void generateGraph(TestDatabase db) throws Exception {
        long t0 = System.nanoTime();
        try (Connection c = db.connect();
                Statement s = c.createStatement()) {
            s.execute("SET search_path = lineage");
            s.execute("CREATE TEMP TABLE bt AS SELECT g, nextval('node_ids') AS id FROM generate_series(0, "
                    + (LAYERS * WIDTH - 1) + ") g");
            s.execute("CREATE TEMP TABLE bj AS SELECT g, nextval('node_ids') AS id FROM generate_series(0, "
                    + (LAYERS * WIDTH - 1) + ") g");
            s.execute(
                    "INSERT INTO tracked_tables (id, name, namespace, created_at) SELECT id, 'bench.t' || g, 'bench', now() FROM bt");
            s.execute(
                    "INSERT INTO jobs (id, name, namespace, created_at, updated_at) SELECT id, 'bench_j' || g, 'bench', now(), now() FROM bj");
            s.execute("SELECT setseed(0.42)");
            // reads: own table, and a random one of the same layer
            s.execute(
                    "INSERT INTO edges (src, dst) SELECT t.id, j.id FROM bj j JOIN bt t ON t.g = j.g ON CONFLICT DO NOTHING");
            s.execute("INSERT INTO edges (src, dst) SELECT t.id, j.id FROM bj j JOIN bt t ON t.g = (j.g / " + WIDTH
                    + ") * " + WIDTH + " + floor(random() * " + WIDTH + ")::int ON CONFLICT DO NOTHING");
            // writes: the table at the same position of the next layer
            s.execute("INSERT INTO edges (src, dst) SELECT j.id, t.id FROM bj j JOIN bt t ON t.g = j.g + " + WIDTH
                    + " ON CONFLICT DO NOTHING");
            s.execute("ANALYZE edges");
            s.execute("ANALYZE jobs");
            s.execute("ANALYZE tracked_tables");
        }
        System.out.printf(
                "graph: generated %d nodes (%d jobs, %d tables) in %.1fs%n",
                2 * LAYERS * WIDTH, LAYERS * WIDTH, LAYERS * WIDTH, (System.nanoTime() - t0) / 1e9);
    }

    private static void graphQueries(String base, int queries) throws Exception {
        HttpClient http = client();
        Random random = new Random(7);
        for (int i = 0; i < 30; i++) { // warm-up
            send(http, "GET", base + graphPath(random), null);
        }
        List<Double> millis = new ArrayList<>();
        long nodes = 0;
        Pattern nodeId = Pattern.compile("\"type\":\"(job|table)\"");
        for (int i = 0; i < queries; i++) {
            String path = graphPath(random);
            long t = System.nanoTime();
            HttpResponse<String> response = send(http, "GET", base + path, null);
            millis.add((System.nanoTime() - t) / 1e6);
            if (response.statusCode() != 200) {
                throw new IllegalStateException(path + " -> " + response.statusCode() + " " + response.body());
            }
            Matcher m = nodeId.matcher(response.body());
            while (m.find()) {
                nodes++;
            }
        }
        Collections.sort(millis);
        double p50 = millis.get(millis.size() / 2);
        double p95 = millis.get((int) Math.ceil(millis.size() * 0.95) - 1);
        double p99 = millis.get((int) Math.ceil(millis.size() * 0.99) - 1);
        System.out.printf(
                "graph query depth 10 (both directions) over 100,000 nodes: %d queries, avg %.0f nodes returned;"
                        + " p50 %.1f ms, p95 %.1f ms, p99 %.1f ms, max %.1f ms — p95 is %.2fx the %.0f ms target"
                        + " (below 1 is better)%n",
                queries,
                nodes / (double) queries,
                p50,
                p95,
                p99,
                millis.get(millis.size() - 1),
                p95 / TARGET_P95_MS,
                TARGET_P95_MS);
    }

    private static String graphPath(Random random) {
        int g = random.nextInt(LAYERS * WIDTH);
        String node = random.nextBoolean() ? "table:bench.t" + g : "job:bench_j" + g;
        return "/api/v1/lineage?node=" + node + "&depth=10&direction=both";
    }

    private static HttpClient client() {
        return HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5))
                .build();
    }

    private static HttpResponse<String> send(HttpClient http, String method, String url, String json) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url))
                .timeout(Duration.ofSeconds(30))
                .header("Authorization", "Bearer " + KEY);
        if (json != null) {
            request.header("Content-Type", "application/json");
        }
        request.method(
                method, json == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(json));
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
