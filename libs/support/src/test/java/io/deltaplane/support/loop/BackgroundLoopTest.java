package io.deltaplane.support.loop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.deltaplane.support.backoff.Backoff;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The loop's promises: drains while work is due, wakes on a signal, survives failures, stops. */
class BackgroundLoopTest {

    /** Long enough that only a wake-up or "more is due" can start the next round within the test. */
    private static final Duration NEVER = Duration.ofHours(1);

    @Test
    void drainsBackToBackWhileARoundSaysMoreIsDue() throws Exception {
        AtomicInteger backlog = new AtomicInteger(5);
        CountDownLatch drained = new CountDownLatch(1);
        BackgroundLoop loop = BackgroundLoop.named("drain")
                .round(() -> {
                    if (backlog.decrementAndGet() > 0) {
                        return true;
                    }
                    drained.countDown();
                    return false;
                })
                .every(NEVER)
                .build();
        loop.start();
        try {
            assertThat(drained.await(10, TimeUnit.SECONDS)).isTrue();
            assertThat(backlog.get()).isZero();
        } finally {
            loop.stop(Duration.ofSeconds(5));
        }
    }

    @Test
    void coalescedWakeUpsWaitTheSpacingButADrainDoesNot() throws Exception {
        BlockingQueue<Long> starts = new ArrayBlockingQueue<>(10);
        AtomicInteger backlog = new AtomicInteger(3);
        BackgroundLoop loop = BackgroundLoop.named("coalesce")
                .round(() -> {
                    starts.add(System.nanoTime());
                    return backlog.decrementAndGet() > 0; // full, full, then partial
                })
                .every(NEVER)
                .coalesceWakeUps(Duration.ofSeconds(2))
                .build();
        loop.start();
        try {
            long first = starts.poll(10, TimeUnit.SECONDS);
            long second = starts.poll(10, TimeUnit.SECONDS);
            long third = starts.poll(10, TimeUnit.SECONDS);
            assertThat(Duration.ofNanos(third - first))
                    .as("rounds after a full one start at once")
                    .isLessThan(Duration.ofSeconds(2));
            assertThat(second).isLessThanOrEqualTo(third);
            loop.wake(); // right after the partial round: waits out the spacing
            long woken = starts.poll(10, TimeUnit.SECONDS);
            assertThat(Duration.ofNanos(woken - third)).isGreaterThanOrEqualTo(Duration.ofMillis(1900));
        } finally {
            loop.stop(Duration.ofSeconds(5));
        }
    }

    @Test
    void steadyWakeUpsStartOneRoundPerWindowHoweverManyThreadsTheLoopHas() throws Exception {
        // The publisher's case: four threads, a commit's wake-up every millisecond. Each thread used
        // to run a round per window, so four threads claimed four times as often as one.
        Duration window = Duration.ofMillis(100);
        List<Long> starts = new CopyOnWriteArrayList<>();
        CountDownLatch firstRound = new CountDownLatch(1);
        BackgroundLoop loop = BackgroundLoop.named("steady")
                .threads(4)
                .round(() -> {
                    starts.add(System.nanoTime());
                    firstRound.countDown();
                    Thread.sleep(5);
                    return false;
                })
                .every(NEVER)
                .coalesceWakeUps(window)
                .build();
        loop.start();
        try {
            assertThat(firstRound.await(10, TimeUnit.SECONDS)).isTrue();
            long from = System.nanoTime();
            long until = from + Duration.ofMillis(1500).toNanos();
            while (System.nanoTime() < until) {
                loop.wake();
                Thread.sleep(1);
            }
            long to = System.nanoTime();
            long rounds = starts.stream().filter(t -> t >= from && t <= to).count();
            long windows = (to - from) / window.toNanos();
            // +2: the round of the window open at `from`, and one whose start was recorded late.
            assertThat(rounds)
                    .as("rounds started during %d windows of steady wake-ups", windows)
                    .isBetween(1L, windows + 2);
        } finally {
            loop.stop(Duration.ofSeconds(5));
        }
    }

