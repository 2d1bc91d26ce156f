package io.deltaplane.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * The committed OpenAPI contract: {@code platform-api/openapi/<service>.json}. A service's contract
 * test fetches the document the running service generates and fails when it differs from the
 * committed file. With {@code -Dopenapi.update=true} it rewrites the file instead (then commit it).
 */
public final class OpenApiContract {

    /** System property that makes {@link #verify} rewrite the committed document. */
    public static final String UPDATE_PROPERTY = "openapi.update";

    private static final JsonMapper JSON =
            JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT).build();

    private OpenApiContract() {}

    /**
     * Compares {@code http://localhost:<port>/v3/api-docs} with the committed document of {@code
     * service}; {@code module} is the Maven module (for the refresh command in the failure message).
     */
    public static void verify(int port, String service, String module) {
        verify(port, "/v3/api-docs", service, module);
    }

    /** As {@link #verify(int, String, String)} for an app serving its document at {@code docsPath}. */
    public static void verify(int port, String docsPath, String service, String module) {
        JsonNode live = normalize(fetch(port, docsPath));
        Path file = committedFile(service);
        String rendered = JSON.writeValueAsString(live) + "\n";
        if (Boolean.getBoolean(UPDATE_PROPERTY)) {
            write(file, rendered);
            System.out.println("[openapi] wrote " + file);
        }
        List<String> unexplained = unexplained(live);
        if (!unexplained.isEmpty()) {
            throw new AssertionError("The " + service + " contract does not explain itself at " + unexplained.size()
                    + " place(s); describe them in " + module + "/src/main/resources/openapi/operations.yml:\n  "
                    + String.join("\n  ", unexplained));
        }
        if (Boolean.getBoolean(UPDATE_PROPERTY)) {
            return;
        }
        String refresh = "If the change is intended, refresh the contract and commit it:\n  ./mvnw -pl " + module
                + " -am verify -Dtest=OpenApiContractTest -Dsurefire.failIfNoSpecifiedTests=false -D"
                + UPDATE_PROPERTY + "=true\n";
        if (!Files.exists(file)) {
            throw new AssertionError("No committed OpenAPI document " + file + ". " + refresh);
        }
        JsonNode committed = normalize(JSON.readTree(read(file)));
        List<String> differences = new ArrayList<>();
        diff("", committed, live, differences);
        if (!differences.isEmpty()) {
            throw new AssertionError("The " + service + " service's OpenAPI document differs from the committed "
                    + file + " (the API contract) at " + differences.size() + " place(s):\n  "
                    + String.join("\n  ", differences.subList(0, Math.min(20, differences.size()))) + "\n"
                    + refresh);
        }
    }

    /**
     * What a reader of Swagger UI would miss: an operation without a summary or description, a
     * parameter without a description, a JSON request body without an example to pre-fill.
     */
    static List<String> unexplained(JsonNode document) {
        List<String> gaps = new ArrayList<>();
        for (Map.Entry<String, JsonNode> path : document.path("paths").properties()) {
            for (Map.Entry<String, JsonNode> op : path.getValue().properties()) {
                String where = op.getKey().toUpperCase(java.util.Locale.ROOT) + " " + path.getKey();
                JsonNode operation = op.getValue();
                if (operation.path("summary").asString("").isBlank()) {
                    gaps.add(where + ": no summary");
                }
                if (operation.path("description").asString("").isBlank()) {
                    gaps.add(where + ": no description");
                }
                for (JsonNode parameter : operation.path("parameters")) {
                    if (parameter.path("description").asString("").isBlank()) {
                        gaps.add(
                                where + ": parameter '" + parameter.path("name").asString() + "' has no description");
                    }
                }
                JsonNode json = operation.path("requestBody").path("content").path("application/json");
                if (!json.isMissingNode() && !json.has("example") && !json.has("examples")) {
                    gaps.add(where + ": the JSON request body has no example");
                }
            }
        }
        return gaps;
    }

    /** {@code <repo>/platform-api/openapi/<service>.json}, found from the module's working directory. */
    public static Path committedFile(String service) {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.isDirectory(dir.resolve("platform-api")) && Files.exists(dir.resolve("pom.xml"))) {
                return dir.resolve("platform-api").resolve("openapi").resolve(service + ".json");
            }
        }
        throw new IllegalStateException("Cannot find the repository root (with platform-api/) above "
                + Path.of("").toAbsolutePath());
    }

    private static JsonNode fetch(int port, String docsPath) {
        HttpClient http =
                HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        try {
            HttpResponse<String> response = http.send(
                    HttpRequest.newBuilder(URI.create("http://localhost:" + port + docsPath))
                            .timeout(Duration.ofSeconds(60))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                throw new AssertionError(
                        "GET " + docsPath + " answered " + response.statusCode() + ": " + response.body());
            }
            return JSON.readTree(response.body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Object keys sorted, so the comparison (and the committed file) does not depend on map order. */
    static JsonNode normalize(JsonNode node) {
        if (node instanceof ObjectNode object) {
            Map<String, JsonNode> sorted = new TreeMap<>();
            for (Map.Entry<String, JsonNode> e : object.properties()) {
                sorted.put(e.getKey(), normalize(e.getValue()));
            }
            ObjectNode result = JsonNodeFactory.instance.objectNode();
            sorted.forEach(result::set);
            return result;
        }
        if (node instanceof ArrayNode array) {
            ArrayNode result = JsonNodeFactory.instance.arrayNode();
            array.forEach(element -> result.add(normalize(element)));
            return result;
        }
        return node;
    }

    private static void diff(String path, JsonNode expected, JsonNode actual, List<String> out) {
        if (expected.isObject() && actual.isObject()) {
            for (String name : expected.propertyNames()) {
                if (!actual.has(name)) {
                    out.add("removed " + path + "/" + name);
                } else {
                    diff(path + "/" + name, expected.get(name), actual.get(name), out);
                }
            }
            for (String name : actual.propertyNames()) {
                if (!expected.has(name)) {
                    out.add("added   " + path + "/" + name);
                }
            }
        } else if (expected.isArray() && actual.isArray() && expected.size() == actual.size()) {
            Iterator<JsonNode> e = expected.iterator();
            Iterator<JsonNode> a = actual.iterator();
            for (int i = 0; e.hasNext(); i++) {
                diff(path + "/" + i, e.next(), a.next(), out);
            }
        } else if (!expected.equals(actual)) {
            out.add("changed " + path + ": " + abbreviate(expected) + " -> " + abbreviate(actual));
        }
    }

    private static String abbreviate(JsonNode node) {
        String text = node.toString();
        return text.length() > 120 ? text.substring(0, 120) + "…" : text;
    }

    private static String read(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void write(Path file, String text) {
        try {
            Files.createDirectories(file.getParent());
            Files.writeString(file, text, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
