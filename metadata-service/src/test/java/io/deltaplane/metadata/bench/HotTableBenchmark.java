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
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A hot table (a program, not a test): {@code -Dbench.writers=32} writers append small commits
 * (one {@code add} each) to ONE table for {@code -Dbench.seconds=30} seconds, once naming {@code
 * expected_version} and retrying on 409 (optimistic concurrency, what every object-store catalog
 * offers) and once leaving the version to the platform (appends it places behind the table's row
 * lock, racing ones sharing a transaction), against metadata-service in its own JVM over a fresh
 * database, as users run it. Prints for each way commits/s, first-attempt success and p99 (first
 * attempt to landing), the ratio, how many appends a transaction held ({@code -Dbench.group-size=1}:
 * one each, no group commit) and the machine's load average, and one {@code RESULT} line.
 *
 * <p>{@code tools/bench metadata-service io.deltaplane.metadata.bench.HotTableBenchmark}
 */
public final class HotTableBenchmark {

    static final String KEY = "bench-admin-key-0123456789";
    private static final Pattern CURRENT = Pattern.compile("\"current_version\":(\\d+)");
    private static final Pattern VERSION = Pattern.compile("\"version\":(\\d+)");

    /** What one way of committing achieved. */
    record Result(long commits, long firstAttempt, long attempts, long died, double seconds, long p99Micros) {
        double perSecond() {
            return commits / seconds;
        }

        double firstAttemptSuccess() {
            return commits == 0 ? 0 : (double) firstAttempt / commits;
        }
    }

    public static void main(String[] args) throws Exception {
        int writers = Integer.getInteger("bench.writers", 32);
        int seconds = Integer.getInteger("bench.seconds", 30);
        String jvm = System.getProperty("bench.service.jvm", MetadataBenchmark.PLATFORM_JVM_OPTIONS);
        int groupSize = Integer.getInteger("bench.group-size", 32); // the service's default
        TestDatabase db = TestDatabase.get();
        Path warehouse = Files.createTempDirectory("deltaplane-bench-hot");
        try (ServiceProcess service = ServiceProcess.start(
                "metadata-service-hot",
                ServiceProcess.Launch.mainClass(MetadataServiceApplication.class.getName()),
                jvm,
                db,
                KEY,
                Map.of(
                        "deltaplane.warehouse.root",
                        warehouse.toString(),
                        "deltaplane.lineage.enabled",
                        "false",
                        "deltaplane.metadata.commit.group-size",
                        Integer.toString(groupSize)))) {
            java.util.concurrent.ExecutorService pool =
                    java.util.concurrent.Executors.newFixedThreadPool(writers, r -> {
                        Thread t = new Thread(r);
                        t.setDaemon(true); // the program ends when main does
                        return t;
                    });
            HttpClient http = HttpClient.newBuilder().executor(pool).build();
            String base = service.baseUrl();
            send(http, base + "/api/v1/catalogs", "{\"name\":\"hot\"}");
            send(http, base + "/api/v1/schemas", "{\"catalog_name\":\"hot\",\"name\":\"s\"}");
            for (String table : List.of("occ", "ordered")) {
                send(
                        http,
                        base + "/api/v1/tables",
                        "{\"catalog_name\":\"hot\",\"schema_name\":\"s\",\"name\":\"" + table + "\",\"schema\":"
                                + "{\"type\":\"struct\",\"fields\":[{\"name\":\"id\",\"type\":\"long\","
                                + "\"nullable\":true,\"metadata\":{}}]}}");
            }
            // warm-up: the service's JIT, both ways, a few seconds each, not counted
            run(http, base, "occ", writers, 5, true);
            run(http, base, "ordered", writers, 5, false);
            Result occ = run(http, base, "occ", writers, seconds, true);
            double[] groupsBefore = groupSizes(http, base);
            Result ordered = run(http, base, "ordered", writers, seconds, false);
            double[] groupsAfter = groupSizes(http, base);
            double transactions = groupsAfter[1] - groupsBefore[1];
            double appendsPerTransaction = transactions == 0 ? 1 : (groupsAfter[0] - groupsBefore[0]) / transactions;
            double load = ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
            print("occ", occ);
            print("ordered", ordered);
            System.out.printf(
                    Locale.ROOT,
                    "RESULT writers=%d ordered_commits_per_s=%.1f occ_commits_per_s=%.1f ratio=%.2f"
                            + " first_attempt_success=%.4f occ_first_attempt_success=%.4f p99_ms=%.1f"
                            + " occ_p99_ms=%.1f appends_per_transaction=%.2f group_size=%d writers_died=%d"
                            + " load_average=%.2f%n",
                    writers,
                    ordered.perSecond(),
                    occ.perSecond(),
                    ordered.perSecond() / occ.perSecond(),
                    ordered.firstAttemptSuccess(),
                    occ.firstAttemptSuccess(),
                    ordered.p99Micros() / 1000.0,
                    occ.p99Micros() / 1000.0,
                    appendsPerTransaction,
                    groupSize,
                    occ.died() + ordered.died(),
                    load);
        }
    }

