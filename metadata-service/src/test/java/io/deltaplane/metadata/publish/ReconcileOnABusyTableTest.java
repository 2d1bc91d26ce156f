package io.deltaplane.metadata.publish;

import static org.assertj.core.api.Assertions.assertThat;

import io.deltaplane.storage.LocalFileStorage;
import io.deltaplane.storage.Storage;
import io.deltaplane.storage.Storages;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * The API's reconcile of a table that is never quiet: commits arrive all the time, and a publisher
 * round leases the table again as soon as the previous one lets it go. The waiting reconcile asks
 * for the table, publishers leave it alone from their next release, and the reconcile gets it then
 * instead of giving up after twice the lease; a request whose reconciler died stops counting at its
 * deadline.
 */
class ReconcileOnABusyTableTest extends PublishTestBase {

    @Autowired
    LogAdoption adoption;

    @Autowired
    LogCleanup logCleanup;

    @Autowired
    RestoreMarks restoreMarks;

    /** Short, so that the old behaviour (503 after twice the lease) fails the test in 4 s. */
    private static final Duration SHORT_LEASE = Duration.ofSeconds(2);

    @Autowired
    Storages storages;

    @Autowired
    Reconciler reconciler;

    @Test
    void aWaitingReconcileGetsABusyTableAtAPublishersNextRelease() throws Exception {
        scheduler.stop();
        ExecutorService pool = Executors.newFixedThreadPool(2);
        Turns turns = new Turns();
        try {
            PublishProperties shortLease = with(properties, SHORT_LEASE, 1);
            new DeltaLogPublisher(repository, commitRows, storages, transactions, shortLease, metrics, clock).drain();
            String table = newTable();
            UUID id = tableId(table);
            Path log = logDir(table);

            // A thread commits to the table without pause.
            Future<?> committer = pool.submit(() -> {
                long expected = version(table);
                while (!turns.over()) {
                    ok(commit(table, expected, add("c" + expected + ".parquet", 10)), 201);
                    expected++;
                    turns.committed();
                }
                return null;
            });
            // A publisher worker: round after round, the next one's claim right after the previous
            // one's release. Each round that leases the table holds it until the reconciler has
            // found it leased and a newer version is committed, so the table is due again the
            // moment it is let go.
            Storage holding = TestStorages.wrap(new LocalFileStorage(), (real, path, content, before) -> {
                if (before && path.startsWith(log.toString())) {
                    turns.publisherHoldsTheTable();
                }
            });
            DeltaLogPublisher worker = new DeltaLogPublisher(
                    repository, commitRows, new Storages(List.of(holding)), transactions, shortLease, metrics, clock);
            Future<?> publishing = pool.submit(() -> {
                while (!turns.over()) {
                    turns.roundStarts();
                    worker.publishNext();
                    turns.roundEnded();
                }
                return null;
            });

            // The reconciler looks at its clock once per poll that found the table leased (its
            // deadline); that look lets the publisher go on and then waits until the publisher's
            // next round has leased the table or ended without it. So a reconciler that merely polls
            // always finds the table leased again: only one that the publishers make way for gets it.
            Reconciler waiting = new Reconciler(
                    repository,
                    publishStates,
                    commitRows,
                    storages,
                    new DeltaLogPublisher(repository, commitRows, storages, transactions, shortLease, metrics, clock),
                    metrics,
                    shortLease,
                    new PollSignallingClock(turns),
                    adoption,
                    checkpoints,
                    logCleanup,
                    restoreMarks);
            long started = System.nanoTime();
            Optional<Reconciler.ReconcileReport> report = waiting.reconcile(id, false, true);
            Duration took = Duration.ofNanos(System.nanoTime() - started);
            turns.end();

            assertThat(report).isPresent();
            assertThat(report.get().lastError()).isNull();
            assertThat(turns.claims())
                    .as("the publisher had the table when the reconcile began waiting")
                    .isPositive();
            assertThat(took)
                    .as("the reconcile waited for one publisher batch, not for its deadline")
                    .isLessThan(SHORT_LEASE);
            committer.get(30, TimeUnit.SECONDS);
            publishing.get(30, TimeUnit.SECONDS);
            assertThat(jdbc.sql("SELECT reconcile_requested_until IS NULL AND publish_lease_token IS NULL"
                                    + " FROM publish_state WHERE table_id = :id")
                            .param("id", id)
                            .query(Boolean.class)
                            .single())
                    .as("the reconcile's request ended with its claim, and its lease with it")
                    .isTrue();
            // Publishing goes on after the reconcile: everything committed gets published.
            worker.drain();
            assertThat(publishStatus(table).get("lag_versions").asLong()).isZero();
        } finally {
            turns.end();
            pool.shutdownNow();
            if (!scheduler.isRunning()) {
                scheduler.start();
            }
        }
    }

    @Test
    void aReconcileRequestPastItsDeadlineNoLongerKeepsPublishersOff() {
        scheduler.stop();
        try {
            DeltaLogPublisher publisher =
                    new DeltaLogPublisher(repository, commitRows, storages, transactions, properties, metrics, clock);
            publisher.drain(); // whatever other tests left due
            String table = newTable();
            UUID id = tableId(table);
            for (int v = 0; v < 3; v++) {
                ok(commit(table, v, add("f" + v + ".parquet", 10 + v)), 201);
            }
            long before = published(table);

            // A reconciler asked for the table and died waiting: while its request is in force the
            // publishers leave the table to it, and so does the periodic pass.
            requestUntil(id, "now() + interval '1 hour'");
            assertThat(publisher.drain()).isZero();
            assertThat(reconciler.reconcile(id, false, false)).isEmpty();
            assertThat(published(table)).isEqualTo(before);

            // Its deadline passes (Postgres's clock decides): publishing takes the table again.
            requestUntil(id, "now() - interval '1 second'");
            assertThat(publisher.drain()).isPositive();
            assertThat(published(table)).isEqualTo(3);
        } finally {
            if (!scheduler.isRunning()) {
                scheduler.start();
            }
        }
    }

