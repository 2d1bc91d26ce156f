package io.deltaplane.metadata.lineage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import io.deltaplane.metadata.MetadataServiceApplication;
import io.deltaplane.metadata.lineage.FakeLineageService.Fault;
import io.deltaplane.metadata.lineage.FakeLineageService.Received;
import io.deltaplane.support.loop.Wakeup;
import io.deltaplane.support.request.RequestIds;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.MDC;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.IllegalTransactionStateException;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.JsonNode;

/**
 * The lineage outbox against real Postgres, and its relay against a real HTTP server that behaves
 * like lineage-service's snapshot endpoint ({@link FakeLineageService}; lineage-service itself is a
 * separate application and not on this module's classpath). The scheduled relay is off here; each
 * test drives rounds itself.
 */
@SpringBootTest(
        classes = MetadataServiceApplication.class,
        // A web context, as in production: the support library's request-id forwarding comes with it.
        webEnvironment = SpringBootTest.WebEnvironment.MOCK,
        properties = {"deltaplane.lineage.enabled=false", "deltaplane.warehouse.root=target/test-warehouse"})
class LineageOutboxTest {

    private static final String SERVICE_KEY = "test-service-key-lineage-relay";
    private static final Duration RUN_WAIT = Duration.ofMinutes(10);
    private static FakeLineageService lineage;

    @Autowired
    LineageOutbox outbox;

    @Autowired
    TransactionTemplate tx;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    Clock clock;

    @BeforeAll
    static void startLineage() throws Exception {
        lineage = new FakeLineageService();
    }

    @AfterAll
    static void stopLineage() {
        lineage.close();
    }

    private OutboxRows rows;
    private final WatchedWakeup waits = new WatchedWakeup();

    @BeforeEach
    void clean() {
        rows = new OutboxRows(jdbc, clock);
        lineage.reset();
        jdbc.sql("DELETE FROM lineage_outbox").update();
    }

    @Test
    void theOutboxRowIsPartOfTheCommitsTransaction() {
        OutboxRows.Version event = committed("c.s.rolled_back", 4);
        // Enqueued inside a transaction, the row is written in it: visible inside, gone on rollback.
        tx.executeWithoutResult(status -> {
            rows.write(outbox, event);
            assertThat(pending()).isEqualTo(1);
            status.setRollbackOnly();
        });
        assertThat(pending()).isZero();

        tx.executeWithoutResult(status -> rows.write(outbox, committed("c.s.kept", 0)));
        assertThat(pending()).isEqualTo(1);

        // Outside a transaction there is no commit to wake the relay after: refused.
        assertThatThrownBy(() -> outbox.written()).isInstanceOf(IllegalTransactionStateException.class);
        assertThat(pending()).isEqualTo(1);
    }

    @Test
    void everyVersionIsDeliveredAsADeltaSnapshotWithTheCommitsRequestId() {
        Instant committedAt = Instant.parse("2026-05-01T12:00:00Z");
        MDC.put(RequestIds.MDC_KEY, "commit-request-7");
        try {
            tx.executeWithoutResult(status -> {
                for (long v = 0; v < 3; v++) {
                    rows.write(
                            outbox,
                            new OutboxRows.Version(
                                    UUID.randomUUID(),
                                    "sales.eu.orders",
                                    "file:/warehouse/sales/eu/orders",
                                    v,
                                    committedAt.plusSeconds(v)));
                }
            });
        } finally {
            MDC.remove(RequestIds.MDC_KEY);
        }

        LineageRelay.Round round = relay(Duration.ofMillis(10)).relayDue();
        assertThat(round.claimed()).isEqualTo(3);
        assertThat(round.delivered()).isEqualTo(3);

        // One request for all three versions; each carries its commit's request id.
        assertThat(lineage.received()).hasSize(1);
        Received batch = lineage.received().get(0);
        assertThat(batch.path()).isEqualTo("/api/v1/snapshots/batch");
        assertThat(batch.authorization()).isEqualTo("Bearer " + SERVICE_KEY);
        assertThat(RequestIds.isValid(batch.requestId())).isTrue();
        JsonNode items = batch.body().get("snapshots");
        assertThat(items).hasSize(3);
        for (int v = 0; v < 3; v++) {
            JsonNode item = items.get(v);
            assertThat(item.get("table_name").asString()).isEqualTo("sales.eu.orders");
            assertThat(item.get("uri").asString()).isEqualTo("file:/warehouse/sales/eu/orders");
            assertThat(item.get("format").asString()).isEqualTo("delta");
            assertThat(item.get("version").asLong()).isEqualTo(v);
            assertThat(item.get("created_at").asString())
                    .isEqualTo(committedAt.plusSeconds(v).toString());
            assertThat(item.get("request_id").asString()).isEqualTo("commit-request-7");
        }
        assertThat(pending()).isZero();
    }

