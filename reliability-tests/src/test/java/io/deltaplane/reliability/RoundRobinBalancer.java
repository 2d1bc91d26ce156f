package io.deltaplane.reliability;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A Kubernetes Service in front of several replicas, on loopback: each connection goes to the next
 * ready backend (round robin) and stays there, bytes copied both ways. A backend is added once it
 * is ready and removed when its pod starts terminating or is found dead, as the endpoints
 * controller does; a connection a removed backend held breaks when that backend goes.
 */
final class RoundRobinBalancer implements AutoCloseable {

    private final ServerSocket listener;
    private final List<Integer> backends = new CopyOnWriteArrayList<>();
    private final AtomicInteger next = new AtomicInteger();
    private final ExecutorService threads = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "balancer");
        t.setDaemon(true);
        return t;
    });

    RoundRobinBalancer() {
        try {
            listener = new ServerSocket(0, 200, java.net.InetAddress.getLoopbackAddress());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        threads.submit(this::accept);
    }

    String url() {
        return "http://127.0.0.1:" + listener.getLocalPort();
    }

    void add(int port) {
        backends.add(port);
    }

    void remove(int port) {
        backends.remove(Integer.valueOf(port));
    }

    private void accept() {
        while (!listener.isClosed()) {
            try {
                Socket client = listener.accept();
                threads.submit(() -> serve(client));
            } catch (IOException closed) {
                return;
            }
        }
    }

    private void serve(Socket client) {
        Socket backend = connect();
        if (backend == null) {
            close(client);
            return;
        }
        threads.submit(() -> copy(client, backend));
        copy(backend, client);
    }

    /** The next backend that takes the connection; one that refuses it is skipped (it died). */
    private Socket connect() {
        List<Integer> ready = List.copyOf(backends);
        for (int i = 0; i < ready.size(); i++) {
            int port = ready.get(Math.floorMod(next.getAndIncrement(), ready.size()));
            Socket socket = new Socket();
            try {
                socket.connect(new InetSocketAddress("127.0.0.1", port), 1_000);
                socket.setTcpNoDelay(true);
                return socket;
            } catch (IOException refused) {
                close(socket);
            }
        }
        return null;
    }

    private static void copy(Socket from, Socket to) {
        byte[] buffer = new byte[16 * 1024];
        try (InputStream in = from.getInputStream()) {
            OutputStream out = to.getOutputStream();
            int n;
            while ((n = in.read(buffer)) >= 0) {
                out.write(buffer, 0, n);
                out.flush();
            }
        } catch (IOException broken) {
            // either side went away
        } finally {
            close(from);
            close(to);
        }
    }

    private static void close(Socket socket) {
        try {
            socket.close();
        } catch (IOException ignored) {
            // already gone
        }
    }

    @Override
    public void close() {
        try {
            listener.close();
        } catch (IOException ignored) {
            // already closed
        }
        threads.shutdownNow();
    }
}
