package io.deltaplane.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A TCP proxy on 127.0.0.1 between a storage client and its server (S3Proxy, Azurite) that breaks
 * connections when the test says so: the next {@code k} connections to send more than {@code n}
 * bytes are cut after their {@code n}th byte (the client sees a reset mid-request), or stalled
 * there (the rest is swallowed and never answered, so the client's read timeout has to fire); or
 * the next HTTP requests that start so reach the server whole and lose their answer.
 * Until a fault is armed, and again after {@link #heal()}, bytes pass untouched both ways.
 *
 * <p>Every connection, new or pooled, counts the bytes it sends from the moment a fault is armed,
 * and takes one of the fault's {@code k} only when its count passes {@code n}: the fault lands on
 * the connection that carries the large request (a part, a block), whichever one of an SDK's
 * keep-alive pool that is, and small requests on other connections (a listing, a HEAD, starting a
 * multipart upload) pass without using it up. The count is per connection, not per request: with
 * a small {@code n}, a pooled connection sending several small requests passes it too. Tests wait
 * on {@link Fault#awaitFired} rather than sleeping.
 */
public final class FaultyConnections implements AutoCloseable {

    /**
     * What a fault schedule leaves between faults: traffic before each one and after the service
     * recovered from the one before. Its callers send continuously, so a second is hundreds of
     * requests for the next fault to land among.
     */
    public static final java.time.Duration BETWEEN_FAULTS = java.time.Duration.ofSeconds(1);

    private enum Kind {
        CUT,
        STALL,
        ANSWER_LOST
    }

    /**
     * Faults armed together: up to {@code connections} of them, each taken by a connection once it
     * has sent more than {@code bytes} bytes since they were armed.
     */
    public static final class Fault {
        private final Kind kind;
        private final long bytes;
        private final String requestStart;
        private final AtomicInteger unclaimed;
        private int fired; // guarded by this

        private Fault(Kind kind, long bytes, int connections) {
            this(kind, bytes, null, connections);
        }

        private Fault(Kind kind, long bytes, String requestStart, int connections) {
            this.kind = kind;
            this.bytes = bytes;
            this.requestStart = requestStart;
            this.unclaimed = new AtomicInteger(connections);
        }

        private boolean claim() {
            return unclaimed.getAndUpdate(n -> Math.max(0, n - 1)) > 0;
        }

        private synchronized void fire() {
            fired++;
            notifyAll();
        }

        /** Waits until {@code times} connections have been cut or stalled by this fault. */
        public synchronized void awaitFired(int times, Duration timeout) throws InterruptedException {
            long deadline = System.nanoTime() + timeout.toNanos();
            while (fired < times) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new IllegalStateException(
                            kind + " fired " + fired + " times, not " + times + ", within " + timeout);
                }
                TimeUnit.NANOSECONDS.timedWait(this, left);
            }
        }

        /** How many connections this fault has cut or stalled so far. */
        public synchronized int fired() {
            return fired;
        }
    }

    private final ServerSocket server;
    /** Where connections go, round robin (one for a proxy in front of one server). */
    private final Upstreams upstreams = new Upstreams();

    private final AtomicReference<Fault> armed = new AtomicReference<>();
    private final Set<Socket> open = ConcurrentHashMap.newKeySet();
    private volatile CountDownLatch healed = new CountDownLatch(1);
    private volatile boolean unreachable;
    /** Client connections reset or refused because the server was unreachable: the fault's own count. */
    private final AtomicInteger brokenWhileUnreachable = new AtomicInteger();

    private final Set<Socket> clients = ConcurrentHashMap.newKeySet();
    private final Thread acceptor;

    private FaultyConnections(ServerSocket server) {
        this.server = server;
        this.acceptor = daemon("faulty-connections-accept", this::accept);
    }

    /** A proxy on a free port of 127.0.0.1 in front of {@code 127.0.0.1:upstreamPort}. */
    public static FaultyConnections inFrontOf(int upstreamPort) {
        FaultyConnections proxy = balancing();
        proxy.addUpstream(upstreamPort);
        return proxy;
    }

    /**
     * A proxy on a free port of 127.0.0.1 in front of the servers {@link #addUpstream} adds, as a
     * Kubernetes Service in front of its ready pods: each connection goes to the next one, round
     * robin, and stays there; one that refuses it (it died) is skipped.
     */
    public static FaultyConnections balancing() {
        try {
            ServerSocket server = new ServerSocket(0, 200, InetAddress.getLoopbackAddress());
            FaultyConnections proxy = new FaultyConnections(server);
            proxy.acceptor.start();
            return proxy;
        } catch (IOException e) {
            throw new UncheckedIOException("Could not listen on 127.0.0.1", e);
        }
    }

    /** Sends new connections to {@code 127.0.0.1:port} too (a pod became ready). */
    public void addUpstream(int port) {
        upstreams.add(port);
    }

    /** Sends no new connection to {@code port} (a pod is terminating, or found dead); its open ones stay. */
    public void removeUpstream(int port) {
        upstreams.remove(port);
    }

    /** The port clients connect to instead of the server's. */
    public int port() {
        return server.getLocalPort();
    }

    /**
     * The next {@code connections} connections to send more than {@code bytes} bytes from now are
     * cut (reset) once {@code bytes} of them have reached the server; connections that send fewer
     * pass untouched and leave the fault to others.
     */
    public Fault cutAfter(long bytes, int connections) {
        return arm(new Fault(Kind.CUT, bytes, connections));
    }

    /**
     * The next {@code connections} connections to send more than {@code bytes} bytes from now stall
     * once {@code bytes} of them have reached the server: the rest is swallowed and no answer ever
     * comes, until the client gives up (its read timeout) or {@link #heal()}. Connections that send
     * fewer pass untouched and leave the fault to others.
     */
    public Fault stallAfter(long bytes, int connections) {
        return arm(new Fault(Kind.STALL, bytes, connections));
    }

    /**
     * The next {@code requests} HTTP requests whose first bytes are {@code requestStart} (a request
     * line's start, {@code "POST /api/v1/tables/a.b.c/commits"}) reach the server whole, and its
     * answer never reaches the client: the connection is reset when the answer comes. What a client
     * sees when the network fails after the server acted — the outcome is unknown to it.
     */
    public Fault loseAnswerTo(String requestStart, int requests) {
        return arm(new Fault(Kind.ANSWER_LOST, 0, requestStart, requests));
    }

    private Fault arm(Fault fault) {
        healed = new CountDownLatch(1);
        armed.set(fault);
        return fault;
    }

    /**
     * The server is gone, as when Postgres restarts or fails over: every open connection is reset,
     * and every new one is reset as soon as it is accepted, until {@link #heal()}.
     */
    public void unreachable() {
        unreachable = true;
        clients.forEach(c -> {
            if (!c.isClosed()) {
                brokenWhileUnreachable.incrementAndGet();
            }
        });
        open.forEach(this::reset);
        clients.clear();
    }

    /**
     * Client connections {@link #unreachable()} has broken so far: open ones it reset and new ones it
     * refused. A suite that cuts a server shows with it that its clients were connected through this
     * proxy and met the cut.
     */
    public int brokenWhileUnreachable() {
        return brokenWhileUnreachable.get();
    }

    /**
     * No more faults: unclaimed ones are dropped (a connection that passes the threshold afterwards
     * is not hit), stalled connections are closed, the server is reachable.
     */
    public void heal() {
        unreachable = false;
        armed.set(null);
        healed.countDown();
    }

    @Override
    public void close() {
        heal();
        try {
            server.close();
        } catch (IOException e) {
            // closing anyway
        }
        open.forEach(this::closeConnection);
    }

    private void accept() {
        while (!server.isClosed()) {
            try {
                Socket client = server.accept();
                if (unreachable) {
                    brokenWhileUnreachable.incrementAndGet();
                    reset(client);
                    continue;
                }
                Socket upstream = upstreams.connect();
                if (upstream == null) {
                    reset(client); // no server took it
                    continue;
                }
                open.add(client);
                open.add(upstream);
                clients.removeIf(Socket::isClosed);
                clients.add(client);
                AtomicReference<Fault> answerLost = new AtomicReference<>();
                daemon("faulty-connections-up", () -> clientToServer(client, upstream, answerLost))
                        .start();
                daemon("faulty-connections-down", () -> serverToClient(upstream, client, answerLost))
                        .start();
            } catch (IOException e) {
                if (!server.isClosed()) {
                    continue; // one failed connection; keep serving the others
                }
            }
        }
    }

    /**
     * Client bytes to the server. The connection counts what it sends under the armed fault, and
     * claims the fault only with the read that takes it past the fault's bytes: up to there the
     * bytes go through, the rest is cut or stalled. A newly armed fault starts the count afresh.
     */
    private void clientToServer(Socket client, Socket upstream, AtomicReference<Fault> answerLost) {
        byte[] buffer = new byte[64 * 1024];
        Fault counting = null; // the armed fault that sent counts bytes for
        long sent = 0;
        try (InputStream in = client.getInputStream();
                OutputStream out = upstream.getOutputStream()) {
            for (int n; (n = in.read(buffer)) >= 0; ) {
                Fault fault = armed.get();
                if (fault != null && fault.kind == Kind.ANSWER_LOST) {
                    // a request starts a read of its own: HTTP/1.1 clients wait for the answer first
                    if (new String(buffer, 0, Math.min(n, 1024), StandardCharsets.ISO_8859_1)
                                    .startsWith(fault.requestStart)
                            && fault.claim()) {
                        answerLost.set(fault);
                    }
                    out.write(buffer, 0, n);
                    out.flush();
                    continue;
                }
                if (fault != counting) {
                    counting = fault;
                    sent = 0;
                }
                if (fault == null || sent + n <= fault.bytes || !fault.claim()) {
                    out.write(buffer, 0, n);
                    out.flush();
                    sent += n;
                    continue;
                }
                out.write(buffer, 0, (int) (fault.bytes - sent));
                out.flush();
                fault.fire();
                if (fault.kind == Kind.CUT) {
                    reset(client);
                    break;
                }
                swallowUntilHealed(in);
                break;
            }
        } catch (IOException e) {
            // the other side closed, or we cut it: either way this connection is over
        } finally {
            closeConnection(client);
            closeConnection(upstream);
        }
    }

    /** A stalled request: read and drop what the client still sends, answer nothing. */
    private void swallowUntilHealed(InputStream in) throws IOException {
        CountDownLatch until = healed;
        daemon("faulty-connections-stall", () -> {
                    try {
                        until.await();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    closeQuietly(in);
                })
                .start();
        byte[] drop = new byte[64 * 1024];
        while (in.read(drop) >= 0) {
            // swallowed
        }
    }

    /** The server's bytes to the client, unless the request they answer is to lose its answer. */
    private void serverToClient(Socket from, Socket to, AtomicReference<Fault> answerLost) {
        byte[] buffer = new byte[64 * 1024];
        try (InputStream in = from.getInputStream();
                OutputStream out = to.getOutputStream()) {
            for (int n; (n = in.read(buffer)) >= 0; ) {
                Fault lost = answerLost.getAndSet(null);
                if (lost != null) {
                    reset(to);
                    lost.fire();
                    break;
                }
                out.write(buffer, 0, n);
                out.flush();
            }
        } catch (IOException e) {
            // closed on either side
        } finally {
            closeConnection(from);
            closeConnection(to);
        }
    }

    private static Thread daemon(String name, Runnable task) {
        Thread thread = new Thread(task, name);
        thread.setDaemon(true);
        return thread;
    }

    /** Closes with a TCP reset rather than a clean end, as a dropped connection looks to the client. */
    private void reset(Socket socket) {
        try {
            socket.setSoLinger(true, 0);
        } catch (SocketException e) {
            // closed already
        }
        closeQuietly(socket);
    }

    private void closeConnection(Socket socket) {
        open.remove(socket);
        closeQuietly((AutoCloseable) socket);
    }

    private static void closeQuietly(AutoCloseable closeable) {
        try {
            closeable.close();
        } catch (Exception e) {
            // best effort
        }
    }
}