    @Test
    void failuresAreRetriedWithBackoffAndALostAcknowledgementCostsOnlyADuplicate() throws Exception {
        tx.executeWithoutResult(status -> rows.write(outbox, committed("sales.eu.returns", 12)));
        LineageRelay relay = relay(Duration.ofMillis(200));

        lineage.failNext(Fault.UNAVAILABLE);
        assertThat(relay.relayDue().delivered()).isZero();
        assertThat(pending()).isEqualTo(1);
        assertThat(jdbc.sql("SELECT attempts FROM lineage_outbox")
                        .query(Integer.class)
                        .single())
                .isEqualTo(1);
        assertThat(jdbc.sql("SELECT last_error FROM lineage_outbox")
                        .query(String.class)
                        .single())
                .startsWith("HTTP 503");
        // Backing off: not due again at once.
        assertThat(relay.relayDue().claimed()).isZero();
        assertThat(lineage.received()).hasSize(1);

        // Lineage stores the snapshot but the answer is lost: the row stays and is sent again…
        lineage.failNext(Fault.ACK_LOST);
        awaitDue();
        assertThat(relay.relayDue().delivered()).isZero();
        assertThat(pending()).isEqualTo(1);
        // …and the repeat is acknowledged (already recorded), so the row goes.
        awaitDue();
        assertThat(relay.relayDue().delivered()).isEqualTo(1);
        assertThat(pending()).isZero();

        assertThat(lineage.received()).hasSize(3);
        assertThat(lineage.stored()).containsExactly("sales.eu.returns@12");
    }

    @Test
    void aRejectedVersionBacksOffAloneWhileTheRestOfItsBatchIsDelivered() {
        tx.executeWithoutResult(status -> {
            rows.write(outbox, committed("c.s.fine", 1));
            rows.write(outbox, committed("c.s.poison", 1));
            rows.write(outbox, committed("c.s.fine", 2));
        });
        lineage.refuseTable("c.s.poison");
        LineageRelay relay = relay(Duration.ofSeconds(30));

        LineageRelay.Round round = relay.relayDue();
        assertThat(round.delivered()).isEqualTo(2);
        assertThat(round.failed()).isEqualTo(1);
        assertThat(round.stopped()).isFalse();
        assertThat(lineage.received()).hasSize(1);
        assertThat(lineage.stored()).containsExactly("c.s.fine@1", "c.s.fine@2");

        // Only the rejected version is left, backing off with lineage's reason.
        var left = jdbc.sql("SELECT full_name, attempts, last_error, next_attempt_at > now() AS later"
                        + " FROM lineage_outbox")
                .query((rs, n) -> List.of(
                        rs.getString("full_name"),
                        rs.getInt("attempts"),
                        rs.getString("last_error"),
                        rs.getBoolean("later")))
                .single();
        assertThat(left.get(0)).isEqualTo("c.s.poison");
        assertThat(left.get(1)).isEqualTo(1);
        assertThat((String) left.get(2)).startsWith("rejected: INVALID_NAME");
        assertThat(left.get(3)).isEqualTo(true);
        assertThat(relay.relayDue().claimed()).isZero();
        assertThat(lineage.received()).hasSize(1);
    }

