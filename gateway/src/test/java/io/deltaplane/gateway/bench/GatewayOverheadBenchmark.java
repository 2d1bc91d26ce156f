package io.deltaplane.gateway.bench;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Gateway overhead: the same GET of a table and the same commit, sent straight to metadata-service
 * and through the gateway, by N concurrent clients for a fixed time each, in one run. Prints p50,
 * p99 and throughput for both and the ratios the issue targets (at most 2 ms added at p50, at least
 * 0.8x the direct throughput).
 *
 * <p>Needs a running metadata-service and gateway (e.g. {@code ./platform up}). Settings (system
 * properties): {@code bench.direct} (default http://localhost:8081), {@code bench.gateway}
 * (http://localhost:8080), {@code bench.key} (default {@code DELTAPLANE_ADMIN_API_KEY} or
 * {@code .platform/admin-api-key}), {@code bench.clients} (8), {@code bench.seconds} (30),
 * {@code bench.warmup} (5), {@code bench.topology} ({@code isolated}: the gateway on its own CPU
 * as in a deployment, or {@code shared}; see {@link CpuPlacement}).
 */
public final class GatewayOverheadBenchmark {

    private static final Pattern VERSION = Pattern.compile("\"(?:current_)?version\"\\s*:\\s*(\\d+)");
    private static final String SCHEMA_JSON = "{\"type\":\"struct\",\"fields\":[{\"name\":\"id\",\"type\":\"long\","
            + "\"nullable\":true,\"metadata\":{}},{\"name\":\"amount\",\"type\":\"double\",\"nullable\":true,"
            + "\"metadata\":{}}]}";

    /** Length of one measured slice; the cases alternate slice by slice. */
    private static final Duration SLICE = Duration.ofSeconds(5);

    private final String direct;
    private final String gateway;
    private final String key;
    private final int clients;
    private final Duration measured;
    private final Duration warmup;
    private final ProcessCpu cpu = ProcessCpu.ofPlatform(platformDir().resolve("pids"));
    private final HttpClient http = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .build();

    private GatewayOverheadBenchmark(
            String direct, String gateway, String key, int clients, Duration measured, Duration warmup) {
        this.direct = direct;
        this.gateway = gateway;
        this.key = key;
        this.clients = clients;
        this.measured = measured;
        this.warmup = warmup;
    }

    public static void main(String[] args) throws Exception {
        GatewayOverheadBenchmark bench = new GatewayOverheadBenchmark(
                System.getProperty("bench.direct", "http://localhost:8081"),
                System.getProperty("bench.gateway", "http://localhost:8080"),
                apiKey(),
                Integer.getInteger("bench.clients", 8),
                Duration.ofSeconds(Integer.getInteger("bench.seconds", 30)),
                Duration.ofSeconds(Integer.getInteger("bench.warmup", 5)));
        String topology = System.getProperty("bench.topology", "isolated");
        CpuPlacement placement = new CpuPlacement(platformDir().resolve("pids"));
        switch (topology) {
            case "isolated" -> System.out.println("CPU placement: " + placement.isolate());
            case "shared" -> {
                placement.restore();
                System.out.println("CPU placement: shared: every process on every CPU");
            }
            default -> throw new IllegalArgumentException("bench.topology is isolated or shared, got " + topology);
        }
        try {
            bench.run();
        } finally {
            placement.restore();
        }
    }

    private static String apiKey() throws IOException {
        String key = System.getProperty("bench.key", System.getenv("DELTAPLANE_ADMIN_API_KEY"));
        if (key == null || key.isBlank()) {
            Path file = platformDir().resolve("admin-api-key");
            if (Files.exists(file)) {
                key = Files.readString(file).trim();
            }
        }
        if (key == null || key.isBlank()) {
            throw new IllegalStateException(
                    "No API key: set -Dbench.key, DELTAPLANE_ADMIN_API_KEY or run ./platform up");
        }
        return key;
    }

    /** The state directory of {@code ./platform up}, from the repository root or this module. */
    private static Path platformDir() {
        Path here = Path.of(".platform");
        return Files.isDirectory(here) ? here : Path.of("../.platform");
    }

    private void run() throws Exception {
        System.out.printf(
                "Gateway overhead: %d clients, %d s measured (+%d s warm-up) per case%n  direct  %s%n  gateway %s%n",
                clients, measured.toSeconds(), warmup.toSeconds(), direct, gateway);
        String prefix = "t" + Long.toString(System.currentTimeMillis() % 1_000_000, 36);
        setUp(prefix);

        String table = "bench.gw." + prefix + "_get";
        Result getDirect = new Result("GET direct", clients);
        Result getGateway = new Result("GET gateway", clients);
        measureAlternately(
                getDirect,
                c -> get(direct, "/api/v1/tables/" + table),
                getGateway,
                c -> get(gateway, "/api/v1/tables/" + table));

        long[] versions = new long[clients * 2];
        Result commitDirect = new Result("commit direct", clients);
        Result commitGateway = new Result("commit gateway", clients);
        measureAlternately(
                commitDirect,
                c -> commit(direct, prefix, c, versions),
                commitGateway,
                c -> commit(gateway, prefix, clients + c, versions));

        System.out.println();
        System.out.printf("%-15s %10s %10s %12s %9s%n", "case", "p50 ms", "p99 ms", "req/s", "errors");
        for (Result r : List.of(getDirect, getGateway, commitDirect, commitGateway)) {
            System.out.printf(
                    Locale.ROOT,
                    "%-15s %10.3f %10.3f %12.1f %9d%n",
                    r.name,
                    r.p50Millis(),
                    r.p99Millis(),
                    r.throughput(),
                    r.errors);
        }
        System.out.println(io.deltaplane.testing.MachineCpu.loadAverage());
        System.out.println();
        System.out.println("CPU ms per request, by process (where the machine's time went):");
        System.out.printf("%-15s", "case");
        getDirect.cpuMillis.keySet().forEach(part -> System.out.printf("%18s", part));
        System.out.println();
        for (Result r : List.of(getDirect, getGateway, commitDirect, commitGateway)) {
            System.out.printf("%-15s", r.name);
            r.cpuMillis.values().forEach(millis -> System.out.printf(Locale.ROOT, "%18.3f", millis / r.count()));
            System.out.println();
        }
        System.out.println();
        report("GET", getDirect, getGateway);
        report("commit", commitDirect, commitGateway);
    }

    private static void report(String what, Result direct, Result gateway) {
        double added = gateway.p50Millis() - direct.p50Millis();
        double ratio = gateway.throughput() / direct.throughput();
        System.out.printf(
                Locale.ROOT,
                "%-7s added p50 %.3f ms (target <= 2 ms: %s), throughput %.2fx direct (target >= 0.8x: %s)%n",
                what,
                added,
                added <= 2.0 ? "met" : "NOT met",
                ratio,
                ratio >= 0.8 ? "met" : "NOT met");
    }

    private void setUp(String prefix) throws Exception {
        ensure(post(direct, "/api/v1/catalogs", "{\"name\":\"bench\"}"));
        ensure(post(direct, "/api/v1/schemas", "{\"catalog_name\":\"bench\",\"name\":\"gw\"}"));
        List<String> tables = new ArrayList<>();
        tables.add(prefix + "_get");
        for (int i = 0; i < clients * 2; i++) {
            tables.add(prefix + "_c" + i);
        }
        for (String t : tables) {
            ensure(post(
                    direct,
                    "/api/v1/tables",
                    "{\"catalog_name\":\"bench\",\"schema_name\":\"gw\",\"name\":\"" + t + "\",\"schema\":"
                            + SCHEMA_JSON + "}"));
        }
    }

    private static void ensure(HttpResponse<String> response) {
        if (response.statusCode() >= 300 && response.statusCode() != 409) {
            throw new IllegalStateException("setup failed: " + response.statusCode() + " " + response.body());
        }
    }

    /** One request of a case; returns false when the answer was not the expected success. */
    private interface Call {
        boolean run(int client) throws Exception;
    }

    private boolean get(String base, String path) throws Exception {
        return send(base, path, "GET", null).statusCode() == 200;
    }

    private boolean commit(String base, String prefix, int slot, long[] versions) throws Exception {
        String table = "bench.gw." + prefix + "_c" + slot;
        String body = "{\"expected_version\":" + versions[slot] + ",\"actions\":[{\"add\":{\"path\":\"part-"
                + UUID.randomUUID() + ".parquet\",\"partitionValues\":{},\"size\":1024,\"modificationTime\":"
                + System.currentTimeMillis() + ",\"dataChange\":true}}]}";
        HttpResponse<String> response = post(base, "/api/v1/tables/" + table + "/commits", body);
        Matcher m = VERSION.matcher(response.body());
        if (m.find()) {
            versions[slot] = Long.parseLong(m.group(1)); // committed version, or current one on a conflict
        }
        return response.statusCode() == 201;
    }

    /**
     * Warms both up, then measures them in alternating slices (direct, gateway, direct, …) adding
     * up to {@code measured} each, so background work that comes and goes (publishing, checkpoints,
     * lineage delivery of earlier commits) falls on both alike instead of on whichever ran second.
     */
    private void measureAlternately(Result first, Call firstCall, Result second, Call secondCall) throws Exception {
        runFor(warmup, firstCall, null);
        runFor(warmup, secondCall, null);
        int slices = Math.max(1, (int) (measured.toSeconds() / SLICE.toSeconds()));
        Duration slice = measured.dividedBy(slices);
        for (int i = 0; i < slices; i++) {
            measureSlice(first, firstCall, slice);
            measureSlice(second, secondCall, slice);
        }
        for (Result r : List.of(first, second)) {
            System.out.printf(Locale.ROOT, "  %-15s done: %d requests%n", r.name, r.count());
        }
    }

    private void measureSlice(Result result, Call call, Duration slice) throws Exception {
        Map<String, Double> cpuBefore = cpu.sample();
        result.elapsedNanos += runFor(slice, call, result);
        cpu.sample().forEach((part, millis) -> result.cpuMillis.merge(part, millis - cpuBefore.get(part), Double::sum));
    }

    private long runFor(Duration duration, Call call, Result result) throws Exception {
        CountDownLatch done = new CountDownLatch(clients);
        AtomicLong errors = new AtomicLong();
        long start = System.nanoTime();
        long end = start + duration.toNanos();
        List<Thread> threads = new ArrayList<>();
        for (int c = 0; c < clients; c++) {
            int client = c;
            Thread t = new Thread(() -> {
                try {
                    while (System.nanoTime() < end) {
                        long t0 = System.nanoTime();
                        boolean ok;
                        try {
                            ok = call.run(client);
                        } catch (Exception e) {
                            ok = false;
                        }
                        long took = System.nanoTime() - t0;
                        if (!ok) {
                            errors.incrementAndGet();
                        } else if (result != null) {
                            result.record(client, took);
                        }
                    }
                } finally {
                    done.countDown();
                }
            });
            t.start();
            threads.add(t);
        }
        done.await();
        if (result != null) {
            result.errors += errors.get();
        }
        return System.nanoTime() - start;
    }

    private HttpResponse<String> post(String base, String path, String json) throws Exception {
        return send(base, path, "POST", json);
    }

    private HttpResponse<String> send(String base, String path, String method, String json) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path))
                .timeout(Duration.ofSeconds(30))
                .header("Authorization", "Bearer " + key);
        if (json == null) {
            request.method(method, HttpRequest.BodyPublishers.noBody());
        } else {
            request.header("Content-Type", "application/json")
                    .method(method, HttpRequest.BodyPublishers.ofString(json));
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** Latencies of one case, one growable array per client thread. */
    private static final class Result {
        final String name;
        final long[][] latencies;
        final int[] sizes;
        long errors;
        long elapsedNanos;
        final Map<String, Double> cpuMillis = new LinkedHashMap<>();

        Result(String name, int clients) {
            this.name = name;
            this.latencies = new long[clients][1024];
            this.sizes = new int[clients];
        }

        void record(int client, long nanos) {
            if (sizes[client] == latencies[client].length) {
                latencies[client] = Arrays.copyOf(latencies[client], sizes[client] * 2);
            }
            latencies[client][sizes[client]++] = nanos;
        }

        long count() {
            return Arrays.stream(sizes).asLongStream().sum();
        }

        private long[] sorted() {
            long[] all = new long[(int) count()];
            int at = 0;
            for (int c = 0; c < sizes.length; c++) {
                System.arraycopy(latencies[c], 0, all, at, sizes[c]);
                at += sizes[c];
            }
            Arrays.sort(all);
            return all;
        }

        double percentileMillis(double p) {
            long[] all = sorted();
            if (all.length == 0) {
                return Double.NaN;
            }
            int index = (int) Math.min(all.length - 1, Math.ceil(p * all.length) - 1);
            return all[Math.max(0, index)] / 1_000_000.0;
        }

        double p50Millis() {
            return percentileMillis(0.50);
        }

        double p99Millis() {
            return percentileMillis(0.99);
        }

        double throughput() {
            return count() / (elapsedNanos / 1_000_000_000.0);
        }
    }
}
