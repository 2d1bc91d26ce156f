package io.deltaplane.metadata.faults;

import static org.assertj.core.api.Assertions.assertThat;

import io.delta.kernel.engine.Engine;
import io.deltaplane.metadata.MetadataServiceApplication;
import io.deltaplane.metadata.deltalog.DeltaKernelEngines;
import io.deltaplane.metadata.publish.KernelReader;
import io.deltaplane.testing.CommitChecker;
import io.deltaplane.testing.CommitChecker.Check;
import io.deltaplane.testing.CommitHistory;
import io.deltaplane.testing.CommitHistory.Operation;
import io.deltaplane.testing.CommitHistory.Outcome;
import io.deltaplane.testing.CommitWorkload;
import io.deltaplane.testing.FaultyConnections;
import io.deltaplane.testing.RawS3DeltaLog;
import io.deltaplane.testing.S3ProxyServer;
import io.deltaplane.testing.ServiceProcess;
import io.deltaplane.testing.TestDatabase;
import java.io.IOException;
import java.sql.SQLException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * metadata-service under faults, judged by its history. Writers commit to two tables (plain commits,
 * several writers racing per table, and multi-table transactions) against the service in a JVM of
 * its own, reaching Postgres through a TCP proxy, while faults are injected on a schedule: Postgres
 * unreachable for seconds (every connection reset, new ones refused), the service killed with
 * {@code kill -9} mid-work and started again, the object store unreachable and then slow (every
 * request hanging unanswered), a short blip of cut connections. Every operation is
 * recorded with its outcome; afterwards the checker proves that every acknowledged commit is in the
 * table exactly once at the version it was told, that nothing refused is there, that no path is
 * there twice, that versions are contiguous, that no caller ever saw a 500, and that every version
 * of {@code _delta_log}, as an independent reader fetches its commit file from the bucket (the AWS
 * SDK's own client and Jackson, {@link RawS3DeltaLog}; not the platform's storage layer), holds the
 * actions Postgres recorded for it: every add (path, size, partitionValues, stats, dataChange,
 * modificationTime, tags, deletionVector), remove, txn, metaData, protocol, domainMetadata and
 * commitInfo, field by field, against {@code files}, {@code commits.actions},
 * {@code metadata_versions}, {@code protocol_versions}, {@code app_txns} and {@code domain_metadata}
 * ({@link CommitChecker#logMismatches}; the workload's adds differ in size, stats and tags, and its
 * commits carry txns). Sampled versions are also read as snapshots (checkpoints included) and must
 * have the live files the service answers (Delta Kernel, reading through the platform's storage
 * layer). It prints the figures
 * docs/reliability.md keeps. {@code -Dfaults.rounds=N} repeats the schedule N times
 * ({@code tools/soak} runs 30); the default is one round, about a minute.
 */
class FaultInjectionTest {

    private static final String KEY = "faults-admin-key-0001";
    private static final List<String> TABLES = List.of("f.s.a", "f.s.b");
    private static final int WRITERS_PER_TABLE = 2;

    private final TestDatabase db = TestDatabase.createAnother();
    private final FaultyConnections postgres = FaultyConnections.inFrontOf(5432);
    // The warehouse on an S3 server (S3Proxy) reached through a proxy that can cut it off.
    private final S3ProxyServer s3 = S3ProxyServer.start();
    private final FaultyConnections objectStore = FaultyConnections.inFrontOf(s3.port());
    private final CommitHistory history = new CommitHistory();
    private final CommitWorkload workload = new CommitWorkload(KEY, TABLES, () -> this.service.baseUrl(), history);
    private final Map<String, FaultFigures> figures = new LinkedHashMap<>();
    private volatile ServiceProcess service;

    /** What one kind of fault did to the callers. */
    private static final class FaultFigures {
        int injected;
        long longestUnavailableMillis;
        long longestRecoveryMillis;
        long publishCatchUpMillis = -1;
        final Map<Outcome, Integer> duringFault = new java.util.EnumMap<>(Outcome.class);
    }

    @AfterEach
    void stop() {
        if (service != null) {
            service.close();
        }
        postgres.close();
        objectStore.close();
        s3.close();
    }

    @Test
    void nothingAcknowledgedIsLostOrDuplicatedUnderFaults() throws Exception {
        try (var client = bucket()) {
            client.createBucket(b -> b.bucket("lake"));
        }
        service = start();
        workload.createTables();
        workload.start(WRITERS_PER_TABLE);

        int rounds = Integer.getInteger("faults.rounds", 1);
        long started = System.nanoTime();
        for (int round = 0; round < rounds; round++) {
            CommitWorkload.pause(FaultyConnections.BETWEEN_FAULTS);
            inject("postgres unreachable 4 s", () -> {
                int broken = postgres.brokenWhileUnreachable();
                postgres.unreachable();
                CommitWorkload.pause(Duration.ofSeconds(4));
                postgres.heal();
                assertThat(postgres.brokenWhileUnreachable())
                        .as("connections the outage broke (the service's pool goes through the proxy)")
                        .isGreaterThan(broken);
                return System.nanoTime();
            });
            CommitWorkload.pause(FaultyConnections.BETWEEN_FAULTS);
            inject("kill -9 metadata-service, restart", () -> {
                java.net.URI url = java.net.URI.create(service.baseUrl());
                service.kill();
                long killed = System.nanoTime();
                try (java.net.Socket socket = new java.net.Socket()) {
                    socket.connect(new java.net.InetSocketAddress(url.getHost(), url.getPort()), 1_000);
                    throw new AssertionError("metadata-service still accepts connections after kill -9");
                } catch (java.io.IOException refused) {
                    // the kill fired: its port is closed
                }
                service = start();
                return killed;
            });
            CommitWorkload.pause(FaultyConnections.BETWEEN_FAULTS);
            int storeBroken = objectStore.brokenWhileUnreachable();
            injectStoreFault("object store unreachable 10 s", objectStore::unreachable);
            assertThat(objectStore.brokenWhileUnreachable())
                    .as("requests to the object store the outage refused or cut")
                    .isGreaterThan(storeBroken);
            CommitWorkload.pause(FaultyConnections.BETWEEN_FAULTS);
            // every request hangs unanswered
            FaultyConnections.Fault[] stall = new FaultyConnections.Fault[1];
            injectStoreFault(
                    "object store slow 10 s (requests hang)",
                    () -> stall[0] = objectStore.stallAfter(0, Integer.MAX_VALUE));
            assertThat(stall[0].fired())
                    .as("requests to the object store that hung")
                    .isPositive();
            CommitWorkload.pause(FaultyConnections.BETWEEN_FAULTS);
            inject("postgres connections cut (200 ms blip)", () -> {
                int broken = postgres.brokenWhileUnreachable();
                postgres.unreachable();
                CommitWorkload.pause(Duration.ofMillis(200));
                postgres.heal();
                assertThat(postgres.brokenWhileUnreachable())
                        .as("pool connections the blip cut")
                        .isGreaterThan(broken);
                return System.nanoTime();
            });
            CommitWorkload.pause(FaultyConnections.BETWEEN_FAULTS);
        }
        workload.stop();
        long seconds = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - started);

        Map<String, Long> current = workload.awaitPublished();
        Check check = check(current);
        print(seconds, check);
        List<String> kernelMismatches = kernelReadsWhatPostgresHolds(current);

        check.assertNothingLost(history);
        assertThat(kernelMismatches)
                .as("versions Delta Kernel reads differently from what Postgres holds")
                .isEmpty();
    }

    // --- the faults ---

    private ServiceProcess start() throws Exception {
        return ServiceProcess.start(
                "metadata-faults",
                ServiceProcess.Launch.mainClass(MetadataServiceApplication.class.getName()),
                ServiceProcess.SUITE_JVM_OPTIONS,
                db,
                db.url().replaceFirst("//[^/]+/", "//127.0.0.1:" + postgres.port() + "/"),
                KEY,
                Map.ofEntries(
                        Map.entry("deltaplane.warehouse.uri", "s3://lake/warehouse"),
                        Map.entry("AWS_ENDPOINT_URL_S3", "http://127.0.0.1:" + objectStore.port()),
                        Map.entry("AWS_REGION", "us-east-1"),
                        Map.entry("AWS_ACCESS_KEY_ID", s3.environment().get("AWS_ACCESS_KEY_ID")),
                        Map.entry("AWS_SECRET_ACCESS_KEY", s3.secretKey()),
                        Map.entry("deltaplane.db.connect-timeout", "1s"),
                        Map.entry("deltaplane.lineage.enabled", "false"),
                        Map.entry("deltaplane.publish.checkpoint-interval", "10"),
                        Map.entry("deltaplane.publish.checkpoint-min-interval", "0s")));
    }

    /** Runs a fault (which returns when it ended), then measures what callers saw of it. */
    private void inject(String kind, FaultAction fault) throws Exception {
        long began = System.nanoTime();
        long ended = fault.run();
        long recovered = awaitAcknowledgedAfter(ended);
        FaultFigures f = figures.computeIfAbsent(kind, k -> new FaultFigures());
        f.injected++;
        f.longestRecoveryMillis = Math.max(f.longestRecoveryMillis, (recovered - ended) / 1_000_000);
        // The longest time without an acknowledged commit, from the last one before the fault to
        // the first one after it (commits acknowledged during the fault split the gap).
        List<Long> acks = history.acknowledgedAt();
        long previous =
                acks.stream().filter(t -> t <= began).reduce((a, b) -> b).orElse(began);
        long longestGap = 0;
        for (long t : acks) {
            if (t > previous && t <= recovered) {
                longestGap = Math.max(longestGap, t - previous);
                previous = t;
            }
        }
        f.longestUnavailableMillis = Math.max(f.longestUnavailableMillis, longestGap / 1_000_000);
        for (Operation op : history.operations()) {
            if (op.completedNanos() >= began && op.completedNanos() <= ended) {
                f.duringFault.merge(op.outcome(), 1, Integer::sum);
            }
        }
    }

    /**
     * The object store out of service for 10 s ({@code arm} says how), then healed; measured as
     * {@link #inject} does, and by when {@code _delta_log} again holds what was committed before.
     */
    private void injectStoreFault(String kind, Runnable arm) throws Exception {
        Map<String, Long> before = workload.known();
        inject(kind, () -> {
            arm.run();
            CommitWorkload.pause(Duration.ofSeconds(10));
            objectStore.heal();
            return System.nanoTime();
        });
        long healed = System.nanoTime();
        workload.awaitPublishedTo(before);
        FaultFigures f = figures.get(kind);
        f.publishCatchUpMillis = Math.max(f.publishCatchUpMillis, (System.nanoTime() - healed) / 1_000_000);
    }

    @FunctionalInterface
    private interface FaultAction {
        long run() throws Exception;
    }

    private long awaitAcknowledgedAfter(long nanos) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (true) {
            for (long t : history.acknowledgedAt()) {
                if (t > nanos) {
                    return t;
                }
            }
            assertThat(System.nanoTime())
                    .as("a commit is acknowledged again without a manual step")
                    .isLessThan(deadline);
            CommitWorkload.pause(Duration.ofMillis(20));
        }
    }

    /** The SDK's own client for the bucket (not the platform's storage layer, whose writes are judged). */
    private software.amazon.awssdk.services.s3.S3Client bucket() {
        return RawS3DeltaLog.client(s3.environment());
    }

    // --- the checker ---

    /**
     * Judges the history against Postgres, and every action of every version of each table's
     * published log, as an independent reader fetches its commit files from the bucket (the AWS
     * SDK's own client and Jackson: {@link RawS3DeltaLog}), field by field against what Postgres
     * recorded.
     */
    private Check check(Map<String, Long> current) throws SQLException, IOException {
        try (RawS3DeltaLog log = RawS3DeltaLog.connect(s3.environment())) {
            return CommitChecker.checkEveryAction(db, history, current, log::versions);
        }
    }

    /** Delta Kernel on the bucket, through the platform's storage layer (the oracles' reader). */
    private Engine kernel() {
        return DeltaKernelEngines.over(io.deltaplane.storage.S3Storage.fromEnvironment(s3.environment()));
    }

    /** Versions of each table Kernel reads back: evenly spread from the first to the newest. */
    private static final int KERNEL_READS_PER_TABLE = 8;

    /**
     * Delta Kernel (its default engine on the bucket, through the platform's storage layer) reads
     * sampled versions of each table from {@code _delta_log} — checkpoints included — and must see
     * the live files the service answers from Postgres at that version. Answers the mismatches.
     */
    private List<String> kernelReadsWhatPostgresHolds(Map<String, Long> current) {
        Engine kernel = kernel();
        List<String> mismatches = new java.util.ArrayList<>();
        int reads = 0;
        for (var table : current.entrySet()) {
            String location = workload.call("GET", "/api/v1/tables/" + table.getKey(), null)
                    .json()
                    .path("location")
                    .asString();
            long newest = table.getValue();
            java.util.SortedSet<Long> versions = new java.util.TreeSet<>();
            for (int i = 0; i < KERNEL_READS_PER_TABLE; i++) {
                versions.add(1 + (newest - 1) * i / (KERNEL_READS_PER_TABLE - 1));
            }
            for (long version : versions) {
                java.util.Set<String> kernelSees =
                        KernelReader.read(location, version, kernel).livePaths();
                java.util.Set<String> postgresHolds =
                        java.util.Set.copyOf(workload.liveFiles(table.getKey(), java.util.OptionalLong.of(version)));
                reads++;
                if (!kernelSees.equals(postgresHolds)) {
                    mismatches.add(table.getKey() + "@" + version + ": Kernel " + kernelSees.size()
                            + " files, Postgres " + postgresHolds.size());
                }
            }
        }
        System.out.printf(
                Locale.ROOT,
                "Delta Kernel read %d versions from the bucket: %d mismatches%n",
                reads,
                mismatches.size());
        return mismatches;
    }

    private void print(long seconds, Check check) {
        System.out.printf(Locale.ROOT, "fault injection: %d s, %s%n", seconds, check.summary(history));
        System.out.println("| fault | injected | longest unavailability of commits (ms) | commits again after the"
                + " fault ended (ms) | _delta_log caught up after the fault ended (ms) | answers during the fault |");
        System.out.println("| --- | --- | --- | --- | --- | --- |");
        figures.forEach((kind, f) -> System.out.printf(
                Locale.ROOT,
                "| %s | %d | %d | %d | %s | %s |%n",
                kind,
                f.injected,
                f.longestUnavailableMillis,
                f.longestRecoveryMillis,
                f.publishCatchUpMillis < 0 ? "-" : Long.toString(f.publishCatchUpMillis),
                f.duringFault));
    }
}
