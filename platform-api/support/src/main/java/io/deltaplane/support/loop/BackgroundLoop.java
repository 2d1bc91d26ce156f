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
    private final Duration minSpacing;
    private final boolean drainsWithoutSpacing;
    private final int threads;
    private final Backoff failureBackoff;
    private final Wakeup wakeup;
    private final Counter succeeded;
    private final Counter failed;
    private final Timer timer;
    private volatile List<Thread> running = List.of();

    private BackgroundLoop(Builder b) {
        this.name = b.name;
        this.round = requireNonNull(b.round, "round");
        this.interval = b.interval;
        this.initialDelay = b.initialDelay;
        this.minSpacing = b.minSpacing;
        this.drainsWithoutSpacing = b.drainsWithoutSpacing;
        this.threads = b.threads;
        this.failureBackoff = b.failureBackoff != null
                ? b.failureBackoff
                : new Backoff(interval, max(interval, Duration.ofSeconds(30)), 0.2);
        this.wakeup = b.wakeup != null ? b.wakeup : new Wakeup();
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
        long seen = wakeup.generation();
        try {
            if (!initialDelay.isZero()) {
                seen = wakeup.await(seen, initialDelay.toMillis());
            }
            long lastStart = 0;
            boolean draining = false;
            while (!Thread.currentThread().isInterrupted()) {
                long spacing = minSpacing.toNanos() - (System.nanoTime() - lastStart);
                if (lastStart != 0 && spacing > 0 && !(draining && drainsWithoutSpacing)) {
                    // Woken again right after a round: let the signals of this window share one round.
                    TimeUnit.NANOSECONDS.sleep(spacing);
                }
                lastStart = System.nanoTime();
                Duration wait;
                try {
                    boolean more = runRound();
                    failures.reset();
                    draining = more;
                    if (more) {
                        if (threads > 1) {
                            wakeup.signal(); // more is due: bring in another thread
                        }
                        continue;
                    }
                    wait = interval;
                } catch (InterruptedException e) {
                    throw e;
                } catch (Exception e) {
                    draining = false;
                    wait = failures.next();
                    log.warn("Background loop {}: round failed, next in {} ms", name, wait.toMillis(), e);
                }
                seen = wakeup.await(seen, wait.toMillis());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt(); // stopping
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
        private Duration minSpacing = Duration.ZERO;
        private boolean drainsWithoutSpacing;
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

        /** The least time between the starts of two rounds of a thread, to coalesce wake-ups. */
        public Builder minSpacing(Duration spacing) {
            this.minSpacing = requireNonNull(spacing, "spacing");
            return this;
        }

        /**
         * {@link #minSpacing} only before a round that a wake-up or the interval starts: a round that
         * follows one which said more is due starts at once (its predecessor was full, so waiting
         * would gather nothing, only slow the drain). For loops whose "more" means a full batch.
         */
        public Builder coalesceWakeUps(Duration spacing) {
            minSpacing(spacing);
            this.drainsWithoutSpacing = true;
            return this;
        }

        /** How many threads run rounds (default 1). */
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