    @Test
    void aVersionWhoseCommitNamedARunGoesWithItsWriterOnceLineageKnowsTheRun() throws Exception {
        UUID run = UUID.randomUUID();
        UUID table = UUID.randomUUID();
        Instant committedAt = clock.instant();
        tx.executeWithoutResult(status -> {
            rows.write(outbox, new OutboxRows.Version(table, "c.s.ingested", "file:/w/i", 1, committedAt, run));
            rows.write(outbox, new OutboxRows.Version(table, "c.s.ingested", "file:/w/i", 2, committedAt, null));
        });
        LineageRelay relay = relay(Duration.ofMillis(10));

        // The pipeline's run start has not reached lineage yet: that version waits, the other goes.
        LineageRelay.Round first = relay.relayDue();
        assertThat(first.delivered()).isEqualTo(1);
        assertThat(first.failed()).isEqualTo(1);
        assertThat(lineage.stored()).containsExactly("c.s.ingested@2");
        assertThat(lineage.received()
                        .get(0)
                        .body()
                        .get("snapshots")
                        .get(0)
                        .get("run_id")
                        .asString())
                .isEqualTo(run.toString());
        assertThat(lineage.received().get(0).body().get("snapshots").get(1).has("run_id"))
                .isFalse();

        lineage.knowRun(run);
        awaitDue();
        assertThat(relay.relayDue().delivered()).isEqualTo(1);
        assertThat(lineage.stored()).containsExactly("c.s.ingested@2", "c.s.ingested@1");
        JsonNode retried = lineage.received().get(1).body().get("snapshots");
        assertThat(retried).hasSize(1);
        assertThat(retried.get(0).get("version").asLong()).isEqualTo(1);
        assertThat(retried.get(0).get("run_id").asString()).isEqualTo(run.toString());
        assertThat(pending()).isZero();
    }

    @Test
    void aRunLineageNeverLearnsOfIsLeftOutAfterTheWaitSoTheVersionStillArrives() {
        UUID run = UUID.randomUUID();
        Instant committedAt = clock.instant();
        tx.executeWithoutResult(status -> rows.write(
                outbox, new OutboxRows.Version(UUID.randomUUID(), "c.s.orphan", "file:/w/o", 1, committedAt, run)));
        assertThat(relay(Duration.ofMillis(10)).relayDue().failed()).isEqualTo(1);

        // Later than the wait after lineage's first "no such run", by the relay's clock: no writer named.
        Clock later = Clock.offset(clock, RUN_WAIT.plusSeconds(1));
        LineageRelay.Round round = relayWith(properties(lineage.url(), SERVICE_KEY, Duration.ofMillis(10)), later)
                .relayDue();
        assertThat(round.delivered()).isEqualTo(1);
        assertThat(lineage.stored()).containsExactly("c.s.orphan@1");
        assertThat(lineage.received().get(1).body().get("snapshots").get(0).has("run_id"))
                .isFalse();
        assertThat(pending()).isZero();
    }

    @Test
    void aRunLineageSaysWasNotRunningThenIsLeftOutAtOnce() throws Exception {
        UUID run = UUID.randomUUID();
        lineage.knowEndedRun(run); // another pipeline's run, long over, named by this commit
        tx.executeWithoutResult(status -> rows.write(
                outbox,
                new OutboxRows.Version(UUID.randomUUID(), "c.s.claimed", "file:/w/c", 1, clock.instant(), run)));
        LineageRelay relay = relay(Duration.ofMillis(10));
        assertThat(relay.relayDue().failed()).isEqualTo(1);
        awaitDue();
        assertThat(relay.relayDue().delivered()).isEqualTo(1);
        assertThat(lineage.stored()).containsExactly("c.s.claimed@1");
        assertThat(lineage.received().get(1).body().get("snapshots").get(0).has("run_id"))
                .isFalse();
    }

    @Test
    void anOutageDoesNotCountTowardsTheRunWait() {
        UUID run = UUID.randomUUID();
        tx.executeWithoutResult(status -> rows.write(
                outbox, new OutboxRows.Version(UUID.randomUUID(), "c.s.waited", "file:/w/w", 1, clock.instant(), run)));
        lineage.failNext(Fault.UNAVAILABLE);
        assertThat(relay(Duration.ofMillis(10)).relayDue().stopped()).isTrue();

        // Lineage comes back long after the commit, and knows the run: the version goes with its writer.
        lineage.knowRun(run);
        Clock later = Clock.offset(clock, RUN_WAIT.multipliedBy(3));
        LineageRelay.Round round = relayWith(properties(lineage.url(), SERVICE_KEY, Duration.ofMillis(10)), later)
                .relayDue();
        assertThat(round.delivered()).isEqualTo(1);
        JsonNode delivered = lineage.received().get(1).body().get("snapshots").get(0);
        assertThat(delivered.get("run_id").asString()).isEqualTo(run.toString());
    }

