package io.deltaplane.metadata.lineage;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * A real HTTP server standing in for lineage-service's {@code POST /api/v1/snapshots/batch},
 * {@code POST /api/v1/tables/{name}/snapshots} and {@code POST /api/v1/lineage} (OpenLineage run
 * events: a repeated end is taken, a START of an ended run is 409 {@code RUN_NOT_RUNNING}) (lineage-service is another application, not on
 * metadata-service's classpath). It behaves as the real endpoints do — per item RECORDED for a new
 * (table, version), ALREADY_RECORDED for one it has, REJECTED with an error code for a table it was
 * told to refuse; 201/200 on the single endpoint — records every request, and can be told to fail
 * the next requests, to lose its acknowledgement, or to be an older lineage without the batch
 * endpoint (404).
 */
final class FakeLineageService implements AutoCloseable {

    enum Fault {
        /** Answered as usual (to fault a later request of a sequence). */
        NONE,
        /** 503 and nothing stored: lineage is unhealthy. */
        UNAVAILABLE,
        /** Stored, then a 500: the acknowledgement is lost on the way back. */
        ACK_LOST
    }

    record Received(String path, String authorization, String requestId, JsonNode body) {}

    static final String BATCH_PATH = "/api/v1/snapshots/batch";
    static final String OPENLINEAGE_PATH = "/api/v1/lineage";
    private static final Pattern PATH = Pattern.compile("/api/v1/tables/([^/]+)/snapshots");
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final HttpServer server;
    private final List<Received> received = new ArrayList<>();
    private final Set<String> stored = new LinkedHashSet<>();
    /** OpenLineage runs by run id: RUNNING, COMPLETED or FAILED. */
    private final java.util.Map<String, String> runs = new java.util.LinkedHashMap<>();

    private final Deque<Fault> faults = new ArrayDeque<>();
    private final Set<String> refusedTables = new LinkedHashSet<>();
    private boolean batchSupported = true;
    private Runnable onNextRequest;

    FakeLineageService() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", this::handle);
        server.start();
    }

    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /**
     * Relay settings aimed at this fake with {@code serviceKey}, for a test that drives rounds
     * itself: a minute's first back-off, so a failed row waits until the test moves it.
     */
    LineageRelayProperties relayProperties(String serviceKey) {
        return new LineageRelayProperties(
                URI.create(url()),
                serviceKey,
                true,
                Duration.ofSeconds(1),
                500,
                Duration.ofMinutes(1),
                Duration.ofMinutes(5),
                Duration.ofSeconds(10),
                Duration.ZERO,
                Duration.ofMinutes(10));
    }

    /** Runs {@code check} when the next request arrives, before answering it. */
    synchronized void onNextRequest(Runnable check) {
        onNextRequest = check;
    }

    synchronized void failNext(Fault... next) {
        faults.addAll(List.of(next));
    }

    /** Batch items of this table are REJECTED (as lineage rejects a name it does not accept). */
    synchronized void refuseTable(String table) {
        refusedTables.add(table);
    }

    /** Without the batch endpoint, as a lineage-service older than it. */
    synchronized void withoutBatchEndpoint() {
        batchSupported = false;
    }

    synchronized List<Received> received() {
        return List.copyOf(received);
    }

    /** OpenLineage runs it was told of, by run id, with their state. */
    synchronized java.util.Map<String, String> runs() {
        return java.util.Map.copyOf(runs);
    }

    synchronized List<String> stored() {
        return List.copyOf(stored);
    }

    /** A run lineage knows but that was not running when the versions naming it were committed. */
    synchronized void knowEndedRun(UUID runId) {
        runs.put(runId.toString(), "COMPLETED");
    }

    /** A run lineage knows from now on (its START arrived), so versions may name it as their writer. */
    synchronized void knowRun(UUID runId) {
        runs.put(runId.toString(), "RUNNING");
    }

    synchronized void reset() {
        received.clear();
        stored.clear();
        runs.clear();
        faults.clear();
        refusedTables.clear();
        batchSupported = true;
        onNextRequest = null;
    }

    private synchronized void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            if (onNextRequest != null) {
                Runnable check = onNextRequest;
                onNextRequest = null;
                check.run();
            }
            byte[] bytes = exchange.getRequestBody().readAllBytes();
            String path = exchange.getRequestURI().getRawPath();
            Matcher m = PATH.matcher(path);
            boolean batch = BATCH_PATH.equals(path) && batchSupported;
            boolean openLineage = OPENLINEAGE_PATH.equals(path);
            if (!"POST".equals(exchange.getRequestMethod()) || !(batch || openLineage || m.matches())) {
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
            if (openLineage) {
                respond(exchange, runEvent(body, fault));
                return;
            }
            if (batch) {
                ArrayNode results = JSON.createArrayNode();
                for (JsonNode item : body.get("snapshots")) {
                    String table = item.get("table_name").asString();
                    ObjectNode result = results.addObject()
                            .put("index", results.size() - 1)
                            .put("table_name", table)
                            .put("version", item.get("version").asLong());
                    JsonNode run = item.get("run_id");
                    if (refusedTables.contains(table)) {
                        result.put("outcome", "REJECTED")
                                .put("error_code", "INVALID_NAME")
                                .put("detail", "not a table name lineage accepts");
                    } else if (run != null && !runs.containsKey(run.asString())) {
                        result.put("outcome", "REJECTED")
                                .put("error_code", "RUN_NOT_FOUND")
                                .put("detail", "Run " + run.asString() + " not found.");
                    } else if (run != null && !"RUNNING".equals(runs.get(run.asString()))) {
                        result.put("outcome", "REJECTED")
                                .put("error_code", "RUN_NOT_RUNNING")
                                .put("detail", "Run " + run.asString() + " was not running then.");
                    } else {
                        boolean created =
                                stored.add(table + "@" + item.get("version").asLong());
                        result.put("outcome", created ? "RECORDED" : "ALREADY_RECORDED");
                    }
                }
                ObjectNode answer = JSON.createObjectNode();
                answer.set("results", results);
                respond(exchange, fault == Fault.ACK_LOST ? 500 : 200, answer.toString());
                return;
            }
            boolean created = stored.add(m.group(1) + "@" + body.get("version").asLong());
            respond(exchange, fault == Fault.ACK_LOST ? 500 : created ? 201 : 200);
        }
    }

    /** OpenLineage's RunEvent as lineage-service applies it to a run: its status and problem. */
    private int runEvent(JsonNode event, Fault fault) {
        String runId = event.path("run").path("runId").asString();
        String type = event.path("eventType").asString();
        String state = runs.get(runId);
        boolean ends = type.equals("COMPLETE") || type.equals("FAIL");
        String outcome = type.equals("COMPLETE") ? "COMPLETED" : "FAILED";
        if (state != null && !state.equals("RUNNING") && !(ends && state.equals(outcome))) {
            return 409; // an ended run takes no START (RUN_NOT_RUNNING) and no other end
        }
        runs.put(runId, ends ? outcome : "RUNNING");
        return fault == Fault.ACK_LOST ? 500 : 201;
    }

    private void respond(HttpExchange exchange, int status) throws IOException {
        if (status == 409) {
            respond(exchange, status, "{\"error_code\":\"RUN_NOT_RUNNING\"}");
            return;
        }
        respond(exchange, status, "{}");
    }

    private static void respond(HttpExchange exchange, int status, String json) throws IOException {
        byte[] body = json.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, body.length);
        exchange.getResponseBody().write(body);
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
