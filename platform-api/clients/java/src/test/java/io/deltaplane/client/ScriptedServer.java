package io.deltaplane.client;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A real HTTP server (the JDK's) answering with scripted responses and recording requests, to test
 * the client's own behaviour (error mapping, retries, headers) without the platform. End-to-end
 * behaviour against the real apps is in {@code JavaClientEndToEndTest} (platform-api/e2e).
 */
final class ScriptedServer implements AutoCloseable {

    record Request(String method, String path, Map<String, List<String>> headers, String body) {
        String header(String name) {
            List<String> values = values(name);
            return values.isEmpty() ? null : values.get(0);
        }

        List<String> values(String name) {
            for (var e : headers.entrySet()) {
                if (e.getKey().equalsIgnoreCase(name)) {
                    return e.getValue();
                }
            }
            return List.of();
        }
    }

    record Response(int status, String contentType, String body, Map<String, String> headers) {}

    private final HttpServer server;
    private final Deque<Response> script = new ArrayDeque<>();
    private final List<Request> requests = new CopyOnWriteArrayList<>();

    ScriptedServer() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 16);
        server.createContext("/", exchange -> {
            try (exchange) {
                String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
                requests.add(new Request(
                        exchange.getRequestMethod(),
                        exchange.getRequestURI().getRawPath()
                                + (exchange.getRequestURI().getRawQuery() == null
                                        ? ""
                                        : "?" + exchange.getRequestURI().getRawQuery()),
                        Map.copyOf(exchange.getRequestHeaders()),
                        body));
                Response r;
                synchronized (script) {
                    r = script.isEmpty() ? new Response(200, "application/json", "{}", Map.of()) : script.poll();
                }
                r.headers().forEach((k, v) -> exchange.getResponseHeaders().set(k, v));
                byte[] bytes = r.body() == null ? new byte[0] : r.body().getBytes(StandardCharsets.UTF_8);
                if (r.contentType() != null) {
                    exchange.getResponseHeaders().set("Content-Type", r.contentType());
                }
                exchange.sendResponseHeaders(r.status(), bytes.length == 0 ? -1 : bytes.length);
                if (bytes.length > 0) {
                    exchange.getResponseBody().write(bytes);
                }
            }
        });
        server.start();
    }

    ScriptedServer then(int status, String json) {
        return then(status, json, Map.of());
    }

    ScriptedServer then(int status, String json, Map<String, String> headers) {
        synchronized (script) {
            script.add(new Response(
                    status, status >= 400 ? "application/problem+json" : "application/json", json, headers));
        }
        return this;
    }

    static String problem(int status, String code, String requestId, String extra) {
        return "{\"type\":\"https://deltaplane.io/problems/x\",\"title\":\"t\",\"status\":" + status
                + ",\"detail\":\"d\","
                + "\"error_code\":\"" + code + "\",\"request_id\":\"" + requestId + "\""
                + (extra == null ? "" : "," + extra)
                + "}";
    }

    List<Request> requests() {
        return List.copyOf(requests);
    }

    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