    @Test
    void anOlderLineageWithoutTheBatchEndpointGetsTheVersionsOneByOne() {
        lineage.withoutBatchEndpoint();
        MDC.put(RequestIds.MDC_KEY, "commit-request-9");
        try {
            tx.executeWithoutResult(status -> {
                rows.write(outbox, committed("c.s.old", 1));
                rows.write(outbox, committed("c.s.old", 2));
            });
        } finally {
            MDC.remove(RequestIds.MDC_KEY);
        }
        assertThat(relay(Duration.ofMillis(10)).relayDue().delivered()).isEqualTo(2);
        assertThat(pending()).isZero();
        assertThat(lineage.received())
                .extracting(Received::path, Received::requestId)
                .containsExactly(
                        tuple("/api/v1/tables/c.s.old/snapshots", "commit-request-9"),
                        tuple("/api/v1/tables/c.s.old/snapshots", "commit-request-9"));
        assertThat(lineage.stored()).containsExactly("c.s.old@1", "c.s.old@2");
    }

    @Test
    void anUnreachableLineageServiceLeavesEveryVersionQueued() {
        tx.executeWithoutResult(status -> {
            rows.write(outbox, committed("c.s.one", 1));
            rows.write(outbox, committed("c.s.two", 1));
        });
        LineageRelay nowhere = relayWith(properties("http://127.0.0.1:1", SERVICE_KEY, Duration.ofMillis(10)), clock);
        LineageRelay.Round round = nowhere.relayDue();
        assertThat(round.delivered()).isZero();
        assertThat(round.stopped()).isTrue();
        assertThat(round.full()).isFalse();
        assertThat(pending()).isEqualTo(2);
        // The batch was attempted as a whole: both versions record the attempt and back off.
        assertThat(jdbc.sql("SELECT last_error FROM lineage_outbox WHERE attempts = 1")
                        .query(String.class)
                        .list())
                .hasSize(2)
                .allSatisfy(error -> assertThat(error).startsWith("unreachable"));
    }

    @Test
    void withoutAnApiKeyTheRelayWaitsAndKeepsTheOutbox() {
        tx.executeWithoutResult(status -> rows.write(outbox, committed("c.s.keyless", 1)));
        LineageRelay keyless = relayWith(properties(lineage.url(), "", Duration.ofMillis(10)), clock);
        assertThat(keyless.relayDue().claimed()).isZero();
        assertThat(lineage.received()).isEmpty();
        assertThat(pending()).isEqualTo(1);
    }

