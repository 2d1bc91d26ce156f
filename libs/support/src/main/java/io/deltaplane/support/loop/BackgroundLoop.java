package io.deltaplane.support.loop;

import static java.util.Objects.requireNonNull;

import io.deltaplane.support.backoff.Backoff;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The platform's one way to run work in the background (the publisher, the checkpointer, the
 * reconciler, the lineage relay, the run sweeper, the ingest reconciler): named daemon threads
 * running rounds, draining while a round says more is due, else waiting the interval or until
 * {@link #wake()}; a failed round is logged and retried after a growing {@link Backoff}, never ends
 * the loop. With a meter registry each loop counts its rounds by outcome
 * ({@code deltaplane.loop.rounds{loop,outcome}}) and times them ({@code deltaplane.loop.round}).
 *
 * <p>With several threads the loop still starts rounds as one loop would: one thread starts at
 * once, a wake-up is taken by one thread, and the others join when a round says more is due or a
 * wake-up arrives while the running rounds are busy ({@link RoundStarts}).
 *
 * <p>Owners keep their own {@code SmartLifecycle} and call {@link #start} and {@link #stop}; a loop
 * can be woken before it starts (the wake-up is kept for its first wait).
 */
public final class BackgroundLoop {

    private static final Logger log = LoggerFactory.getLogger(BackgroundLoop.class);

    /** One round of work. */
    @FunctionalInterface
    public interface Round {
        /**
         * Does one round.
         *
         * @return true if more work is due now: the next round starts at once (and, with several
         *     threads, another thread is woken to help)
         */
        boolean run() throws Exception;
    }

    private final String name;
    private final Round round;
    private final Duration interval;
    private final Duration initialDelay;
    private final int threads;
    private final Backoff failureBackoff;
    private final Wakeup wakeup;
    private final RoundStarts starts;
    private final Counter succeeded;
    private final Counter failed;
    private final Timer timer;
    private volatile List<Thread> running = List.of();

    private BackgroundLoop(Builder b) {
        this.name = b.name;
        this.round = requireNonNull(b.round, "round");
        this.interval = b.interval;
        this.initialDelay = b.initialDelay;
        this.threads = b.threads;
        this.failureBackoff = b.failureBackoff != null
                ? b.failureBackoff
                : new Backoff(interval, max(interval, Duration.ofSeconds(30)), 0.2);
        this.wakeup = b.wakeup != null ? b.wakeup : new Wakeup();
        this.starts = new RoundStarts(b.window.toNanos());
        if (b.registry != null) {
            succeeded = Counter.builder("deltaplane.loop.rounds")
                    .description("Rounds of a background loop, by outcome")
                    .tag("loop", name)
                    .tag("outcome", "ok")
                    .register(b.registry);
            failed = Counter.builder("deltaplane.loop.rounds")
                    .tag("loop", name)
                    .tag("outcome", "failed")
                    .register(b.registry);
            timer = Timer.builder("deltaplane.loop.round")
                    .description("Time one round of a background loop took")
                    .tag("loop", name)
                    .register(b.registry);
        } else {
            succeeded = null;
            failed = null;
            timer = null;
        }
    }

    /** A loop named {@code name} (the thread names and the {@code loop} metric tag). */
    public static Builder named(String name) {
        return new Builder(name);
    }

    /** Starts the threads; a loop already running is left as it is. */
    public synchronized void start() {
        if (!running.isEmpty()) {
            return;
        }
        List<Thread> started = new ArrayList<>();
        for (int i = 0; i < threads; i++) {
            Thread thread = new Thread(this::loop, threads == 1 ? name : name + "-" + i);
            thread.setDaemon(true);
            started.add(thread);
        }
        running = List.copyOf(started);
        started.forEach(Thread::start);
    }

    /** Ends the current wait of one thread at once (or the next wait, if all are busy). */
    public void wake() {
        wakeup.signal();
    }

    /** Interrupts the threads and waits up to {@code timeout} for their current rounds to end. */
    public synchronized void stop(Duration timeout) {
        List<Thread> stopping = running;
        running = List.of();
        stopping.forEach(Thread::interrupt);
        long deadline = System.nanoTime() + timeout.toNanos();
        for (Thread thread : stopping) {
            try {
                thread.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    public boolean isRunning() {
        return !running.isEmpty();
    }

    public String name() {
        return name;
    }

    private void loop() {
        Backoff.Sequence failures = failureBackoff.sequence();
        long seen = 0; // a wake-up signalled before the start is kept for the first wait
        try {
            // One thread starts at once; the others wait for a wake-up, a call for help or the
            // interval, as they would after a round that found nothing due.
            Duration wait = isFirstThread() && initialDelay.isZero() ? Duration.ZERO : firstWait();
            boolean drain = false;
            while (!Thread.currentThread().isInterrupted()) {
                if (!wait.isZero()) {
                    Turn turn = awaitTurn(seen, wait);
                    seen = turn.seen();
                    drain = turn.help();
                }
                if (!drain) {
                    waitOutWindow(); // let the wake-ups of this window share one round
                }
                starts.start(wakeup.generation(), System.nanoTime());
                try {
                    boolean more = runRound();
                    failures.reset();
                    if (more) {
                        if (threads > 1) {
                            starts.askForHelp(); // more is due: bring in another thread
                            wakeup.signal();
                        }
                        drain = true;
                        wait = Duration.ZERO;
                        continue;
                    }
                    starts.drained();
                    wait = interval;
                } catch (InterruptedException e) {
                    throw e;
                } catch (Exception e) {
                    wait = failures.next();
                    log.warn("Background loop {}: round failed, next in {} ms", name, wait.toMillis(), e);
                }
                drain = false;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt(); // stopping
        }
    }

    private boolean isFirstThread() {
        List<Thread> threadsNow = running;
        return threadsNow.isEmpty() || threadsNow.get(0) == Thread.currentThread();
    }

    private Duration firstWait() {
        return initialDelay.isZero() ? interval : initialDelay;
    }

    /** Why a thread's wait ended: {@code help} if it answers a round's call for help. */
    private record Turn(long seen, boolean help) {}

    /**
     * Waits until a call for help, a wake-up no started round took yet (taken by this thread and no
     * other), or the end of {@code wait}.
     */
    private Turn awaitTurn(long seen, Duration wait) throws InterruptedException {
        long deadline = System.nanoTime() + wait.toNanos();
        while (true) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return new Turn(seen, false);
            }
            seen = wakeup.await(seen, Math.max(1, TimeUnit.NANOSECONDS.toMillis(left)));
            if (starts.takeHelp()) {
                return new Turn(seen, true);
            }
            if (starts.take(seen)) {
                return new Turn(seen, false);
            }
        }
    }

    /** Sleeps until {@link Builder#coalesceWakeUps} time has passed since the loop's last round start. */
    private void waitOutWindow() throws InterruptedException {
        long left;
        while ((left = starts.windowLeft(System.nanoTime())) > 0) {
            TimeUnit.NANOSECONDS.sleep(left);
        }
    }

    private boolean runRound() throws Exception {
        long start = System.nanoTime();
        try {
            boolean more = round.run();
            if (succeeded != null) {
                succeeded.increment();
            }
            return more;
        } catch (Exception e) {
            if (failed != null) {
                failed.increment();
            }
            throw e;
        } finally {
            if (timer != null) {
                timer.record(System.nanoTime() - start, TimeUnit.NANOSECONDS);
            }
        }
    }

    private static Duration max(Duration a, Duration b) {
        return a.compareTo(b) >= 0 ? a : b;
    }

    /** Settings of a {@link BackgroundLoop}; only the round and the interval are required. */
    public static final class Builder {
        private final String name;
        private Round round;
        private Duration interval;
        private Duration initialDelay = Duration.ZERO;
        private Duration window = Duration.ZERO;
        private int threads = 1;
        private Backoff failureBackoff;
        private Wakeup wakeup;
        private MeterRegistry registry;

        private Builder(String name) {
            if (name == null || name.isBlank()) {
                throw new IllegalArgumentException("a background loop needs a name");
            }
            this.name = name;
        }

        /** What each round does. */
        public Builder round(Round round) {
            this.round = requireNonNull(round, "round");
            return this;
        }

        /** The same, for a round that never reports more work due. */
        public Builder task(Runnable task) {
            requireNonNull(task, "task");
            return round(() -> {
                task.run();
                return false;
            });
        }

        /** The wait after a round that found nothing more due (and the first back-off after a failure). */
        public Builder every(Duration interval) {
            if (interval.isNegative() || interval.isZero()) {
                throw new IllegalArgumentException("a loop's interval must be positive, got " + interval);
            }
            this.interval = interval;
            return this;
        }

        /** The wait before the first round (default none). */
        public Builder initialDelay(Duration delay) {
            this.initialDelay = requireNonNull(delay, "delay");
            return this;
        }

        /**
         * The least time between the starts of two rounds that a wake-up or the interval starts, over
         * all the loop's threads, so the wake-ups of one window share one round. A round that
         * follows one which said more is due starts at once (its predecessor was full, so waiting
         * would gather nothing, only slow the drain), and so does the thread it calls in to help.
         */
        public Builder coalesceWakeUps(Duration window) {
            requireNonNull(window, "window");
            if (window.isNegative()) {
                throw new IllegalArgumentException("a coalescing window cannot be negative, got " + window);
            }
            this.window = window;
            return this;
        }

        /** How many threads may run rounds side by side (default 1). */
        public Builder threads(int threads) {
            if (threads < 1) {
                throw new IllegalArgumentException("a loop needs at least one thread, got " + threads);
            }
            this.threads = threads;
            return this;
        }

        /** The waits after failed rounds (default: from the interval, doubling, up to 30 s or the interval). */
        public Builder failureBackoff(Backoff backoff) {
            this.failureBackoff = requireNonNull(backoff, "backoff");
            return this;
        }

        /** A doorbell shared with whoever wakes the loop (default: the loop's own). */
        public Builder wakeup(Wakeup wakeup) {
            this.wakeup = requireNonNull(wakeup, "wakeup");
            return this;
        }

        /** Where to count and time rounds (default: no metrics). */
        public Builder metrics(MeterRegistry registry) {
            this.registry = registry;
            return this;
        }

        public BackgroundLoop build() {
            if (interval == null) {
                throw new IllegalArgumentException("background loop " + name + " needs an interval (every)");
            }
            return new BackgroundLoop(this);
        }
    }
}
