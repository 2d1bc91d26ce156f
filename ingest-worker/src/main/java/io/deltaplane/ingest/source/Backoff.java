package io.deltaplane.ingest.source;

/** Exponential backoff between retries of a failing consumer: 0.5s doubling up to 30s. */
public final class Backoff {

    private static final long FIRST_MS = 500;
    private static final long MAX_MS = 30_000;
    private long next = FIRST_MS;

    public long nextDelayMs() {
        long delay = next;
        next = Math.min(MAX_MS, next * 2);
        return delay;
    }

    public void reset() {
        next = FIRST_MS;
    }
}