    @Test
    void rowsClaimedByAnotherRelayAreSkippedNotDeliveredTwice() throws Exception {
        tx.executeWithoutResult(status -> rows.write(outbox, committed("c.s.claimed", 1)));
        CountDownLatch locked = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        ExecutorService other = Executors.newSingleThreadExecutor();
        try {
            // Another replica holds the row (as its relay would while delivering it).
            Future<?> holder = other.submit(() -> tx.executeWithoutResult(status -> {
                jdbc.sql("SELECT id FROM lineage_outbox FOR UPDATE")
                        .query(Long.class)
                        .list();
                locked.countDown();
                try {
                    release.await(10, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }));
            assertThat(locked.await(10, TimeUnit.SECONDS)).isTrue();
            assertThat(relay(Duration.ofMillis(10)).relayDue().claimed()).isZero();
            assertThat(lineage.received()).isEmpty();
            release.countDown();
            holder.get(10, TimeUnit.SECONDS);
        } finally {
            other.shutdownNow();
        }
        assertThat(relay(Duration.ofMillis(10)).relayDue().delivered()).isEqualTo(1);
    }

    @Test
    void noTransactionIsHeldWhileLineageIsCalled() {
        tx.executeWithoutResult(status -> rows.write(outbox, committed("c.s.leased", 1)));
        List<String> seen = new java.util.ArrayList<>();
        lineage.onNextRequest(() -> {
            // While the relay waits for lineage, its rows are leased, not locked: another session
            // can lock them at once, and another relay does not claim them.
            seen.add(tx.execute(status -> jdbc.sql("SELECT full_name FROM lineage_outbox FOR UPDATE NOWAIT")
                    .query(String.class)
                    .single()));
            seen.add("claimed by another relay: "
                    + relay(Duration.ofMillis(10)).relayDue().claimed());
        });
        assertThat(relay(Duration.ofMillis(10)).relayDue().delivered()).isEqualTo(1);
        assertThat(seen).containsExactly("c.s.leased", "claimed by another relay: 0");
        assertThat(pending()).isZero();
    }

    @Test
    void theScheduledRelayDeliversOnItsOwnThread() throws Exception {
        tx.executeWithoutResult(status -> rows.write(outbox, committed("c.s.scheduled", 5)));
        LineageRelayProperties props = properties(lineage.url(), SERVICE_KEY, Duration.ofMillis(10));
        RelayLoop schedule = loopOf(relayWith(props, clock), props);
        schedule.start();
        try {
            awaitEmpty();
        } finally {
            schedule.stop();
        }
        assertThat(pending()).isZero();
        assertThat(lineage.stored()).containsExactly("c.s.scheduled@5");
        assertThat(schedule.isRunning()).isFalse();
    }

    @Test
    void theScheduledRelayDrainsABacklogBatchAfterBatchThenWaitsForThePollInterval() throws Exception {
        tx.executeWithoutResult(status -> {
            for (int v = 0; v < 230; v++) {
                rows.write(outbox, committed("c.s.backlog" + (v % 3), v));
            }
        });
        // A poll interval far longer than the test: only draining can deliver five batches in time.
        LineageRelayProperties props =
                properties(lineage.url(), SERVICE_KEY, Duration.ofMillis(10), Duration.ofMinutes(10), 50);
        RelayLoop schedule = loopOf(relayWith(props, clock), props);
        schedule.start();
        try {
            awaitEmpty();
            assertThat(lineage.received())
                    .extracting(r -> r.body().get("snapshots").size())
                    .containsExactly(50, 50, 50, 50, 30);
            assertThat(lineage.stored()).hasSize(230);

            // The last round found less than a batch: the relay now waits the poll interval, it
            // does not spin (a spinning relay never waits that long, and this times out)…
            waits.awaitWaitOfAtLeast(Duration.ofMinutes(9));
            tx.executeWithoutResult(status -> rows.write(outbox, committed("c.s.later", 1)));
            assertThat(pending()).isEqualTo(1);
            assertThat(lineage.received()).hasSize(5);
            // …until the poll interval ends or it is woken up.
            schedule.wakeUp();
            awaitEmpty();
            assertThat(lineage.received()).hasSize(6);
        } finally {
            schedule.stop();
        }
        assertThat(schedule.isRunning()).isFalse();
    }

    @Test
    void aCommitWakesTheRelaySoLineageHasTheVersionLongBeforeThePollInterval() throws Exception {
        LineageRelayProperties props =
                properties(lineage.url(), SERVICE_KEY, Duration.ofMillis(10), Duration.ofMinutes(10), 50);
        RelayLoop schedule = loopOf(relayWith(props, clock), props);
        LineageOutbox wakingOutbox = new LineageOutbox(schedule);
        schedule.start();
        try {
            // The start-up round has found nothing: the relay now waits 10 minutes.
            waits.awaitWaitOfAtLeast(Duration.ofMinutes(9));
            assertThat(lineage.received()).isEmpty();

            // A rolled-back commit wakes nobody (its afterCommit would ring before the call returns)
            // and leaves nothing to deliver.
            long rings = waits.signals();
            tx.executeWithoutResult(status -> {
                rows.write(wakingOutbox, committed("c.s.woken", 0));
                status.setRollbackOnly();
            });
            assertThat(waits.signals())
                    .as("wake-ups after a rolled-back commit")
                    .isEqualTo(rings);
            assertThat(pending()).isZero();

            long committedAt = System.nanoTime();
            tx.executeWithoutResult(status -> rows.write(wakingOutbox, committed("c.s.woken", 1)));
            awaitEmpty();
            assertThat(Duration.ofNanos(System.nanoTime() - committedAt)).isLessThan(Duration.ofSeconds(10));
            assertThat(lineage.stored()).containsExactly("c.s.woken@1");
        } finally {
            schedule.stop();
        }
    }

    @Test
    void theApiKeyNeverShowsInTheSettingsText() {
        assertThat(properties(lineage.url(), SERVICE_KEY, Duration.ofSeconds(1)).toString())
                .doesNotContain(SERVICE_KEY)
                .contains("<redacted>");
    }

    private LineageRelay relay(Duration initialBackoff) {
        return relayWith(properties(lineage.url(), SERVICE_KEY, initialBackoff), clock);
    }

    /** The relay as the app builds it (LineageRelayConfiguration), on {@code clock}. */
    private LineageRelay relayWith(LineageRelayProperties props, Clock clock) {
        return new LineageRelay(jdbc, new LineageCalls(props), props, clock);
    }

    private static LineageRelayProperties properties(String url, String key, Duration initialBackoff) {
        return properties(url, key, initialBackoff, Duration.ofSeconds(1), 100);
    }

    private static LineageRelayProperties properties(
            String url, String key, Duration initialBackoff, Duration pollInterval, int batchSize) {
        return new LineageRelayProperties(
                URI.create(url),
                key,
                true,
                pollInterval,
                batchSize,
                initialBackoff,
                Duration.ofSeconds(2),
                Duration.ofSeconds(2),
                Duration.ofMillis(50),
                RUN_WAIT);
    }

    private void awaitEmpty() throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        while (pending() > 0 && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertThat(pending()).as("outbox rows left").isZero();
    }

    private void awaitDue() throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < deadline) {
            Boolean due = jdbc.sql("SELECT bool_and(next_attempt_at <= now()) FROM lineage_outbox")
                    .query(Boolean.class)
                    .single();
            if (Boolean.TRUE.equals(due)) {
                return;
            }
            Thread.sleep(50);
        }
        throw new AssertionError("outbox rows never became due");
    }

