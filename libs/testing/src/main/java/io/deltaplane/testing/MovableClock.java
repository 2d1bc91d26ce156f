package io.deltaplane.testing;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A clock a test moves instead of sleeping: {@link #frozenAt} stands still until {@link #advance}
 * moves it (a cache's time to live, a lease running out); {@link #flowing} follows the system clock
 * plus whatever the test added (an app under test whose time must pass, with a jump now and then).
 * Always UTC.
 */
public final class MovableClock extends Clock {

    private final Instant frozen; // null: follows the system clock
    private final AtomicReference<Duration> offset = new AtomicReference<>(Duration.ZERO);

    private MovableClock(Instant frozen) {
        this.frozen = frozen;
    }

    /** Stands at {@code start} until the test advances it. */
    public static MovableClock frozenAt(Instant start) {
        return new MovableClock(java.util.Objects.requireNonNull(start, "start"));
    }

    /** The system clock, moved by what the test adds. */
    public static MovableClock flowing() {
        return new MovableClock(null);
    }

    public void advance(Duration by) {
        offset.updateAndGet(current -> current.plus(by));
    }

    /** Back to where it started (frozen) or to the system's time (flowing). */
    public void reset() {
        offset.set(Duration.ZERO);
    }

    @Override
    public Instant instant() {
        return (frozen == null ? Instant.now() : frozen).plus(offset.get());
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        if (!ZoneOffset.UTC.equals(zone)) {
            throw new UnsupportedOperationException("a MovableClock is UTC");
        }
        return this;
    }
}
