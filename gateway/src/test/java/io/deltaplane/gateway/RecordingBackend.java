package io.deltaplane.gateway;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Function;

/**
 * A tiny real HTTP server (the JDK's {@code HttpServer}) standing in for a Deltaplane service behind
 * the gateway. It records what reaches it (method, path, headers, body size and SHA-256, the body
 * itself when small) and answers like a service: JSON naming itself, echoing {@code X-Request-Id}.
 * The gateway's proxying, headers and streaming are under test, not the services.
 */
public final class RecordingBackend implements AutoCloseable {

    /** What one request looked like when it arrived. */
    public record Received(
            String method,
            String path,
            String query,
            Map<String, List<String>> headers,
            long bodyBytes,
            String bodySha256,
            String smallBody) {

        public String header(String name) {
            List<String> values = headers.get(name.toLowerCase());
            return values == null || values.isEmpty() ? null : values.get(0);
        }
    }

    /** How to answer a request: a small body, or {@code generatedBytes} of {@link StreamData}. */
    public record Reply(int status, String contentType, String body, Map<String, String> headers, long generatedBytes) {
        public Reply(int status, String contentType, String body, Map<String, String> headers) {
            this(status, contentType, body, headers, 0);
        }

        public static Reply json(int status, String body) {
            return new Reply(status, "application/json", body, Map.of());
        }

        /** No answer at all: the connection is closed once the request was read (a backend killed mid-request). */
        public static Reply hangUp() {
            return new Reply(-1, null, null, Map.of());
        }

        /** A streamed download of {@code bytes} bytes, written without holding them in memory. */
        public static Reply download(long bytes) {
            return new Reply(200, "application/octet-stream", null, Map.of(), bytes);
        }
    }

    private final String name;
    private final HttpServer server;
    private final ExecutorService executor = Executors.newCachedThreadPool();
    private final List<Received> received = new CopyOnWriteArrayList<>();
    /** The client ports requests came from, in order: one port per connection the gateway opened. */
    private final List<Integer> clientPorts = new CopyOnWriteArrayList<>();

    private volatile Function<Received, Reply> responder;

    private RecordingBackend(String name, int port) {
        this.name = name;
        try {
            this.server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 64);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        this.responder = this::echo;
        server.createContext("/", this::handle);
        server.setExecutor(executor);
        server.start();
    }

    public static RecordingBackend start(String name) {
        return new RecordingBackend(name, 0);
    }

    /** A backend on {@code port} (one a test kept closed until now). */
    public static RecordingBackend startOn(String name, int port) {
        return new RecordingBackend(name, port);
    }

    public String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    public List<Received> received() {
        return List.copyOf(received);
    }

    public Received last() {
        return received.get(received.size() - 1);
    }

    public void clear() {
        received.clear();
    }

    /** Changes how the backend answers; {@link #reset()} goes back to echoing. */
    public void respondWith(Function<Received, Reply> responder) {
        this.responder = responder;
    }

    public void reset() {
        responder = this::echo;
        received.clear();
        clientPorts.clear();
    }

    /** The client port of each request since the last reset: requests on one connection share it. */
    public List<Integer> clientPorts() {
        return List.copyOf(clientPorts);
    }

    private Reply echo(Received r) {
        return Reply.json(
                200, "{\"backend\":\"" + name + "\",\"method\":\"" + r.method() + "\",\"path\":\"" + r.path() + "\"}");
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            Received r = read(exchange);
            received.add(r);
            clientPorts.add(exchange.getRemoteAddress().getPort());
            Reply reply = responder.apply(r);
            if (reply.status() < 0) {
                return; // closed without a response
            }
            if (r.header("X-Request-Id") != null) {
                exchange.getResponseHeaders().set("X-Request-Id", r.header("X-Request-Id"));
            }
            reply.headers().forEach((k, v) -> exchange.getResponseHeaders().set(k, v));
            if (reply.generatedBytes() > 0) {
                exchange.getResponseHeaders().set("Content-Type", reply.contentType());
                exchange.sendResponseHeaders(reply.status(), 0); // chunked
                StreamData.write(reply.generatedBytes(), exchange.getResponseBody());
                return;
            }
            byte[] body = reply.body() == null ? new byte[0] : reply.body().getBytes(StandardCharsets.UTF_8);
            if (reply.contentType() != null) {
                exchange.getResponseHeaders().set("Content-Type", reply.contentType());
            }
            exchange.sendResponseHeaders(reply.status(), body.length == 0 ? -1 : body.length);
            if (body.length > 0) {
                exchange.getResponseBody().write(body);
            }
        }
    }

    private static Received read(HttpExchange exchange) throws IOException {
        Map<String, List<String>> headers = new TreeMap<>();
        exchange.getRequestHeaders().forEach((k, v) -> headers.put(k.toLowerCase(), List.copyOf(v)));
        MessageDigest sha = sha256();
        long total = 0;
        StringBuilder small = new StringBuilder();
        byte[] buffer = new byte[64 * 1024];
        try (InputStream in = exchange.getRequestBody()) {
            int n;
            while ((n = in.read(buffer)) > 0) {
                sha.update(buffer, 0, n);
                if (total < 64 * 1024) {
                    small.append(new String(buffer, 0, (int) Math.min(n, 64 * 1024 - total), StandardCharsets.UTF_8));
                }
                total += n;
            }
        }
        return new Received(
                exchange.getRequestMethod(),
                exchange.getRequestURI().getRawPath(),
                exchange.getRequestURI().getRawQuery(),
                headers,
                total,
                HexFormat.of().formatHex(sha.digest()),
                small.toString());
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
