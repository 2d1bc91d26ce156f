package io.deltaplane.support.loop;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A doorbell for a {@link BackgroundLoop}: {@link #signal} bumps a generation and wakes one waiting
 * thread. Generations rather than permits, so a signal that arrives while every thread is busy is
 * not lost, and many signals while one round runs start one round, not many.
 */
public class Wakeup {

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition signalled = lock.newCondition();
    private long generation;

    /** Wakes one waiting thread, or makes the next wait return at once. */
    public void signal() {
        lock.lock();
        try {
            generation++;
            signalled.signal();
        } finally {
            lock.unlock();
        }
    }

    /** The current generation, to pass to {@link #await} later. */
    public long generation() {
        lock.lock();
        try {
            return generation;
        } finally {
            lock.unlock();
        }
    }

    /** Waits until a signal newer than {@code seen} or {@code millis} pass; returns the generation. */
    public long await(long seen, long millis) throws InterruptedException {
        lock.lock();
        try {
            long nanos = TimeUnit.MILLISECONDS.toNanos(millis);
            while (generation == seen && nanos > 0) {
                nanos = signalled.awaitNanos(nanos);
            }
            return generation;
        } finally {
            lock.unlock();
        }
    }
}
