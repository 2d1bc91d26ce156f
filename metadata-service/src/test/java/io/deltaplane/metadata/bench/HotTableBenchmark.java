package io.deltaplane.metadata.bench;

import io.deltaplane.metadata.MetadataServiceApplication;
import io.deltaplane.testing.ServiceProcess;
import io.deltaplane.testing.TestDatabase;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import tools.jackson.databind.json.JsonMapper;

/**
 * A hot table (a program, not a test): {@code -Dbench.writers=32} writers append small commits
 * (one {@code add} each) to ONE table for {@code -Dbench.seconds=30} seconds, three ways, in one
 * run: naming {@code expected_version} and retrying on 409 (optimistic concurrency, what every
 * object-store catalog offers); leaving the version to the platform (appends it places behind the
 * table's row lock, racing ones sharing a transaction, up to {@code -Dbench.group-size=32}); and
 * leaving the version to the platform with group commit off (a second metadata-service, over a
 * database of its own, with {@code deltaplane.metadata.commit.group-size=1}: each append its own
 * transaction), the reference that says what sharing transactions is worth. Each service runs in
 * its own JVM over a fresh database, as users run it; both are up for the whole run and the
 * phases take turns, so the machine's load falls on each alike (the load average is printed).
 *
 * <p>The run fails (an exception, a non-zero exit) rather than print a rate when a writer dies
 * (any answer but 201 or 409, any error), when two writers were acknowledged the same version, or
 * when a table's version read back after its phase is not its version before the phase plus the
 * commits the writers counted as acknowledged. Prints for each way commits/s, first-attempt success,
 * attempts per commit and p99 (first attempt to landing), the ratios to optimistic concurrency and to
 * the ungrouped reference, how many appends a transaction held, and one {@code RESULT} line.
 *
 * <p>{@code tools/bench metadata-service io.deltaplane.metadata.bench.HotTableBenchmark}
 * ({@code BENCH_JAVA_OPTS="-Dbench.seconds=15 -Dbench.warmup-seconds=5"} for a short run)
 */
public final class HotTableBenchmark {

    static final String KEY = "bench-admin-key-0123456789";
    private static final Pattern CURRENT = Pattern.compile("\"current_version\":(\\d+)");
    private static final Pattern VERSION = Pattern.compile("\"version\":(\\d+)");
    private static final JsonMapper JSON = JsonMapper.builder().build();

    /** What one way of committing achieved, and the table's version before and after it. */
    record Result(
            long commits,
            long firstAttempt,
            long attempts,
            double seconds,
            long p99Micros,
            long versionBefore,
            long versionAfter,
            double loadAverage) {
        double perSecond() {
            return commits / seconds;
        }

        double firstAttemptSuccess() {
            return commits == 0 ? 0 : (double) firstAttempt / commits;
        }
    }

    /** Phases (warm-ups included) whose writers all lived and whose versions were each acknowledged once. */
    private static final AtomicLong PHASES_CHECKED = new AtomicLong();

