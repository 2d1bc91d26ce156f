package io.deltaplane.ingest.delta;

import static java.util.Objects.requireNonNull;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.function.Consumer;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The calls the worker makes to metadata-service for a Delta target: look a table up, create it, read
 * its snapshot (version and txn app versions), list its live files, commit, compact (OPTIMIZE).
 * Talks to the service's own REST API with the worker's service key, like any other client.
 *
 * <p>Errors: a 409 VERSION_CONFLICT is a {@link VersionConflict}; any other answer the request
 * caused (4xx) is a {@link Rejected}; an unreachable service or a 5xx is an {@link IOException},
 * which the caller may retry because every call here is a read, a commit that the txn check makes
 * safe to repeat, or an OPTIMIZE, which changes no data.
 */
public final class MetadataClient {

    private static final String NDJSON = "application/x-ndjson";

    private final URI baseUrl;
    private final String apiKey;
    private final Duration timeout;
    private final HttpClient http;
    private final JsonMapper json;

    public MetadataClient(URI baseUrl, String apiKey, Duration timeout, JsonMapper json) {
        this.baseUrl = requireNonNull(baseUrl, "baseUrl");
        this.apiKey = requireNonNull(apiKey, "apiKey");
        this.timeout = requireNonNull(timeout, "timeout");
        this.json = requireNonNull(json, "json");
        this.http = HttpClient.newBuilder().connectTimeout(timeout).build();
    }

    /** A table as the metadata service describes it. */
    public record Table(
            String fullName, String location, long version, JsonNode schema, List<String> partitionColumns) {}

    /** The version a reader sees and, per txn appId, the latest txn version at it. */
    public record Snapshot(long version, Map<String, Long> appVersions) {}

    /**
     * What one OPTIMIZE did: the version it committed (empty when no partition had two files to
     * compact), the version it read, and the files it removed and added.
     */
    public record Optimized(OptionalLong version, long readVersion, int filesRemoved, int filesAdded) {}

    /** The table moved past the version a commit expected. */
    public static final class VersionConflict extends Exception {
        public VersionConflict(String message) {
            super(message);
        }
    }

    /** The service refused the request itself (4xx other than a version conflict). */
    public static final class Rejected extends RuntimeException {
        private final int status;

        public Rejected(int status, String message) {
            super(message);
            this.status = status;
        }

        public int status() {
            return status;
        }
    }

    public Optional<Table> table(String fullName) throws IOException {
        HttpResponse<byte[]> response = send(get("/api/v1/tables/" + enc(fullName)));
        if (response.statusCode() == 404) {
            return Optional.empty();
        }
        return Optional.of(table(ok(response)));
    }

    /** Creates the table (no explicit location: the service places it under its warehouse). */
    public Table createTable(String fullName, String schema, List<String> partitionColumns, String comment)
            throws IOException {
        String[] parts = fullName.split("\\.");
        ObjectNode body = json.createObjectNode();
        body.put("catalog_name", parts[0]);
        body.put("schema_name", parts[1]);
        body.put("name", parts[2]);
        body.set("schema", json.readTree(schema));
        ArrayNode partitions = body.putArray("partition_columns");
        partitionColumns.forEach(partitions::add);
        body.put("comment", comment);
        return table(ok(send(post("/api/v1/tables", body.toString()))));
    }

    public Snapshot snapshot(String fullName) throws IOException {
        JsonNode node = ok(send(get("/api/v1/tables/" + enc(fullName) + "/snapshot")));
        Map<String, Long> apps = new HashMap<>();
        JsonNode versions = node.path("app_versions");
        for (var e : versions.properties()) {
            apps.put(e.getKey(), e.getValue().asLong());
        }
        return new Snapshot(node.path("version").asLong(), Map.copyOf(apps));
    }