    @Test
    void aRoundThatSaysMoreIsDueCallsInASecondThreadWithoutWaitingTheWindow() throws Exception {
        AtomicInteger count = new AtomicInteger();
        CountDownLatch bothDraining = new CountDownLatch(2);
        Set<String> drainingThreads = ConcurrentHashMap.newKeySet();
        BackgroundLoop loop = BackgroundLoop.named("help")
                .threads(2)
                .round(() -> {
                    if (count.incrementAndGet() == 1) {
                        return true; // a full round: more is due
                    }
                    drainingThreads.add(Thread.currentThread().getName());
                    bothDraining.countDown();
                    bothDraining.await(10, TimeUnit.SECONDS);
                    return false;
                })
                .every(NEVER)
                .coalesceWakeUps(NEVER) // only a drain or a call for help can start a second round
                .build();
        loop.start();
        try {
            assertThat(bothDraining.await(10, TimeUnit.SECONDS))
                    .as("two rounds drain side by side")
                    .isTrue();
            assertThat(drainingThreads).containsExactlyInAnyOrder("help-0", "help-1");
        } finally {
            loop.stop(Duration.ofSeconds(5));
        }
    }

    @Test
    void aWakeUpStartsTheNextRoundWithoutWaitingTheInterval() throws Exception {
        BlockingQueue<Integer> rounds = new ArrayBlockingQueue<>(10);
        AtomicInteger count = new AtomicInteger();
        BackgroundLoop loop = BackgroundLoop.named("wake")
                .task(() -> rounds.add(count.incrementAndGet()))
                .every(NEVER)
                .build();
        loop.start();
        try {
            assertThat(rounds.poll(10, TimeUnit.SECONDS)).isEqualTo(1);
            assertThat(rounds.poll(200, TimeUnit.MILLISECONDS))
                    .as("no round before a wake-up")
                    .isNull();
            loop.wake();
            assertThat(rounds.poll(10, TimeUnit.SECONDS)).isEqualTo(2);
        } finally {
            loop.stop(Duration.ofSeconds(5));
        }
    }

    @Test
    void aFailedRoundIsCountedAndRetriedAfterTheBackoffNotTheEndOfTheLoop() throws Exception {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        AtomicInteger attempts = new AtomicInteger();
        CountDownLatch recovered = new CountDownLatch(1);
        BackgroundLoop loop = BackgroundLoop.named("flaky")
                .task(() -> {
                    if (attempts.incrementAndGet() <= 2) {
                        throw new IllegalStateException("database away");
                    }
                    recovered.countDown();
                })
                .every(NEVER)
                .failureBackoff(new Backoff(Duration.ofMillis(5), Duration.ofMillis(10), 0))
                .metrics(registry)
                .build();
        loop.start();
        try {
            assertThat(recovered.await(10, TimeUnit.SECONDS)).isTrue();
        } finally {
            loop.stop(Duration.ofSeconds(5));
        }
        assertThat(registry.get("deltaplane.loop.rounds")
                        .tags("loop", "flaky", "outcome", "failed")
                        .counter()
                        .count())
                .isEqualTo(2.0);
        assertThat(registry.get("deltaplane.loop.rounds")
                        .tags("loop", "flaky", "outcome", "ok")
                        .counter()
                        .count())
                .isEqualTo(1.0);
        assertThat(registry.get("deltaplane.loop.round")
                        .tags("loop", "flaky")
                        .timer()
                        .count())
                .isEqualTo(3);
    }

    @Test
    void stopEndsTheThreadsAndAStoppedLoopRunsNoMoreRounds() throws Exception {
        AtomicInteger count = new AtomicInteger();
        CountDownLatch first = new CountDownLatch(1);
        BackgroundLoop loop = BackgroundLoop.named("stopping")
                .threads(3)
                .task(() -> {
                    count.incrementAndGet();
                    first.countDown();
                })
                .every(NEVER)
                .build();
        loop.start();
        assertThat(first.await(10, TimeUnit.SECONDS)).isTrue();
        assertThat(loop.isRunning()).isTrue();
        loop.stop(Duration.ofSeconds(5));
        assertThat(loop.isRunning()).isFalse();
        int after = count.get();
        loop.wake();
        assertThat(Thread.getAllStackTraces().keySet().stream()
                        .filter(t -> t.getName().startsWith("stopping-"))
                        .filter(Thread::isAlive))
                .isEmpty();
        assertThat(count.get()).isEqualTo(after);
    }

    @Test
    void aLoopNeedsANameAnIntervalAndARound() {
        assertThatThrownBy(() -> BackgroundLoop.named(" ")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> BackgroundLoop.named("x").task(() -> {}).build())
                .hasMessageContaining("interval");
        assertThatThrownBy(() -> BackgroundLoop.named("x").every(Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