    public static void main(String[] args) throws Exception {
        int writers = Integer.getInteger("bench.writers", 32);
        int seconds = Integer.getInteger("bench.seconds", 30);
        int warmup = Integer.getInteger("bench.warmup-seconds", 5);
        String jvm = System.getProperty("bench.service.jvm", MetadataBenchmark.PLATFORM_JVM_OPTIONS);
        int groupSize = Integer.getInteger("bench.group-size", 32); // the service's default
        try (ServiceProcess grouped = start("metadata-service-hot", TestDatabase.get(), jvm, groupSize);
                ServiceProcess ungrouped =
                        start("metadata-service-hot-ungrouped", TestDatabase.createAnother(), jvm, 1)) {
            java.util.concurrent.ExecutorService pool =
                    java.util.concurrent.Executors.newFixedThreadPool(writers, r -> {
                        Thread t = new Thread(r);
                        t.setDaemon(true); // the program ends when main does
                        return t;
                    });
            HttpClient http = HttpClient.newBuilder().executor(pool).build();
            String base = grouped.baseUrl();
            String reference = ungrouped.baseUrl();
            createTables(http, base, List.of("occ", "ordered"));
            createTables(http, reference, List.of("ordered"));
            // warm-up: each service's JIT, every way, not counted (but checked like the rest)
            run(http, base, "occ", writers, warmup, true);
            run(http, base, "ordered", writers, warmup, false);
            run(http, reference, "ordered", writers, warmup, false);
            Result occ = run(http, base, "occ", writers, seconds, true);
            Result alone = run(http, reference, "ordered", writers, seconds, false);
            double[] groupsBefore = groupSizes(http, base);
            Result ordered = run(http, base, "ordered", writers, seconds, false);
            double[] groupsAfter = groupSizes(http, base);
            double transactions = groupsAfter[1] - groupsBefore[1];
            double appendsPerTransaction = transactions == 0 ? 1 : (groupsAfter[0] - groupsBefore[0]) / transactions;
            print("occ", occ);
            print("ungrouped", alone);
            print("ordered", ordered);
            System.out.printf(
                    Locale.ROOT,
                    "RESULT writers=%d seconds=%d ordered_commits_per_s=%.1f ungrouped_commits_per_s=%.1f"
                            + " occ_commits_per_s=%.1f ratio=%.2f grouping_ratio=%.2f first_attempt_success=%.4f"
                            + " occ_first_attempt_success=%.4f p99_ms=%.1f ungrouped_p99_ms=%.1f occ_p99_ms=%.1f"
                            + " appends_per_transaction=%.2f group_size=%d phases_checked=%d"
                            + " load_average=%.2f%n",
                    writers,
                    seconds,
                    ordered.perSecond(),
                    alone.perSecond(),
                    occ.perSecond(),
                    ordered.perSecond() / occ.perSecond(),
                    ordered.perSecond() / alone.perSecond(),
                    ordered.firstAttemptSuccess(),
                    occ.firstAttemptSuccess(),
                    ordered.p99Micros() / 1000.0,
                    alone.p99Micros() / 1000.0,
                    occ.p99Micros() / 1000.0,
                    appendsPerTransaction,
                    groupSize,
                    PHASES_CHECKED.get(),
                    ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
        }
    }

    private static ServiceProcess start(String name, TestDatabase db, String jvm, int groupSize) throws Exception {
        return ServiceProcess.start(
                name,
                ServiceProcess.Launch.mainClass(MetadataServiceApplication.class.getName()),
                jvm,
                db,
                KEY,
                Map.of(
                        "deltaplane.warehouse.root",
                        Files.createTempDirectory("deltaplane-bench-hot").toString(),
                        "deltaplane.lineage.enabled",
                        "false",
                        "deltaplane.metadata.commit.group-size",
                        Integer.toString(groupSize)));
    }

    private static void createTables(HttpClient http, String base, List<String> tables) {
        created(send(http, base + "/api/v1/catalogs", "{\"name\":\"hot\"}"));
        created(send(http, base + "/api/v1/schemas", "{\"catalog_name\":\"hot\",\"name\":\"s\"}"));
        for (String table : tables) {
            created(send(
                    http,
                    base + "/api/v1/tables",
                    "{\"catalog_name\":\"hot\",\"schema_name\":\"s\",\"name\":\"" + table + "\",\"schema\":"
                            + "{\"type\":\"struct\",\"fields\":[{\"name\":\"id\",\"type\":\"long\","
                            + "\"nullable\":true,\"metadata\":{}}]}}"));
        }
    }

    private static void created(HttpResponse<String> answer) {
        if (answer.statusCode() != 201) {
            throw new IllegalStateException(answer.statusCode() + " " + answer.body());
        }
    }

    /** The table's version as the service answers it now ({@code GET /api/v1/tables/hot.s.<table>}). */
    private static long version(HttpClient http, String base, String table) throws Exception {
        HttpResponse<String> answer = http.send(
                HttpRequest.newBuilder(URI.create(base + "/api/v1/tables/hot.s." + table))
                        .header("Authorization", "Bearer " + KEY)
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        if (answer.statusCode() != 200) {
            throw new IllegalStateException(answer.statusCode() + " " + answer.body());
        }
        return JSON.readTree(answer.body()).get("version").asLong();
    }

    private static void print(String way, Result r) {
        System.out.printf(
                Locale.ROOT,
                "%-9s %8.1f commits/s  first attempt %.2f%%  attempts/commit %.2f  p99 %.1f ms"
                        + "  version %d -> %d  load %.2f%n",
                way,
                r.perSecond(),
                100 * r.firstAttemptSuccess(),
                r.commits == 0 ? 0 : (double) r.attempts / r.commits,
                r.p99Micros / 1000.0,
                r.versionBefore,
                r.versionAfter,
                r.loadAverage);
    }

    /**
     * {@code writers} threads commit to {@code table} for {@code seconds}, naming versions or not;
     * throws if a writer died, if a version was acknowledged twice or outside the phase, or if the
     * table's version read back afterwards is not its version before plus the commits acknowledged.
     */
    private static Result run(HttpClient http, String base, String table, int writers, int seconds, boolean occ)
            throws Exception {
        String url = base + "/api/v1/tables/hot.s." + table + "/commits";
        long before = version(http, base, table);
        AtomicLong commits = new AtomicLong();
        AtomicLong firstAttempt = new AtomicLong();
        AtomicLong attempts = new AtomicLong();
        Set<Long> acknowledged = ConcurrentHashMap.newKeySet();
        AtomicLong twice = new AtomicLong();
        List<Throwable> deaths = Collections.synchronizedList(new ArrayList<>());
        List<Long> latencies = Collections.synchronizedList(new ArrayList<>());
        long end = System.nanoTime() + Duration.ofSeconds(seconds).toNanos();
        CountDownLatch done = new CountDownLatch(writers);
        long start = System.nanoTime();
        for (int w = 0; w < writers; w++) {
            int writer = w;
            new Thread(() -> {
                        try {
                            long known = before;
                            long n = 0;
                            while (System.nanoTime() < end) {
                                String add = "{\"add\":{\"path\":\"w" + writer + "-" + n++ + "-" + System.nanoTime()
                                        + ".parquet\",\"partitionValues\":{},\"size\":100,\"modificationTime\":1700000000000,"
                                        + "\"dataChange\":true}}";
                                long began = System.nanoTime();
                                int tries = 0;
                                long landed;
                                while (true) {
                                    tries++;
                                    String body = occ
                                            ? "{\"expected_version\":" + known + ",\"actions\":[" + add + "]}"
                                            : "{\"actions\":[" + add + "]}";
                                    HttpResponse<String> answer = send(http, url, body);
                                    if (answer.statusCode() == 201) {
                                        Matcher v = VERSION.matcher(answer.body());
                                        if (!v.find()) {
                                            throw new IllegalStateException("201 without a version: " + answer.body());
                                        }
                                        landed = Long.parseLong(v.group(1));
                                        break;
                                    }
                                    Matcher current = CURRENT.matcher(answer.body());
                                    if (!occ || answer.statusCode() != 409 || !current.find()) {
                                        throw new IllegalStateException(answer.statusCode() + " " + answer.body());
                                    }
                                    known = Long.parseLong(current.group(1)); // re-read, rebase, retry
                                }
                                known = landed;
                                if (!acknowledged.add(landed)) {
                                    twice.incrementAndGet();
                                }
                                latencies.add((System.nanoTime() - began) / 1000);
                                commits.incrementAndGet();
                                attempts.addAndGet(tries);
                                if (tries == 1) {
                                    firstAttempt.incrementAndGet();
                                }
                            }
                        } catch (Throwable e) {
                            deaths.add(e); // the run fails: a dead writer cannot pass for a slow one
                            System.err.println("writer " + writer + " died: " + e);
                        } finally {
                            done.countDown();
                        }
                    })
                    .start();
        }
        done.await();
        double elapsed = (System.nanoTime() - start) / 1e9;
        long after = version(http, base, table);
        if (!deaths.isEmpty()) {
            throw new IllegalStateException(
                    deaths.size() + " of " + writers + " writers died on " + table, deaths.get(0));
        }
        if (after != before + commits.get() || acknowledged.stream().anyMatch(v -> v <= before || v > after)) {
            throw new IllegalStateException(String.format(
                    Locale.ROOT,
                    "%s: version %d before, %d after, but %d commits acknowledged (versions %s..%s)",
                    table,
                    before,
                    after,
                    commits.get(),
                    acknowledged.stream().min(Long::compare).orElse(null),
                    acknowledged.stream().max(Long::compare).orElse(null)));
        }
        if (twice.get() > 0) {
            throw new IllegalStateException(twice.get() + " versions of " + table + " acknowledged twice");
        }
        PHASES_CHECKED.incrementAndGet(); // every writer lived, every version once: counted, not assumed
        List<Long> sorted = new ArrayList<>(latencies);
        Collections.sort(sorted);
        long p99 = sorted.isEmpty() ? 0 : sorted.get((int) Math.min(sorted.size() - 1, sorted.size() * 0.99));
        return new Result(
                commits.get(),
                firstAttempt.get(),
                attempts.get(),
                elapsed,
                p99,
                before,
                after,
                ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
    }

    /**
     * The service's group-commit summary: commits written in groups (sum) and the transactions
     * that wrote them (count). Zero with {@code -Dbench.group-size=1}: each commit alone.
     */
    private static double[] groupSizes(HttpClient http, String base) throws Exception {
        String metrics = http.send(
                        HttpRequest.newBuilder(URI.create(base + "/actuator/prometheus"))
                                .header("Authorization", "Bearer " + KEY)
                                .build(),
                        HttpResponse.BodyHandlers.ofString())
                .body();
        double[] sumAndCount = new double[2];
        metrics.lines().forEach(line -> {
            if (line.startsWith("deltaplane_metadata_commit_group_size_sum")) {
                sumAndCount[0] += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
            } else if (line.startsWith("deltaplane_metadata_commit_group_size_count")) {
                sumAndCount[1] += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
            }
        });
        return sumAndCount;
    }

    private static HttpResponse<String> send(HttpClient http, String url, String body) {
        try {
            return http.send(
                    HttpRequest.newBuilder(URI.create(url))
                            .header("Authorization", "Bearer " + KEY)
                            .header("Content-Type", "application/json")
                            .POST(HttpRequest.BodyPublishers.ofString(body))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
