package io.deltaplane.docs;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * Sends every operation of the three committed OpenAPI documents the inputs a hostile or careless
 * client would — broken JSON, a body of the wrong shape, a NUL in every string, numbers written as
 * text, timestamps beyond what Postgres stores, parameters of the wrong type, forged page tokens —
 * through the gateway, and lists every answer that is not a 4xx problem+json with a request id.
 * Driven by the documents, so a new endpoint is probed without anyone editing this.
 */
final class HostileInputs {

    private static final JsonMapper JSON = new JsonMapper();
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    static final String FAR_FUTURE = "+1000000000-12-31T00:00:00Z";

    record Attempt(String what, String method, String path, String contentType, String body) {}

    private HostileInputs() {}

    /** The committed documents probed: the three services' and the gateway's own operations. */
    static final List<String> DOCUMENTS = List.of("metadata", "lineage", "ingest", "gateway");

    /**
     * Everything the probe will send, made from the documents before anything is sent; {@code
     * unresolved} lists body schemas whose {@code $ref} names no schema of their document (their
     * wrong-type mutations could not be made, so a test must fail on them).
     */
    record Plan(List<Attempt> attempts, List<String> unresolved) {
        long count(String whatSuffix) {
            return attempts.stream().filter(a -> a.what().endsWith(whatSuffix)).count();
        }
    }

    /** What was sent and what came back wrong. */
    record Outcome(int sent, List<String> failures) {}

    static Plan plan(Path checkout) throws IOException {
        List<Attempt> attempts = new ArrayList<>();
        List<String> unresolved = new ArrayList<>();
        for (String document : DOCUMENTS) {
            JsonNode doc = JSON.readTree(checkout.resolve("platform-api/openapi/" + document + ".json")
                    .toFile());
            JsonNode schemas = doc.path("components").path("schemas");
            for (var path : doc.path("paths").properties()) {
                for (var op : path.getValue().properties()) {
                    attempts.addAll(
                            attempts(op.getKey().toUpperCase(), path.getKey(), op.getValue(), schemas, unresolved));
                }
            }
        }
        return new Plan(List.copyOf(attempts), List.copyOf(unresolved));
    }

