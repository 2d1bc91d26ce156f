package io.deltaplane.metadata.publish;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import io.deltaplane.metadata.deltalog.DeltaLogJson;
import io.deltaplane.storage.LocalFileStorage;
import io.deltaplane.storage.Storage;
import io.deltaplane.storage.Storages;
import io.deltaplane.support.db.DatabaseProperties;
import io.deltaplane.testing.MovableClock;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * Publishing by lease: a worker holds no connection while it writes to storage, and a worker whose
 * lease ran out mid-batch is taken over by another without a gap or an overwrite in the log.
 */
class PublishLeaseTest extends PublishTestBase {

    /** The application's pool, behind its statement counter. */
    @Autowired
    DataSource dataSource;

    @Autowired
    DatabaseProperties database;

    @Autowired
    Reconciler reconciler;

    // The workers a test builds count into their own registry: the application's publisher and
    // other tests' tables on the shared database cannot move what a test asserts.
    private final SimpleMeterRegistry own = new SimpleMeterRegistry();
    private final PublishMetrics ownMetrics = new PublishMetrics(own);

    @Test
    void aWorkerWhoseLeaseRanOutMidBatchIsTakenOverWithNoGapAndNoOverwrite() throws Exception {
        scheduler.stop();
        try {
            // Other tests' application contexts, cached in this JVM, publish on the same database:
            // one of them may take the new table before A does. A's round then ends without
            // stalling, and the scenario is staged again on another table (at most three times).
            boolean staged = false;
            for (int attempt = 0; attempt < 3 && !staged; attempt++) {
                staged = leaseRunsOutMidBatch();
            }
            assertThat(staged)
                    .as("A's round took the test's table in one of three attempts")
                    .isTrue();
        } finally {
            if (!scheduler.isRunning()) {
                scheduler.start();
            }
        }
    }

