package io.deltaplane.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;

/**
 * Watches, in the background, the TCP connections of a set of processes and keeps every one whose
 * far end is neither loopback nor explicitly allowed: a test's evidence that what it ran talked to
 * nothing beyond this machine (an emulator's telemetry, a library phoning home). The processes are
 * looked up again at every look, so parts that start or restart meanwhile are watched too.
 */
public final class ConnectionWatch implements AutoCloseable {

    private final Callable<Set<Long>> processes;
    private final Predicate<InetAddress> allowed;
    private final Map<String, ProcessSockets.Connection> seen = new LinkedHashMap<>();
    private final Set<Long> watched = ConcurrentHashMap.newKeySet();
    private final Thread thread;
    private volatile boolean running = true;
    private volatile Exception failure;

    private ConnectionWatch(Callable<Set<Long>> processes, Predicate<InetAddress> allowed, Duration every) {
        this.processes = processes;
        this.allowed = allowed;
        this.thread = new Thread(
                () -> {
                    while (running) {
                        look();
                        try {
                            Thread.sleep(every.toMillis());
                        } catch (InterruptedException e) {
                            return;
                        }
                    }
                },
                "connection-watch");
        thread.setDaemon(true);
    }

    /**
     * Starts watching.
     *
     * @param processes the process ids to watch, asked again at every look
     * @param allowed far ends besides loopback that are expected (a database on another host)
     * @param every how often to look; a connection shorter than that may go unseen, which is why
     *     the watch suits the long-lived connections of telemetry and clients
     */
    public static ConnectionWatch start(Callable<Set<Long>> processes, Predicate<InetAddress> allowed, Duration every) {
        ConnectionWatch watch = new ConnectionWatch(processes, allowed, every);
        watch.thread.start();
        return watch;
    }

    /** Looks once now, in the caller's thread, and returns everything seen so far. */
    public List<ProcessSockets.Connection> lookNow() {
        look();
        return seen();
    }

    /** Every unexpected connection seen so far, once each (by process and far end). */
    public List<ProcessSockets.Connection> seen() {
        if (failure != null) {
            throw new IllegalStateException("The connection watch could not read /proc", failure);
        }
        synchronized (seen) {
            return new ArrayList<>(seen.values());
        }
    }

    /**
     * How many distinct processes the watch has looked at so far: a watch that matched nothing
     * proves nothing.
     */
    public int processesWatched() {
        return watched.size();
    }

    private void look() {
        try {
            Set<Long> pids = processes.call();
            watched.addAll(pids);
            for (ProcessSockets.Connection c : ProcessSockets.beyondLoopback(pids)) {
                if (!allowed.test(c.peer())) {
                    synchronized (seen) {
                        seen.putIfAbsent(c.pid() + " " + c.peer() + ":" + c.port(), c);
                    }
                }
            }
        } catch (IOException e) {
            failure = new UncheckedIOException(e);
        } catch (Exception e) {
            failure = e;
        }
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        thread.interrupt();
        thread.join();
    }
}
