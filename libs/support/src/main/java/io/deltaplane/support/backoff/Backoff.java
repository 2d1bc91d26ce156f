package io.deltaplane.support.backoff;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The platform's one retry schedule: exponential from {@code initial}, doubling per attempt, never
 * longer than {@code max} (which wins when it is the smaller), with ±{@code jitter} spread so replicas and tables that failed together do not retry
 * in lockstep. Used by the publisher, the checkpointer, the lineage relay and the ingest consumers.
 *
 * @param jitter the spread as a fraction of the delay (0 for none, 0.2 for ±20%)
 */
public record Backoff(Duration initial, Duration max, double jitter) {

    public Backoff {
        if (initial.isNegative() || initial.isZero() || max.isNegative() || max.isZero()) {
            throw new IllegalArgumentException("backoff needs positive waits, got " + initial + " and " + max);
        }
        if (jitter < 0 || jitter >= 1) {
            throw new IllegalArgumentException("jitter is a fraction in [0, 1), got " + jitter);
        }
    }

    /** The wait before retry number {@code attempt} (1 for the first retry). */
    public Duration delay(int attempt) {
        long base = initial.toMillis();
        long factor = 1L << Math.min(Math.max(attempt - 1, 0), 30);
        long millis = base > Long.MAX_VALUE / factor ? Long.MAX_VALUE : base * factor;
        long capped = Math.min(millis, max.toMillis());
        long spread = jitter == 0
                ? 0
                : (long) (capped * jitter * (ThreadLocalRandom.current().nextDouble() * 2 - 1));
        return Duration.ofMillis(Math.max(1, capped + spread));
    }

    /** A running count of attempts for one retrying loop: {@link #next} grows, {@link #reset} after a success. */
    public Sequence sequence() {
        return new Sequence(this);
    }

    /** The attempts of one loop (not thread-safe: one loop, one sequence). */
    public static final class Sequence {
        private final Backoff backoff;
        private int attempt;

        private Sequence(Backoff backoff) {
            this.backoff = backoff;
        }

        public Duration next() {
            return backoff.delay(++attempt);
        }

        public void reset() {
            attempt = 0;
        }
    }
}