    /** Sends every attempt of the plan through the gateway, one after another. */
    static Outcome send(Plan plan, String gateway, String key) throws IOException, InterruptedException {
        HttpClient http = HttpClient.newHttpClient();
        List<String> failures = new ArrayList<>();
        int sent = 0;
        for (Attempt attempt : plan.attempts()) {
            HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(gateway + attempt.path()))
                    .header("Authorization", "Bearer " + key);
            if (attempt.body() != null) {
                request.header("Content-Type", attempt.contentType())
                        .method(attempt.method(), HttpRequest.BodyPublishers.ofString(attempt.body()));
            } else {
                request.method(attempt.method(), HttpRequest.BodyPublishers.noBody());
            }
            HttpResponse<String> answer = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
            sent++;
            String problem = problemOf(answer);
            if (problem != null) {
                failures.add(attempt.method() + " " + attempt.path() + " [" + attempt.what() + "] -> "
                        + answer.statusCode() + " " + problem + ": " + abbreviate(answer.body()));
            }
        }
        return new Outcome(sent, failures);
    }

    /** Why an answer is wrong, or null when it is a 4xx problem+json with a request id. */
    private static String problemOf(HttpResponse<String> answer) {
        int status = answer.statusCode();
        if (status < 400 || status >= 500) {
            return "not a 4xx";
        }
        String type = answer.headers().firstValue("Content-Type").orElse("");
        if (answer.uri().getPath().startsWith("/api/2.1/unity-catalog/")) {
            // Unity Catalog's surface answers in UC's error shapes (docs/engines.md), not problem+json.
            if (!type.startsWith("application/json")) {
                return "not Unity Catalog's JSON error (" + type + ")";
            }
            if (!answer.body().contains("\"error_code\"")) {
                return "no error_code";
            }
        } else if (!type.startsWith("application/problem+json")) {
            return "not problem+json (" + type + ")";
        }
        if (!answer.body().contains("\"request_id\"")) {
            return "no request_id";
        }
        return null;
    }

    private static List<Attempt> attempts(
            String method, String template, JsonNode operation, JsonNode schemas, List<String> unresolved) {
        Map<String, JsonNode> examples = new LinkedHashMap<>();
        for (JsonNode parameter : operation.path("parameters")) {
            examples.put(parameter.path("name").asString(), parameter);
        }
        String path = fill(template, examples);
        List<Attempt> attempts = new ArrayList<>();
        // Parameters of the wrong type or range, one at a time, on an otherwise valid call.
        for (JsonNode parameter : operation.path("parameters")) {
            if (!parameter.path("in").asString().equals("query")) {
                continue;
            }
            String name = parameter.path("name").asString();
            String type = parameter.path("schema").path("type").asString("string");
            List<String> values = switch (type) {
                case "integer", "number" -> List.of("abc", "-99999999999999999999", "1.5");
                case "boolean" -> List.of("yes", "1");
                default ->
                    name.equals("page_token")
                            // Unity Catalog's own tokens are names, which its lists take: a forged one
                            // there is no name either
                            ? List.of(
                                    path.startsWith("/api/2.1/unity-catalog/") ? "forged token!" : "forged", "YQ.AAAA")
                            : name.contains("time") || name.equals("as_of")
                                    ? List.of(FAR_FUTURE, "yesterday")
                                    : List.of();
            };
            for (String value : values) {
                String url = path + (path.contains("?") ? "&" : "?") + name + "="
                        + URLEncoder.encode(value, StandardCharsets.UTF_8);
                attempts.add(new Attempt(name + "=" + value, method, url, null, null));
            }
        }
        JsonNode json = operation.path("requestBody").path("content").path("application/json");
        if (!json.isMissingNode()) {
            JsonNode example = json.path("example");
            attempts.add(new Attempt("broken JSON", method, path, "application/json", "{\"a\": "));
            attempts.add(new Attempt("wrong shape", method, path, "application/json", "[1, 2, 3]"));
            if (operation.path("requestBody").path("required").asBoolean(false)) {
                attempts.add(new Attempt("no body", method, path, "application/json", ""));
            }
            if (example.isObject()) {
                attempts.add(new Attempt(
                        "NUL in every string",
                        method,
                        path,
                        "application/json",
                        mutate(example, Mutation.NUL).toString()));
                // Wrong types only where the contract types the field: free-form JSON takes anything.
                String ref = json.path("schema").path("$ref").asString("");
                if (!ref.isEmpty()
                        && schemas.path(ref.substring(ref.lastIndexOf('/') + 1)).isMissingNode()) {
                    unresolved.add(method + " " + template + ": " + ref);
                }
                JsonNode properties = properties(json.path("schema"), schemas);
                for (var field : ((ObjectNode) example).properties()) {
                    JsonNode declared = properties.path(field.getKey());
                    String type = declared.path("type").asString("");
                    String wrong = null;
                    if ((type.equals("integer") || type.equals("number"))
                            && field.getValue().isNumber()) {
                        wrong = "\"" + field.getValue().asString() + "\"";
                    } else if (type.equals("string")
                            && field.getValue().isString()
                            && !declared.path("format").asString("").startsWith("date")) {
                        wrong = "42";
                    } else if (type.equals("boolean")) {
                        wrong = "\"true\"";
                    }
                    if (wrong != null) {
                        ObjectNode body = ((ObjectNode) example).deepCopy();
                        body.set(field.getKey(), JSON.readTree(wrong));
                        attempts.add(new Attempt(
                                field.getKey() + " of the wrong type",
                                method,
                                path,
                                "application/json",
                                body.toString()));
                    }
                }
            }
        }
        return attempts;
    }

    private enum Mutation {
        NUL
    }

    /**
     * The declared properties of a body schema (following one {@code $ref} into the document's
     * schemas); missing when the schema declares none or its reference names nothing.
     */
    private static JsonNode properties(JsonNode schema, JsonNode schemas) {
        String ref = schema.path("$ref").asString("");
        JsonNode resolved = ref.isEmpty() ? schema : schemas.path(ref.substring(ref.lastIndexOf('/') + 1));
        return resolved.path("properties");
    }

    private static JsonNode mutate(JsonNode node, Mutation mutation) {
        if (node instanceof ObjectNode object) {
            ObjectNode copy = NODES.objectNode();
            for (var field : object.properties()) {
                copy.set(field.getKey(), mutate(field.getValue(), mutation));
            }
            return copy;
        }
        if (node instanceof ArrayNode array) {
            ArrayNode copy = NODES.arrayNode();
            array.forEach(element -> copy.add(mutate(element, mutation)));
            return copy;
        }
        return switch (mutation) {
            case NUL -> node.isString() ? NODES.stringNode(node.asString() + "\u0000") : node;
        };
    }

    private static String fill(String template, Map<String, JsonNode> parameters) {
        String path = template;
        for (var entry : parameters.entrySet()) {
            JsonNode parameter = entry.getValue();
            if (parameter.path("in").asString().equals("path")) {
                String value = parameter.path("example").isMissingNode()
                        ? "hostile-probe"
                        : parameter.path("example").asString();
                path = path.replace(
                        "{" + entry.getKey() + "}",
                        URLEncoder.encode(value, StandardCharsets.UTF_8).replace("%2F", "/"));
            }
        }
        return path;
    }

    private static String abbreviate(String body) {
        return body.length() > 200 ? body.substring(0, 200) + "…" : body;
    }
}
