package io.deltaplane.metadata.lineage;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A real HTTP server standing in for lineage-service's {@code POST /api/v1/tables/{name}/snapshots}
 * (lineage-service is another application, not on metadata-service's classpath). It behaves as the
 * real endpoint does — 201 for a new (table, version), 200 for one it already has — records every
 * request, and can be told to fail the next requests or to lose its acknowledgement.
 */
final class FakeLineageService implements AutoCloseable {

    enum Fault {
        /** 503 and nothing stored: lineage is unhealthy. */
        UNAVAILABLE,
        /** Stored, then a 500: the acknowledgement is lost on the way back. */
        ACK_LOST
    }

    record Received(String path, String authorization, String requestId, JsonNode body) {}

    private static final Pattern PATH = Pattern.compile("/api/v1/tables/([^/]+)/snapshots");
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final HttpServer server;
    private final List<Received> received = new ArrayList<>();
    private final Set<String> stored = new LinkedHashSet<>();
    private final Deque<Fault> faults = new ArrayDeque<>();

    FakeLineageService() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", this::handle);
        server.start();
    }

    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    synchronized void failNext(Fault... next) {
        faults.addAll(List.of(next));
    }

    synchronized List<Received> received() {
        return List.copyOf(received);
    }

    synchronized List<String> stored() {
        return List.copyOf(stored);
    }

    synchronized void reset() {
        received.clear();
        stored.clear();
        faults.clear();
    }

    private synchronized void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            byte[] bytes = exchange.getRequestBody().readAllBytes();
            String path = exchange.getRequestURI().getRawPath();
            Matcher m = PATH.matcher(path);
            if (!"POST".equals(exchange.getRequestMethod()) || !m.matches()) {
                respond(exchange, 404);
                return;
            }
            JsonNode body = JSON.readTree(new String(bytes, StandardCharsets.UTF_8));
            received.add(new Received(
                    path,
                    exchange.getRequestHeaders().getFirst("Authorization"),
                    exchange.getRequestHeaders().getFirst("X-Request-Id"),
                    body));
            Fault fault = faults.poll();
            if (fault == Fault.UNAVAILABLE) {
                respond(exchange, 503);
                return;
            }
            boolean created = stored.add(m.group(1) + "@" + body.get("version").asLong());
            respond(exchange, fault == Fault.ACK_LOST ? 500 : created ? 201 : 200);
        }
    }

    private static void respond(HttpExchange exchange, int status) throws IOException {
        byte[] body = "{}".getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, body.length);
        exchange.getResponseBody().write(body);
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