    private static void print(String way, Result r) {
        System.out.printf(
                Locale.ROOT,
                "%-8s %8.1f commits/s  first attempt %.2f%%  attempts/commit %.2f  p99 %.1f ms%n",
                way,
                r.perSecond(),
                100 * r.firstAttemptSuccess(),
                r.commits == 0 ? 0 : (double) r.attempts / r.commits,
                r.p99Micros / 1000.0);
    }

    /** {@code writers} threads commit to {@code table} for {@code seconds}, naming versions or not. */
    private static Result run(HttpClient http, String base, String table, int writers, int seconds, boolean occ)
            throws InterruptedException {
        String url = base + "/api/v1/tables/hot.s." + table + "/commits";
        AtomicLong commits = new AtomicLong();
        AtomicLong firstAttempt = new AtomicLong();
        AtomicLong attempts = new AtomicLong();
        AtomicLong died = new AtomicLong();
        List<Long> latencies = Collections.synchronizedList(new ArrayList<>());
        long end = System.nanoTime() + Duration.ofSeconds(seconds).toNanos();
        CountDownLatch done = new CountDownLatch(writers);
        long start = System.nanoTime();
        for (int w = 0; w < writers; w++) {
            int writer = w;
            new Thread(() -> {
                        try {
                            long known = 0;
                            long n = 0;
                            while (System.nanoTime() < end) {
                                String add = "{\"add\":{\"path\":\"w" + writer + "-" + n++ + "-" + System.nanoTime()
                                        + ".parquet\",\"partitionValues\":{},\"size\":100,\"modificationTime\":1700000000000,"
                                        + "\"dataChange\":true}}";
                                long began = System.nanoTime();
                                int tries = 0;
                                while (true) {
                                    tries++;
                                    String body = occ
                                            ? "{\"expected_version\":" + known + ",\"actions\":[" + add + "]}"
                                            : "{\"actions\":[" + add + "]}";
                                    HttpResponse<String> answer = send(http, url, body);
                                    if (answer.statusCode() == 201) {
                                        Matcher v = VERSION.matcher(answer.body());
                                        known = v.find() ? Long.parseLong(v.group(1)) : known;
                                        break;
                                    }
                                    Matcher current = CURRENT.matcher(answer.body());
                                    if (answer.statusCode() != 409 || !current.find()) {
                                        throw new IllegalStateException(answer.statusCode() + " " + answer.body());
                                    }
                                    known = Long.parseLong(current.group(1)); // re-read, rebase, retry
                                }
                                latencies.add((System.nanoTime() - began) / 1000);
                                commits.incrementAndGet();
                                attempts.addAndGet(tries);
                                if (tries == 1) {
                                    firstAttempt.incrementAndGet();
                                }
                            }
                        } catch (Exception e) {
                            died.incrementAndGet(); // counted, so a dead writer cannot pass for a fast one
                            System.err.println("writer " + writer + " died: " + e);
                        } finally {
                            done.countDown();
                        }
                    })
                    .start();
        }
        done.await();
        double elapsed = (System.nanoTime() - start) / 1e9;
        List<Long> sorted = new ArrayList<>(latencies);
        Collections.sort(sorted);
        long p99 = sorted.isEmpty() ? 0 : sorted.get((int) Math.min(sorted.size() - 1, sorted.size() * 0.99));
        return new Result(commits.get(), firstAttempt.get(), attempts.get(), died.get(), elapsed, p99);
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
