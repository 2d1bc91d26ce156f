package io.deltaplane.metadata.icebergmetadata;

import java.util.List;
import java.util.concurrent.AbstractExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Runs what iceberg-core hands its worker pool on the converting thread. iceberg-core waits for
 * its pool's tasks by polling every 10 ms ({@code Tasks.waitFor}), which cost about 47 ms of every
 * one-version conversion in four such waits (manifest writes, filtering, merging, the manifest
 * list); a conversion writes a handful of small files, so nothing is gained by a pool, and tasks
 * that are done when submitted are never waited for.
 */
final class SameThread extends AbstractExecutorService {

    static final SameThread EXECUTOR = new SameThread();

    private SameThread() {}

    @Override
    public void execute(Runnable command) {
        command.run();
    }

    @Override
    public void shutdown() {}

    @Override
    public List<Runnable> shutdownNow() {
        return List.of();
    }

    @Override
    public boolean isShutdown() {
        return false;
    }

    @Override
    public boolean isTerminated() {
        return false;
    }

    @Override
    public boolean awaitTermination(long timeout, TimeUnit unit) {
        return false;
    }
}