    /** The scenario on a new table; false when A's round did not take it (another publisher did). */
    private boolean leaseRunsOutMidBatch() throws Exception {
        ExecutorService pool = Executors.newSingleThreadExecutor();
        try {
            // Whatever other tests left due is published first: A's one round must take this table.
            new DeltaLogPublisher(
                            repository,
                            commitRows,
                            storagesOf(new LocalFileStorage()),
                            transactions,
                            properties,
                            metrics,
                            clock)
                    .drain();
            String table = newTable();
            int last = 8;
            for (int v = 0; v < last; v++) {
                ok(commit(table, v, add("f" + v + ".parquet", 10 + v)), 201);
            }
            Path log = logDir(table);
            Map<String, AtomicInteger> creates = new ConcurrentHashMap<>();
            Map<String, AtomicInteger> puts = new ConcurrentHashMap<>();
            CountDownLatch stalled = new CountDownLatch(1);
            CountDownLatch resume = new CountDownLatch(1);
            Duration shortLease = Duration.ofMillis(300);
            // Worker A: a lease of 300 ms, and a clock that a put moves on by a whole lease, so A
            // renews its lease (and records its progress) after every version; at version 4 its
            // store stalls past the lease.
            MovableClock clockOfA = MovableClock.frozenAt(Instant.now());
            DeltaLogPublisher a = new DeltaLogPublisher(
                    repository,
                    commitRows,
                    storagesOf(watched(log, creates, puts, (path, before) -> {
                        if (before && path.endsWith(String.format("%020d.json", 4))) {
                            stalled.countDown();
                            await(resume);
                        }
                        if (!before) {
                            clockOfA.advance(shortLease);
                        }
                    })),
                    transactions,
                    with(shortLease, 1),
                    ownMetrics,
                    clockOfA);
            DeltaLogPublisher b = new DeltaLogPublisher(
                    repository,
                    commitRows,
                    storagesOf(watched(log, creates, puts, (p, before) -> {})),
                    transactions,
                    properties,
                    metrics,
                    clock);

            double lostBefore = leasesLost();
            Future<Boolean> roundOfA = pool.submit(a::publishNext);
            long stallDeadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (!stalled.await(50, TimeUnit.MILLISECONDS)) {
                if (roundOfA.isDone()) {
                    return false; // A's round took another table, or none: this one was published by another
                }
                assertThat(System.nanoTime()).as("A stalls at version 4").isLessThan(stallDeadline);
            }
            assertThat(publishStatus(table).get("published_version").asLong())
                    .as("A's progress, recorded with each renewal")
                    .isEqualTo(3);

            // B waits out A's lease (Postgres's clock), then takes the table and publishes it all.
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            // (other tables of the shared database may be due too: B's rounds are judged by this table)
            while (publishStatus(table).get("published_version").asLong() < last) {
                assertThat(System.nanoTime()).as("B takes the table over").isLessThan(deadline);
                if (!b.publishNext()) {
                    Thread.onSpinWait();
                }
            }
            JsonView afterB = new JsonView(publishStatus(table));
            assertThat(afterB.publishedVersion()).isEqualTo(last);
            assertThat(afterB.lastError()).isEmpty();

            // A comes back: its put of version 4 finds B's identical file, its renewal finds the
            // lease gone, and it stops without recording anything.
            resume.countDown();
            assertThat(roundOfA.get(30, TimeUnit.SECONDS)).isTrue();
            assertThat(leasesLost() - lostBefore).isEqualTo(1);
            assertThat(jdbc.sql("SELECT publish_lease_token IS NULL AND published_version = :v AND attempts = 0"
                                    + " FROM publish_state WHERE full_name = :t")
                            .param("v", last)
                            .param("t", table)
                            .query(Boolean.class)
                            .single())
                    .isTrue();

            List<String> expected = new ArrayList<>();
            for (int v = 0; v <= last; v++) {
                expected.add(String.format("%020d.json", v));
            }
            assertThat(names(log).stream().filter(n -> !n.startsWith(".")).toList())
                    .as("no gap")
                    .containsExactlyElementsOf(expected);
            for (int v = 0; v <= last; v++) {
                String path = log.resolve(expected.get(v)).toString();
                assertThat(creates.get(path))
                        .as("%s created once, never overwritten", path)
                        .hasValue(1);
                assertThat(Files.readString(log.resolve(expected.get(v))))
                        .as("version %d as committed", v)
                        .isEqualTo(committed(table, v));
            }
            assertThat(puts.get(log.resolve(expected.get(4)).toString()))
                    .as("version 4 written by both, harmlessly")
                    .hasValue(2);
            return true;
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void theReconcilerAndAPublisherNeverWorkOnOneTableAtOnce() throws Exception {
        scheduler.stop();
        ExecutorService pool = Executors.newFixedThreadPool(2);
        CountDownLatch resume = new CountDownLatch(1);
        try {
            String table = newTable();
            for (int v = 0; v < 3; v++) {
                ok(commit(table, v, add("f" + v + ".parquet", 10 + v)), 201);
            }
            UUID id = UUID.fromString(
                    get("/api/v1/tables/" + table).get("table_id").asString());
            Path log = logDir(table);
            CountDownLatch stalled = new CountDownLatch(1);
            DeltaLogPublisher publisher = new DeltaLogPublisher(
                    repository,
                    commitRows,
                    storagesOf(watched(log, new ConcurrentHashMap<>(), new ConcurrentHashMap<>(), (path, before) -> {
                        if (before && path.endsWith(String.format("%020d.json", 2))) {
                            stalled.countDown();
                            await(resume);
                        }
                    })),
                    transactions,
                    properties,
                    metrics,
                    clock);
            Future<Boolean> round = pool.submit(publisher::publishNext);
            assertThat(stalled.await(30, TimeUnit.SECONDS)).isTrue();

            // The periodic pass skips the table; the API's reconcile waits for the publisher's batch.
            assertThat(reconciler.reconcile(id, false, false)).isEmpty();
            Future<Optional<Reconciler.ReconcileReport>> waiting =
                    pool.submit(() -> reconciler.reconcile(id, true, true));
            assertThat(waiting).isNotDone();
            assertThat(names(log)).doesNotContain(String.format("%020d.json", 2));

            resume.countDown();
            assertThat(round.get(30, TimeUnit.SECONDS)).isTrue();
            Reconciler.ReconcileReport report =
                    waiting.get(30, TimeUnit.SECONDS).orElseThrow();
            assertThat(report.publishedVersion()).isEqualTo(3);
            assertThat(report.repairedVersions()).isEmpty();
            assertThat(report.mismatchedVersions()).isEmpty();
            assertThat(report.lastError()).isNull();
            assertThat(jdbc.sql("SELECT publish_lease_token IS NULL FROM publish_state WHERE table_id = :id")
                            .param("id", id)
                            .query(Boolean.class)
                            .single())
                    .as("the reconciler let its lease go")
                    .isTrue();
        } finally {
            resume.countDown();
            pool.shutdownNow();
            if (!scheduler.isRunning()) {
                scheduler.start();
            }
        }
    }

    @Test
    void workersStalledInStorageHoldNoConnectionsAndCommitsGoOn() throws Exception {
        scheduler.stop();
        int workers = database.maxPoolSize() + 2; // more stalled writes than the pool has connections
        ExecutorService pool = Executors.newFixedThreadPool(workers);
        CountDownLatch stalled = new CountDownLatch(workers);
        CountDownLatch resume = new CountDownLatch(1);
        try {
            List<String> tables = new ArrayList<>();
            for (int i = 0; i < workers; i++) {
                String table = newTable();
                ok(commit(table, 0, add("a.parquet", 10)), 201);
                tables.add(table);
            }
            List<Path> logs = tables.stream().map(this::logDir).toList();
            ThreadLocal<Boolean> stalledHere = ThreadLocal.withInitial(() -> false);
            Storage stalling = TestStorages.wrap(new LocalFileStorage(), (real, path, content, before) -> {
                if (before && logs.stream().anyMatch(l -> path.startsWith(l.toString()))) {
                    stalledHere.set(true);
                    stalled.countDown();
                    await(resume);
                }
            });
            List<Future<Boolean>> rounds = new ArrayList<>();
            for (int i = 0; i < workers; i++) {
                // One table per round, so that each worker stalls on a table of its own.
                DeltaLogPublisher worker = new DeltaLogPublisher(
                        repository, commitRows, storagesOf(stalling), transactions, oneTablePerRound(), metrics, clock);
                // Rounds until one has stalled on a table of this test (another test's leftovers are
                // published on the way).
                rounds.add(pool.submit(() -> {
                    while (worker.publishNext()) {
                        if (stalledHere.get()) {
                            return true;
                        }
                    }
                    return false;
                }));
            }
            assertThat(stalled.await(30, TimeUnit.SECONDS))
                    .as("every worker leased a table of its own and is inside a put")
                    .isTrue();

            // Not one connection is held by the stalled writes (background statements end in ms).
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            HikariDataSource connections = dataSource.unwrap(HikariDataSource.class);
            while (connections.getHikariPoolMXBean().getActiveConnections() > 0) {
                assertThat(System.nanoTime())
                        .as("connections in use while %d workers are stalled", workers)
                        .isLessThan(deadline);
                Thread.onSpinWait();
            }
            // Commits to the very tables being published go on, at their usual pace.
            for (String table : tables) {
                long started = System.nanoTime();
                HttpResponse<String> response = commit(table, 1, add("b.parquet", 20));
                ok(response, 201);
                assertThat(Duration.ofNanos(System.nanoTime() - started))
                        .as("commit to %s while its publisher is stalled", table)
                        .isLessThan(Duration.ofSeconds(5));
            }
            assertThat(rounds).noneMatch(Future::isDone);

            resume.countDown();
            for (Future<Boolean> round : rounds) {
                assertThat(round.get(30, TimeUnit.SECONDS)).isTrue();
            }
            scheduler.start();
            for (String table : tables) {
                assertThat(awaitPublished(table).get("published_version").asLong())
                        .isEqualTo(2);
            }
        } finally {
            resume.countDown();
            pool.shutdownNow();
            if (!scheduler.isRunning()) {
                scheduler.start();
            }
        }
    }

    @Test
    void aFailedBatchCountsAFailureOnlyWhileTheLeaseIsStillItsOwn() throws Exception {
        scheduler.stop();
        String takenOver = null;
        try {
            new DeltaLogPublisher(
                            repository,
                            commitRows,
                            storagesOf(new LocalFileStorage()),
                            transactions,
                            oneTablePerRound(),
                            metrics,
                            clock)
                    .drain(); // whatever other tests left due

            // A write fails while the lease is the round's: a failure, recorded (and retried).
            String failing = newTable();
            ok(commit(failing, 0, add("a.parquet", 10)), 201);
            Path failingLog = logDir(failing);
            double failuresBefore = failures();
            double lostBefore = leasesLost();
            assertThat(failingRound(failingLog, () -> {}).publishNext()).isTrue();
            assertThat(failures() - failuresBefore).isEqualTo(1);
            assertThat(leasesLost() - lostBefore).isZero();
            assertThat(new JsonView(publishStatus(failing)).lastError()).contains("store down");

            // A write fails after the lease ran out and another worker took the table: the round
            // records nothing, and counts a lost lease only (its new owner retries the table).
            takenOver = newTable();
            ok(commit(takenOver, 0, add("a.parquet", 10)), 201);
            String name = takenOver;
            failuresBefore = failures();
            lostBefore = leasesLost();
            assertThat(failingRound(
                                    logDir(takenOver),
                                    () -> assertThat(jdbc.sql(
                                                            "UPDATE publish_state SET publish_lease_token = :other"
                                                                    + " WHERE full_name = :t AND publish_lease_token IS NOT NULL")
                                                    .param("other", UUID.randomUUID())
                                                    .param("t", name)
                                                    .update())
                                            .isEqualTo(1))
                            .publishNext())
                    .isTrue();
            assertThat(leasesLost() - lostBefore).isEqualTo(1);
            assertThat(failures() - failuresBefore).as("not a failure of ours").isZero();
            assertThat(new JsonView(publishStatus(takenOver)).lastError()).isEmpty();
        } finally {
            if (takenOver != null) { // the other owner of the test lets the table go
                jdbc.sql("UPDATE publish_state SET publish_lease_until = NULL, publish_lease_token = NULL"
                                + " WHERE full_name = :t")
                        .param("t", takenOver)
                        .update();
            }
            if (!scheduler.isRunning()) {
                scheduler.start();
            }
        }
    }

    /** A publisher whose puts into {@code log} fail, after {@code first} has run. */
    private DeltaLogPublisher failingRound(Path log, Runnable first) {
        Storage failing = TestStorages.wrap(new LocalFileStorage(), (real, path, content, before) -> {
            if (before && path.startsWith(log.toString())) {
                first.run();
                throw new IOException("store down");
            }
        });
        return new DeltaLogPublisher(
                repository, commitRows, storagesOf(failing), transactions, properties, ownMetrics, clock);
    }

    private double failures() {
        return own.get("deltaplane.publish.failures").counter().count();
    }

    private double leasesLost() {
        return own.get("deltaplane.publish.leases.lost").counter().count();
    }

    private PublishProperties oneTablePerRound() {
        return with(properties.lease(), 1);
    }

    private PublishProperties with(Duration lease, int tablesPerRound) {
        return with(properties, lease, tablesPerRound);
    }

    private String committed(String table, int version) {
        return new String(
                DeltaLogJson.render(jdbc.sql("SELECT actions::text FROM commits c JOIN tables t ON t.id = c.table_id"
                                + " WHERE t.full_name = :t AND c.version = :v")
                        .param("t", table)
                        .param("v", version)
                        .query(String.class)
                        .single()),
                StandardCharsets.UTF_8);
    }

    private static Storages storagesOf(Storage storage) {
        return new Storages(List.of(storage));
    }

    /** Local files, counting the puts into {@code log} and the ones that created their file. */
    private static Storage watched(
            Path log,
            Map<String, AtomicInteger> creates,
            Map<String, AtomicInteger> puts,
            java.util.function.BiConsumer<String, Boolean> then) {
        return TestStorages.wrap(new LocalFileStorage(), new TestStorages.PutHook() {
            @Override
            public void put(Storage real, String path, byte[] content, boolean before) throws IOException {
                if (path.startsWith(log.toString())) {
                    if (before) {
                        puts.computeIfAbsent(path, p -> new AtomicInteger()).incrementAndGet();
                    }
                    then.accept(path, before);
                }
            }

            @Override
            public void created(String path, boolean created) {
                if (created && path.startsWith(log.toString())) {
                    creates.computeIfAbsent(path, p -> new AtomicInteger()).incrementAndGet();
                }
            }
        });
    }

    private static void await(CountDownLatch latch) {
        try {
            if (!latch.await(60, TimeUnit.SECONDS)) {
                throw new IllegalStateException("the test never let the stalled write go on");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** A clock that stands still until told to move. */
    private record JsonView(tools.jackson.databind.JsonNode node) {
        long publishedVersion() {
            return node.get("published_version").asLong(-1);
        }

        String lastError() {
            return node.path("last_error").asString("");
        }
    }
}
