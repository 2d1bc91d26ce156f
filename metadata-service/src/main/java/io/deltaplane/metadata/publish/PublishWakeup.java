package io.deltaplane.metadata.publish;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.springframework.stereotype.Component;

/**
 * Lets a local commit wake a publisher worker instead of waiting for the next poll. A signal bumps
 * a generation and wakes one worker; a worker that found work signals again, so more workers join
 * only while there is work for them (no herd of empty claims per commit).
 */
@Component
public class PublishWakeup {

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition signalled = lock.newCondition();
    private long generation;

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