    /** Streams the live files' add actions at {@code version} to {@code each} (NDJSON, one per line). */
    public void files(String fullName, long version, Consumer<JsonNode> each) throws IOException {
        HttpRequest request = request("/api/v1/tables/" + enc(fullName) + "/snapshot/files?version=" + version)
                .setHeader("Accept", NDJSON)
                .GET()
                .build();
        HttpResponse<InputStream> response;
        try {
            response = http.send(request, HttpResponse.BodyHandlers.ofInputStream());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("Interrupted", e);
        }
        try (InputStream body = response.body()) {
            if (response.statusCode() != 200) {
                throw failure(response.statusCode(), body.readAllBytes());
            }
            BufferedReader lines = new BufferedReader(new InputStreamReader(body, StandardCharsets.UTF_8));
            String line;
            while ((line = lines.readLine()) != null) {
                if (!line.isBlank()) {
                    each.accept(json.readTree(line));
                }
            }
        }
    }

    /** Commits {@code actions} (Delta action objects) as version {@code expectedVersion + 1}. */
    public long commit(String fullName, long expectedVersion, List<JsonNode> actions, String operation)
            throws IOException, VersionConflict {
        ObjectNode body = json.createObjectNode();
        body.put("expected_version", expectedVersion);
        body.put("operation", operation);
        body.putArray("actions").addAll(new ArrayList<>(actions));
        HttpResponse<byte[]> response = send(post("/api/v1/tables/" + enc(fullName) + "/commits", body.toString()));
        if (response.statusCode() == 409) {
            JsonNode problem = parse(response.body());
            if ("VERSION_CONFLICT".equals(problem.path("error_code").asString(""))) {
                throw new VersionConflict(problem.path("detail").asString("version conflict"));
            }
        }
        return ok(response).path("version").asLong();
    }

    /**
     * Asks the service to compact the table: its OPTIMIZE rewrites each partition's files smaller
     * than {@code targetFileSizeBytes} into files of about that size, as one {@code dataChange:
     * false} version. A 409 CONCURRENT_MODIFICATION (concurrent commits kept removing the files it
     * compacts) or a 422 DATA_FILE_MISSING is a {@link Rejected}; nothing was committed.
     */
    public Optimized optimize(String fullName, long targetFileSizeBytes) throws IOException {
        ObjectNode body = json.createObjectNode();
        body.put("target_file_size_bytes", targetFileSizeBytes);
        JsonNode node = ok(send(post("/api/v1/tables/" + enc(fullName) + "/optimize", body.toString())));
        JsonNode version = node.path("version");
        return new Optimized(
                version.isNumber() ? OptionalLong.of(version.asLong()) : OptionalLong.empty(),
                node.path("read_version").asLong(),
                node.path("files_removed").asInt(),
                node.path("files_added").asInt());
    }

    private Table table(JsonNode node) {
        List<String> partitions = new ArrayList<>();
        node.path("partition_columns").forEach(p -> partitions.add(p.asString()));
        return new Table(
                node.path("full_name").asString(),
                node.path("location").asString(),
                node.path("version").asLong(),
                node.path("schema"),
                List.copyOf(partitions));
    }

    private HttpRequest get(String path) {
        return request(path).GET().build();
    }

    private HttpRequest post(String path, String body) {
        return request(path)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build();
    }

    private HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(baseUrl.resolve(path))
                .timeout(timeout)
                .header("Authorization", "Bearer " + apiKey)
                .header("Accept", "application/json");
    }

    private HttpResponse<byte[]> send(HttpRequest request) throws IOException {
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofByteArray());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("Interrupted while calling the metadata service", e);
        }
    }

    private JsonNode ok(HttpResponse<byte[]> response) throws IOException {
        int status = response.statusCode();
        if (status >= 200 && status < 300) {
            return parse(response.body());
        }
        throw failure(status, response.body());
    }

    private IOException failure(int status, byte[] body) throws IOException {
        String detail = describe(body);
        if (status >= 400 && status < 500) {
            throw new Rejected(status, "metadata service answered " + status + ": " + detail);
        }
        return new IOException("metadata service answered " + status + ": " + detail);
    }

    private String describe(byte[] body) {
        try {
            JsonNode problem = json.readTree(body);
            return problem.path("error_code").asString("") + " "
                    + problem.path("detail").asString("");
        } catch (RuntimeException e) {
            return new String(body, 0, Math.min(body.length, 200), StandardCharsets.UTF_8);
        }
    }

    private JsonNode parse(byte[] body) {
        return json.readTree(body);
    }

    private static String enc(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
