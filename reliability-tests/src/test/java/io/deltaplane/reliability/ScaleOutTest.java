package io.deltaplane.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import io.deltaplane.testing.CommitChecker;
import io.deltaplane.testing.CommitHistory;
import io.deltaplane.testing.CommitHistory.Outcome;
import io.deltaplane.testing.CommitWorkload;
import io.deltaplane.testing.FaultyConnections;
import io.deltaplane.testing.PlatformApps;
import io.deltaplane.testing.RawS3DeltaLog;
import io.deltaplane.testing.S3ProxyServer;
import io.deltaplane.testing.ServiceProcess;
import io.deltaplane.testing.TestDatabase;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The metadata tier as the chart runs it, scaled out and knocked about on one machine: three
 * metadata-service replicas (the build's jar, each in its own JVM) behind a round-robin balancer
 * (a Kubernetes Service: {@link FaultyConnections#balancing}), two gateways in front of it, one Postgres, the
 * warehouse on S3 (S3Proxy), background intervals short (the data-health pass and the reconcile
 * every 5 s (their shortest), publishing, checkpoints and the Iceberg conversion as configured). For about a minute
 * writers commit through both gateways (racing writers per table and multi-table transactions) and
 * an Iceberg reader loads the tables (so every replica converts them), while: a metadata replica is
 * killed with {@code kill -9} and started again, a gateway is killed and started again, and the
 * replicas go 3 → 2 → 3 by SIGTERM (the balancer drops a replica first, as Kubernetes does). Checked
 * after the writers drain, each printed with its count: every acknowledged commit once at its
 * version, versions contiguous, no answer a 5xx but 503; every action of every version of each
 * {@code _delta_log} on the bucket as Postgres holds it; each table's Iceberg metadata with one
 * snapshot per Delta version, never two, current with the table, none failed; and each cluster-wide
 * pass run once per interval whatever the replica count (the passes' starts counted in Postgres).
 */
class ScaleOutTest {

    private static final String KEY = "scale-out-admin-key-0001";
    private static final List<String> TABLES = List.of("so.s.a", "so.s.b");
    private static final String BUCKET = "lake";
    private static final Duration PASS_INTERVAL = Duration.ofSeconds(5);
    /**
     * Each writer's pause between its commits: a steady load the two cores carry beside five JVMs
     * starting and stopping and three replicas converting every version for the Iceberg reader.
     */
    private static final Duration PACE = Duration.ofMillis(100);

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final String ICEBERG = "/api/2.1/unity-catalog/iceberg/v1/catalogs/so/namespaces/s/tables/";
    private static final String PASS_STARTS =
            "SELECT name, started_at FROM platform.background_passes WHERE name LIKE 'metadata.%'";

    private final TestDatabase db = TestDatabase.createAnother();
    private final S3ProxyServer s3 = S3ProxyServer.start();
    /** The metadata Service: round robin over the ready replicas. */
    private final FaultyConnections balancer = FaultyConnections.balancing();

    private final CommitHistory history = new CommitHistory();
    private final List<ServiceProcess> metadata = new CopyOnWriteArrayList<>();
    private final List<ServiceProcess> gateways = new CopyOnWriteArrayList<>();
    private final AtomicInteger nextGateway = new AtomicInteger();
    private final AtomicInteger replicasStarted = new AtomicInteger();
    private CommitWorkload workload;
    private PassCounter passes;
    private IcebergLoads loads;
    private Path metadataJar;
    private Path gatewayJar;

    @AfterEach
    void stop() throws InterruptedException {
        // also when an assertion failed: no writers or pollers left behind for later tests
        if (workload != null) {
            workload.stop();
        }
        if (loads != null) {
            loads.stop();
        }
        if (passes != null) {
            passes.stop();
        }
        gateways.forEach(ServiceProcess::close);
        metadata.forEach(ServiceProcess::close);
        balancer.close();
        s3.close();
    }

    @Test
    void threeReplicasTwoGatewaysKilledAndScaledLoseNothingAndDoEachJobOnce() throws Exception {
        metadataJar = PlatformApps.builtJar("metadata-service");
        gatewayJar = PlatformApps.builtJar("gateway");
        try (var bucket = RawS3DeltaLog.client(s3.environment())) {
            bucket.createBucket(b -> b.bucket(BUCKET));
        }
        // the first replicas and gateways start side by side, as a Deployment's pods do
        List<java.util.concurrent.CompletableFuture<Void>> starting = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            starting.add(java.util.concurrent.CompletableFuture.runAsync(this::startReplicaUnchecked));
        }
        java.util.concurrent.CompletableFuture.allOf(starting.toArray(java.util.concurrent.CompletableFuture[]::new))
                .join();
        gateways.add(startGateway("gateway-1"));
        gateways.add(startGateway("gateway-2"));

        workload = new CommitWorkload(KEY, TABLES, this::gateway, history);
        workload.createTables();
        passes = new PassCounter();
        passes.start();
        loads = new IcebergLoads();
        loads.start();
        workload.start(2, PACE);
        long started = System.nanoTime();
        List<String> faults = new ArrayList<>();

        CommitWorkload.pause(Duration.ofSeconds(8));
        ServiceProcess killed = metadata.get(1);
        balancer.removeUpstream(killed.port()); // found dead by the endpoints controller
        killed.kill();
        metadata.remove(killed);
        faults.add("kill -9 " + killed.name());
        CommitWorkload.pause(Duration.ofSeconds(3));
        startReplica();
        faults.add("restarted as metadata-" + replicasStarted.get());

        CommitWorkload.pause(Duration.ofSeconds(6));
        ServiceProcess gateway = gateways.get(0);
        gateway.kill();
        gateways.remove(gateway);
        faults.add("kill -9 " + gateway.name());
        gateways.add(startGateway("gateway-3"));
        faults.add("restarted as gateway-3");

        CommitWorkload.pause(Duration.ofSeconds(6));
        ServiceProcess leaving = metadata.get(0);
        balancer.removeUpstream(leaving.port()); // terminating: out of the Service first, then SIGTERM
        leaving.close();
        metadata.remove(leaving);
        faults.add("SIGTERM " + leaving.name() + " (3 -> 2)");
        CommitWorkload.pause(Duration.ofSeconds(6));
        startReplica();
        faults.add("scaled back to 3 with metadata-" + replicasStarted.get());
        CommitWorkload.pause(Duration.ofSeconds(8));

        workload.stop();
        loads.stop();
        long seconds = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - started);
        Map<String, Long> current = workload.awaitPublished();
        passes.stop();

        CommitChecker.Check check;
        try (RawS3DeltaLog log = RawS3DeltaLog.connect(s3.environment())) {
            check = CommitChecker.checkEveryAction(db, history, current, log::versions);
        }
        Map<String, IcebergSnapshots> iceberg = new LinkedHashMap<>();
        for (String table : TABLES) {
            iceberg.put(table, IcebergSnapshots.awaitCurrent(this::gateway, table, current.get(table)));
        }
        Map<String, Integer> expectedPasses = new TreeMap<>();
        passes.starts.forEach((name, starts) ->
                expectedPasses.put(name, (int) (passes.watchedMillis() / (PASS_INTERVAL.toMillis() * 0.9)) + 1));
        System.out.printf(
                Locale.ROOT,
                "scale out: %d s, faults %s; %s; iceberg %s (loads %s); pass starts %s (at most %s)%n",
                seconds,
                faults,
                check.summary(history),
                iceberg,
                new TreeMap<>(loads.statuses),
                passes.counts(),
                expectedPasses);

        check.assertNothingLost(history); // once at its version, contiguous, no 5xx but 503
        assertThat(history.count(Outcome.ACKNOWLEDGED)).isPositive();
        for (var entry : iceberg.entrySet()) {
            IcebergSnapshots snapshots = entry.getValue();
            assertThat(snapshots.duplicated())
                    .as("Delta versions of %s with two Iceberg snapshots", entry.getKey())
                    .isEmpty();
            assertThat(snapshots.newest())
                    .as("%s's Iceberg metadata is current", entry.getKey())
                    .isEqualTo(current.get(entry.getKey()));
            assertThat(snapshots.gaps())
                    .as("Delta versions of %s missing between its kept snapshots", entry.getKey())
                    .isEmpty();
        }
        assertThat(loads.statuses.keySet())
                .as("Iceberg loads answered (503 while a gateway or replica died)")
                .isSubsetOf(200, 503, -1);
        assertThat(loads.statuses.getOrDefault(200, 0)).isPositive();
        assertThat(passes.failure).as("the pass counter's polling of Postgres").isNull();
        assertThat(icebergErrors())
                .as("tables whose Iceberg conversion is marked failed (a replica losing a race is not a failure)")
                .isEmpty();
        assertThat(passes.counts().keySet())
                .as("the cluster-wide passes seen")
                .contains("metadata.health-pass", "metadata.delta-log-reconcile");
        passes.counts()
                .forEach((name, count) -> assertThat(count)
                        .as(
                                "starts of %s in %d ms at one per %s across 3 replicas",
                                name, passes.watchedMillis(), PASS_INTERVAL)
                        .isLessThanOrEqualTo(expectedPasses.get(name)));
    }

    /** Tables whose Iceberg conversion carries an error. */
    private Map<String, String> icebergErrors() throws java.sql.SQLException {
        Map<String, String> errors = new TreeMap<>();
        try (Connection c = db.connect();
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT t.name, i.last_error FROM metadata.iceberg_tables i"
                        + " JOIN metadata.tables t ON t.id = i.table_id WHERE i.last_error IS NOT NULL")) {
            while (rs.next()) {
                errors.put(rs.getString(1), rs.getString(2));
            }
        }
        return errors;
    }

    /** The next gateway, round robin: what a load balancer in front of the gateways does. */
    private String gateway() {
        List<ServiceProcess> live = List.copyOf(gateways);
        return live.get(Math.floorMod(nextGateway.getAndIncrement(), live.size()))
                .baseUrl();
    }

    private void startReplicaUnchecked() {
        try {
            startReplica();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private void startReplica() throws Exception {
        String name = "metadata-" + replicasStarted.incrementAndGet();
        Map<String, String> settings = new LinkedHashMap<>(s3.environment());
        settings.put("deltaplane.warehouse.uri", "s3://" + BUCKET + "/warehouse");
        settings.put("deltaplane.lineage.enabled", "false");
        settings.put("deltaplane.health.evaluation-interval", PASS_INTERVAL.toSeconds() + "s");
        settings.put("deltaplane.publish.reconcile-interval", PASS_INTERVAL.toSeconds() + "s");
        settings.put("deltaplane.publish.checkpoint-interval", "10");
        settings.put("deltaplane.publish.checkpoint-min-interval", "0s");
        settings.put("deltaplane.iceberg.interval", "500ms");
        ServiceProcess replica = ServiceProcess.start(
                name, ServiceProcess.Launch.jar(metadataJar), ServiceProcess.SUITE_JVM_OPTIONS, db, KEY, settings);
        metadata.add(replica);
        balancer.addUpstream(replica.port());
    }

    private ServiceProcess startGateway(String name) throws Exception {
        return ServiceProcess.start(
                name,
                ServiceProcess.Launch.jar(gatewayJar),
                ServiceProcess.SUITE_JVM_OPTIONS,
                db,
                KEY,
                Map.of(
                        "deltaplane.gateway.backends.metadata.url", "http://127.0.0.1:" + balancer.port(),
                        // not part of this test: their routes answer 503
                        "deltaplane.gateway.backends.lineage.url", "http://127.0.0.1:9",
                        "deltaplane.gateway.backends.ingest.url", "http://127.0.0.1:9"));
    }

    /** Each cluster-wide pass's starts, as Postgres records them (one row per pass, its last start). */
    private final class PassCounter {
        final Map<String, Set<Timestamp>> starts = new ConcurrentHashMap<>();
        private final AtomicBoolean running = new AtomicBoolean(true);
        private final Thread thread = new Thread(this::run, "pass-counter");
        private volatile Throwable failure;
        private long began;
        private long ended;

        void start() {
            began = System.nanoTime();
            thread.setDaemon(true);
            thread.start();
        }

        void stop() throws InterruptedException {
            if (running.getAndSet(false)) {
                thread.join(10_000);
                ended = System.nanoTime();
            }
        }

        long watchedMillis() {
            return TimeUnit.NANOSECONDS.toMillis(ended - began);
        }

        Map<String, Integer> counts() {
            Map<String, Integer> counts = new TreeMap<>();
            starts.forEach((name, seen) -> counts.put(name, seen.size()));
            return counts;
        }

        private void run() {
            try (Connection c = db.connect();
                    Statement s = c.createStatement()) {
                while (running.get()) {
                    try (ResultSet rs = s.executeQuery(PASS_STARTS)) {
                        while (rs.next()) {
                            starts.computeIfAbsent(rs.getString(1), k -> ConcurrentHashMap.newKeySet())
                                    .add(rs.getTimestamp(2));
                        }
                    }
                    CommitWorkload.pause(Duration.ofMillis(50)); // well under a pass interval
                }
            } catch (java.sql.SQLException | RuntimeException e) {
                failure = e; // the counts would be short: the test fails on it
            }
        }
    }

    /** An Iceberg reader loading both tables through the gateways, so every replica converts them. */
    private final class IcebergLoads {
        final Map<Integer, Integer> statuses = new ConcurrentHashMap<>();
        private final AtomicBoolean running = new AtomicBoolean(true);
        private final Thread thread = new Thread(this::run, "iceberg-loads");

        void start() {
            thread.setDaemon(true);
            thread.start();
        }

        void stop() throws InterruptedException {
            if (running.getAndSet(false)) {
                thread.join(30_000);
            }
        }

        private void run() {
            HttpClient http = HttpClient.newBuilder()
                    .connectTimeout(Duration.ofSeconds(2))
                    .build();
            int i = 0;
            while (running.get()) {
                String table = TABLES.get(i++ % TABLES.size());
                statuses.merge(IcebergSnapshots.load(http, gateway(), table).status(), 1, Integer::sum);
                CommitWorkload.pause(Duration.ofMillis(300));
            }
        }
    }

    /** A table's Iceberg snapshots by the Delta version each stands for. */
    record IcebergSnapshots(int status, List<Long> versions) {

        static IcebergSnapshots load(HttpClient http, String baseUrl, String table) {
            String name = table.substring(table.lastIndexOf('.') + 1);
            try {
                HttpResponse<String> answer = http.send(
                        HttpRequest.newBuilder(URI.create(baseUrl + ICEBERG + name))
                                .header("Authorization", "Bearer " + KEY)
                                .timeout(Duration.ofSeconds(30))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
                List<Long> versions = new ArrayList<>();
                if (answer.statusCode() == 200) {
                    for (JsonNode snapshot :
                            JSON.readTree(answer.body()).path("metadata").path("snapshots")) {
                        versions.add(Long.parseLong(snapshot.path("summary")
                                .path("deltaplane.delta-version")
                                .asString()));
                    }
                }
                return new IcebergSnapshots(answer.statusCode(), versions);
            } catch (java.io.IOException e) {
                return new IcebergSnapshots(-1, List.of()); // no answer (a gateway killed, a timeout)
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }

        /** Loads until the metadata is at {@code version} (a conversion behind by a round catches up), up to 60 s. */
        static IcebergSnapshots awaitCurrent(java.util.function.Supplier<String> baseUrl, String table, long version) {
            HttpClient http = HttpClient.newHttpClient();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            IcebergSnapshots last;
            do {
                last = load(http, baseUrl.get(), table);
                if (last.status() == 200 && last.newest() == version) {
                    return last;
                }
                CommitWorkload.pause(Duration.ofMillis(200));
            } while (System.nanoTime() < deadline);
            return last;
        }

        long newest() {
            return versions.stream().mapToLong(Long::longValue).max().orElse(-1);
        }

        /** Versions with more than one snapshot. */
        List<Long> duplicated() {
            Set<Long> seen = new HashSet<>();
            return versions.stream().filter(v -> !seen.add(v)).distinct().toList();
        }

        /** Versions missing between the oldest kept snapshot and the newest. */
        List<Long> gaps() {
            Set<Long> held = new HashSet<>(versions);
            long oldest = versions.stream().mapToLong(Long::longValue).min().orElse(0);
            List<Long> missing = new ArrayList<>();
            for (long v = oldest; v <= newest(); v++) {
                if (!held.contains(v)) {
                    missing.add(v);
                }
            }
            return missing;
        }

        @Override
        public String toString() {
            Map<String, Object> shown = new HashMap<>();
            shown.put("status", status);
            shown.put("snapshots", versions.size());
            shown.put("newest", newest());
            shown.put("duplicated", duplicated().size());
            shown.put("gaps", gaps().size());
            return shown.toString();
        }
    }
}
