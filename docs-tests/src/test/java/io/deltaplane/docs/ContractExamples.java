package io.deltaplane.docs;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Swagger UI's "Try it out", pressed on every operation as pre-filled: each operation of the
 * committed OpenAPI documents is sent through the gateway with its parameter and body examples, in
 * the order the services' {@code openapi/operations.yml} list them (catalog → schema → table →
 * commit …), deletes last in reverse, and must succeed. A body with named {@code examples} is sent
 * once per example, in order. Operations whose path needs an id the server makes (a run id, an API
 * key's id) are marked {@code try: false} there and skipped.
 */
final class ContractExamples {

    /** Document, and the module whose operations.yml orders it. */
    private static final Map<String, String> DOCUMENTS = Map.of(
            "gateway", "gateway",
            "metadata", "metadata-service",
            "ingest", "ingest-worker",
            "lineage", "lineage-service");

    /** Every committed document; the gateway's first (its principals are independent of the rest). */
    static final List<String> ORDER = List.of("gateway", "metadata", "ingest", "lineage");

    private static final Pattern KEY = Pattern.compile("^  \"([A-Z]+) (/[^\"]+)\":\\s*$");
    private static final JsonMapper JSON = new JsonMapper();

    record Call(String method, String path, JsonNode operation) {}

    private ContractExamples() {}

    /**
     * What the run tries: the calls, in order, and the operations marked {@code try: false}, out of
     * every operation the committed documents hold.
     */
    record Plan(List<Call> calls, List<String> skipped, int operations) {}

    /** The plan from the committed documents and the services' operations.yml, without a platform. */
    static Plan plan(Path checkout) throws IOException {
        List<Call> calls = new ArrayList<>();
        List<Call> deletes = new ArrayList<>();
        List<String> skipped = new ArrayList<>();
        int operations = 0;
        for (String document : ORDER) {
            JsonNode doc = JSON.readTree(checkout.resolve("platform-api/openapi/" + document + ".json")
                    .toFile());
            for (JsonNode path : doc.path("paths")) {
                for (String method : path.propertyNames()) {
                    if (List.of("get", "head", "put", "post", "delete", "patch").contains(method)) {
                        operations++;
                    }
                }
            }
            Path docs = checkout.resolve(DOCUMENTS.get(document)).resolve("src/main/resources/openapi/operations.yml");
            List<String> lines = Files.readAllLines(docs);
            for (int i = 0; i < lines.size(); i++) {
                Matcher m = KEY.matcher(lines.get(i));
                if (!m.matches()) {
                    continue;
                }
                if (skipped(lines, i)) {
                    skipped.add(m.group(1) + " " + m.group(2));
                    continue;
                }
                JsonNode operation =
                        doc.path("paths").path(m.group(2)).path(m.group(1).toLowerCase());
                if (operation.isMissingNode()) {
                    throw new IllegalStateException(docs + " describes " + m.group(1) + " " + m.group(2)
                            + ", which the committed document does not have");
                }
                (m.group(1).equals("DELETE") ? deletes : calls).add(new Call(m.group(1), m.group(2), operation));
            }
        }
        Collections.reverse(deletes);
        calls.addAll(deletes);
        return new Plan(List.copyOf(calls), List.copyOf(skipped), operations);
    }

    /** The calls to make, in order; each failure is one line of the result. */
    static List<String> run(Path checkout, String gateway, String key) throws IOException, InterruptedException {
        List<Call> calls = plan(checkout).calls();
        HttpClient http = HttpClient.newHttpClient();
        List<String> failures = new ArrayList<>();
        int tried = 0;
        for (Call call : calls) {
            tried++;
            for (HttpRequest request : requests(gateway, key, call)) {
                HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
                String line = call.method() + " " + request.uri().getRawPath()
                        + (request.uri().getRawQuery() == null
                                ? ""
                                : "?" + request.uri().getRawQuery()) + " -> "
                        + response.statusCode();
                System.out.println("[try it out] " + line);
                if (response.statusCode() / 100 != 2) {
                    failures.add(line + " " + response.body());
                }
            }
        }
        if (tried != calls.size()) {
            failures.add("tried " + tried + " of the plan's " + calls.size() + " operations");
        }
        return failures;
    }

    /** {@code try: false} among the entry's own lines (before the next operation key). */
    private static boolean skipped(List<String> lines, int start) {
        for (int i = start + 1; i < lines.size() && lines.get(i).startsWith("    "); i++) {
            if (lines.get(i).trim().equals("try: false")) {
                return true;
            }
        }
        return false;
    }

    /** One request per body example (named examples in order), or one without a body. */
    private static List<HttpRequest> requests(String gateway, String key, Call call) {
        String path = call.path();
        StringBuilder query = new StringBuilder();
        for (JsonNode parameter : call.operation().path("parameters")) {
            JsonNode example = parameter.path("example");
            if (example.isMissingNode() || example.isNull()) {
                continue;
            }
            String name = parameter.path("name").asString();
            String value = example.isValueNode() ? example.asString() : example.toString();
            if (parameter.path("in").asString().equals("path")) {
                path = path.replace("{" + name + "}", encodePath(value));
            } else if (parameter.path("in").asString().equals("query")) {
                query.append(query.isEmpty() ? "?" : "&")
                        .append(name)
                        .append('=')
                        .append(encode(value));
            }
        }
        URI uri = URI.create(gateway + path + query);
        JsonNode content = call.operation().path("requestBody").path("content");
        if (content.has("application/json")) {
            return jsonBodies(call).stream()
                    .map(body -> request(uri, key)
                            .header("Content-Type", "application/json")
                            .method(call.method(), HttpRequest.BodyPublishers.ofString(body))
                            .build())
                    .toList();
        }
        if (content.has("application/octet-stream")) {
            return List.of(request(uri, key)
                    .header("Content-Type", "application/octet-stream")
                    .method(call.method(), HttpRequest.BodyPublishers.ofString("tried from Swagger UI\n"))
                    .build());
        }
        return List.of(request(uri, key)
                .method(call.method(), HttpRequest.BodyPublishers.noBody())
                .build());
    }

    /** The JSON bodies an operation is tried with: its example, or each named example in order. */
    static List<String> jsonBodies(Call call) {
        JsonNode json = call.operation().path("requestBody").path("content").path("application/json");
        List<String> bodies = new ArrayList<>();
        if (json.has("example")) {
            bodies.add(json.path("example").toString());
        }
        for (JsonNode named : json.path("examples")) {
            bodies.add(named.path("value").toString());
        }
        if (bodies.isEmpty()) {
            throw new IllegalStateException(call.method() + " " + call.path() + " has a JSON body but no example");
        }
        return bodies;
    }

    private static HttpRequest.Builder request(URI uri, String key) {
        return HttpRequest.newBuilder(uri).header("Authorization", "Bearer " + key);
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }

    /** Path examples keep their slashes (an artifact's object name), each segment encoded. */
    private static String encodePath(String value) {
        List<String> segments = new ArrayList<>();
        for (String segment : value.split("/", -1)) {
            segments.add(encode(segment));
        }
        return String.join("/", segments);
    }
}
