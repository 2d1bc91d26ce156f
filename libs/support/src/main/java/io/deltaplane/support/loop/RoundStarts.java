package io.deltaplane.support.loop;

/**
 * What the threads of one {@link BackgroundLoop} share about starting rounds, so that a loop with
 * several threads starts rounds as one loop would: a wake-up is taken by one thread (the round that
 * starts takes every wake-up signalled before it), the coalescing window runs from the loop's last
 * start rather than each thread's own, and a round that says more is due can ask one more thread
 * to join at once. Without this, every thread of a busy loop ran a round per window: four
 * publisher threads claimed four times as often as one, for the same work.
 */
final class RoundStarts {

    private final long spacingNanos;
    private long taken; // the wake-up generation the latest round start took
    private boolean gathering; // a thread took the pending wake-ups and waits out the window
    private boolean helpWanted;
    private long lastStart;
    private boolean started;

    RoundStarts(long spacingNanos) {
        this.spacingNanos = spacingNanos;
    }

    /**
     * A thread woke to wake-up {@code generation}: true if it is the one to start a round for it,
     * false if a started round already took it or another thread is gathering it.
     */
    synchronized boolean take(long generation) {
        if (gathering || generation <= taken) {
            return false;
        }
        gathering = true;
        return true;
    }

    /** A round said more is due: the next thread to wake joins at once. */
    synchronized void askForHelp() {
        helpWanted = true;
    }

    /** True once per call of {@link #askForHelp}, for the thread that answers it. */
    synchronized boolean takeHelp() {
        boolean wanted = helpWanted;
        helpWanted = false;
        return wanted;
    }

    /** A round found nothing more due: help asked for earlier is no longer needed. */
    synchronized void drained() {
        helpWanted = false;
    }

    /** Nanoseconds until the coalescing window since the loop's last start closes (0 or less: open). */
    synchronized long windowLeft(long now) {
        return started ? spacingNanos - (now - lastStart) : 0;
    }

    /** A round starts now and takes every wake-up up to {@code generation}. */
    synchronized void start(long generation, long now) {
        taken = Math.max(taken, generation);
        gathering = false;
        lastStart = now;
        started = true;
    }
}