    private int pending() {
        return jdbc.sql("SELECT count(*) FROM lineage_outbox")
                .query(Integer.class)
                .single();
    }

    private static OutboxRows.Version committed(String table, long version) {
        return new OutboxRows.Version(
                UUID.randomUUID(), table, "file:/warehouse/" + table.replace('.', '/'), version, Instant.now());
    }

    /** The relay's loop as the app builds it (LineageRelayConfiguration), its doorbell watched. */
    private RelayLoop loopOf(LineageRelay relay, LineageRelayProperties props) {
        return new RelayLoop(
                "lineage-relay",
                () -> relay.relayDue().full(),
                props,
                io.deltaplane.support.loop.ProcessRole.ALL,
                props.gather(),
                null,
                waits);
    }

    /**
     * The loop's doorbell, watched: the explicit signal that the loop has gone to wait (for how
     * long), and how often it was rung — instead of sleeping and hoping nothing happened meanwhile.
     */
    static final class WatchedWakeup extends Wakeup {
        private final java.util.concurrent.atomic.AtomicLong signals = new java.util.concurrent.atomic.AtomicLong();
        private final java.util.concurrent.atomic.AtomicLong longestWaitMillis =
                new java.util.concurrent.atomic.AtomicLong();
        private final Object waited = new Object();

        @Override
        public void signal() {
            signals.incrementAndGet();
            super.signal();
        }

        @Override
        public long await(long seen, long millis) throws InterruptedException {
            synchronized (waited) {
                longestWaitMillis.accumulateAndGet(millis, Math::max);
                waited.notifyAll();
            }
            return super.await(seen, millis);
        }

        long signals() {
            return signals.get();
        }

        /** Returns once the loop has gone to wait at least {@code wait} (fails after 15 s). */
        void awaitWaitOfAtLeast(Duration wait) throws InterruptedException {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
            synchronized (waited) {
                while (longestWaitMillis.get() < wait.toMillis()) {
                    long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
                    assertThat(left).as("the loop went to wait %s", wait).isPositive();
                    waited.wait(left);
                }
            }
        }
    }
}