    @Test
    void aReconcileThatStopsWaitingWithdrawsItsRequest() throws Exception {
        scheduler.stop();
        ExecutorService pool = Executors.newSingleThreadExecutor();
        CountDownLatch stalled = new CountDownLatch(1);
        CountDownLatch resume = new CountDownLatch(1);
        try {
            new DeltaLogPublisher(repository, commitRows, storages, transactions, properties, metrics, clock).drain();
            String table = newTable();
            ok(commit(table, 0, add("a.parquet", 10)), 201);
            UUID id = tableId(table);
            Path log = logDir(table);
            // A publisher holds the table, its store stalled.
            Storage stalling = TestStorages.wrap(new LocalFileStorage(), (real, path, content, before) -> {
                if (before && path.startsWith(log.toString())) {
                    stalled.countDown();
                    try {
                        resume.await(30, TimeUnit.SECONDS);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }
            });
            DeltaLogPublisher holder = new DeltaLogPublisher(
                    repository, commitRows, new Storages(List.of(stalling)), transactions, properties, metrics, clock);
            Future<Boolean> round = pool.submit(holder::publishNext);
            assertThat(stalled.await(30, TimeUnit.SECONDS)).isTrue();

            // A reconcile waits for it, asks for the table, and is interrupted (a shutdown).
            Thread waiting = new Thread(() -> reconciler.reconcile(id, false, true));
            waiting.start();
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (!requested(id)) {
                assertThat(System.nanoTime())
                        .as("the reconcile asks for the table")
                        .isLessThan(deadline);
                Thread.onSpinWait();
            }
            waiting.interrupt();
            waiting.join(Duration.ofSeconds(30).toMillis());
            assertThat(waiting.isAlive()).isFalse();
            assertThat(requested(id))
                    .as("withdrawn, not left in force until its deadline")
                    .isFalse();

            resume.countDown();
            assertThat(round.get(30, TimeUnit.SECONDS)).isTrue();
            assertThat(published(table)).isEqualTo(1);
        } finally {
            resume.countDown();
            pool.shutdownNow();
            if (!scheduler.isRunning()) {
                scheduler.start();
            }
        }
    }

    private boolean requested(UUID id) {
        return jdbc.sql("SELECT coalesce(reconcile_requested_until > now(), false) FROM publish_state"
                        + " WHERE table_id = :id")
                .param("id", id)
                .query(Boolean.class)
                .single();
    }

    private void requestUntil(UUID id, String deadline) {
        assertThat(jdbc.sql("UPDATE publish_state SET reconcile_requested_until = " + deadline
                                + " WHERE table_id = :id")
                        .param("id", id)
                        .update())
                .isEqualTo(1);
    }

    private UUID tableId(String table) {
        return UUID.fromString(get("/api/v1/tables/" + table).get("table_id").asString());
    }

    private long published(String table) {
        return publishStatus(table).get("published_version").asLong();
    }

    /**
     * Turns between the reconciler's polls and the publisher's rounds, so that the test does not
     * depend on timing: every wait is on a signal (bounded, so that a broken turn fails the test
     * instead of hanging it).
     */
    private static final class Turns {
        private static final long BOUND = Duration.ofSeconds(30).toMillis();
        private long round;
        private long roundHoldingTheTable = -1;
        private long roundsEnded;
        private long claims;
        private long polls;
        private long commits;
        private boolean over;

        synchronized void roundStarts() {
            round++;
        }

        synchronized void roundEnded() {
            roundsEnded++;
            notifyAll();
        }

        synchronized void committed() {
            commits++;
            notifyAll();
        }

        /** The publisher is about to write the table: it keeps it until polled and due again. */
        synchronized void publisherHoldsTheTable() {
            if (roundHoldingTheTable == round) {
                return; // a later version of the same round
            }
            roundHoldingTheTable = round;
            claims++;
            notifyAll();
            long polled = polls;
            long committed = commits;
            await(() -> polls > polled && commits > committed);
        }

        /** The reconciler found the table leased: the publisher goes on, and leases it again or not. */
        synchronized void reconcilerPolled() {
            polls++;
            notifyAll();
            long claimed = claims;
            long ended = roundsEnded;
            // the round now under way ends, and the next one has leased the table or ended
            await(() -> claims > claimed || roundsEnded >= ended + 2);
        }

        synchronized void end() {
            over = true;
            notifyAll();
        }

        synchronized boolean over() {
            return over;
        }

        synchronized long claims() {
            return claims;
        }

        private void await(java.util.function.BooleanSupplier done) {
            long deadline = System.currentTimeMillis() + BOUND;
            while (!over && !done.getAsBoolean()) {
                long left = deadline - System.currentTimeMillis();
                if (left <= 0) {
                    throw new IllegalStateException("the test's turns stopped");
                }
                try {
                    wait(left);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException(e);
                }
            }
        }
    }

    /** The system clock, taking a turn each time the reconciler looks at it. */
    private static final class PollSignallingClock extends Clock {
        private final Turns turns;

        PollSignallingClock(Turns turns) {
            this.turns = turns;
        }

        @Override
        public Instant instant() {
            turns.reconcilerPolled();
            return Instant.now();
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }
    }
}
