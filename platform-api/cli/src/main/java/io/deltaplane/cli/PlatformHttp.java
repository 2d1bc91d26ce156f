package io.deltaplane.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.MissingNode;
import io.deltaplane.client.DeltaplaneConfig;
import io.deltaplane.client.DeltaplaneException;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;

/**
 * Calls the gateway for what the committed contract ({@code platform-api/openapi}) does not
 * describe, so the generated clients cannot: the gateway's health ({@code /actuator/health}), Unity
 * Catalog's permissions API (UC's own contract), and a data file's upload, whose path keeps its
 * slashes. Same URL, key and timeouts as the client, and the same failure type: a non-2xx answer
 * becomes a {@link DeltaplaneException} carrying the problem's {@code error_code} and request id.
 */
final class PlatformHttp {

    private final DeltaplaneConfig config;
    private final ObjectMapper json;
    private final HttpClient http;

    PlatformHttp(DeltaplaneConfig config, ObjectMapper json) {
        this.config = config;
        this.json = json;
        this.http =
                HttpClient.newBuilder().connectTimeout(config.connectTimeout()).build();
    }

    JsonNode get(String pathAndQuery) {
        return send("GET", pathAndQuery, null, true);
    }

    /** A GET that needs no key (health): sent without one, so a wrong key cannot hide an outage. */
    JsonNode getOpen(String pathAndQuery) {
        return send("GET", pathAndQuery, null, false);
    }

    /** A PUT of a local file's bytes as {@code application/octet-stream}, streamed from disk. */
    JsonNode putFile(String pathAndQuery, java.nio.file.Path file) {
        try {
            return send("PUT", pathAndQuery, HttpRequest.BodyPublishers.ofFile(file), "application/octet-stream");
        } catch (java.io.FileNotFoundException e) {
            throw new DeltaplaneException("cannot read " + file, 0, null, null, null, e);
        }
    }

    JsonNode patch(String pathAndQuery, JsonNode body) {
        return send("PATCH", pathAndQuery, body, true);
    }

    private JsonNode send(String method, String pathAndQuery, HttpRequest.BodyPublisher body, String contentType) {
        return send(method, pathAndQuery, null, true, body, contentType);
    }

    private JsonNode send(String method, String pathAndQuery, JsonNode body, boolean authenticated) {
        return send(method, pathAndQuery, body, authenticated, null, null);
    }

    private JsonNode send(
            String method,
            String pathAndQuery,
            JsonNode body,
            boolean authenticated,
            HttpRequest.BodyPublisher raw,
            String rawType) {
        URI uri = config.url().resolve(pathAndQuery);
        HttpRequest.Builder request = HttpRequest.newBuilder(uri)
                .timeout(config.timeout())
                .header("Accept", "application/json")
                .header("User-Agent", "deltaplane-cli");
        if (authenticated) {
            request.header("Authorization", "Bearer " + config.credentials().bearer());
        }
        try {
            if (raw != null) {
                request.header("Content-Type", rawType).method(method, raw);
            } else if (body != null) {
                request.header("Content-Type", "application/json")
                        .method(method, HttpRequest.BodyPublishers.ofByteArray(json.writeValueAsBytes(body)));
            } else {
                request.method(method, HttpRequest.BodyPublishers.noBody());
            }
            HttpResponse<byte[]> response = http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
            JsonNode answer = response.body().length == 0 ? MissingNode.getInstance() : readOrText(response.body());
            if (response.statusCode() / 100 == 2) {
                return answer;
            }
            throw failure(
                    response.statusCode(),
                    answer,
                    response.headers().firstValue("X-Request-Id").orElse(null));
        } catch (IOException e) {
            throw new DeltaplaneException(
                    "Deltaplane is not reachable at " + config.url() + ": "
                            + e.getClass().getSimpleName(),
                    0,
                    null,
                    null,
                    null,
                    e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DeltaplaneException("interrupted", 0, null, null, null, e);
        }
    }

    private JsonNode readOrText(byte[] body) {
        try {
            return json.readTree(body);
        } catch (IOException e) {
            return json.getNodeFactory().textNode(new String(body, java.nio.charset.StandardCharsets.UTF_8));
        }
    }

    @SuppressWarnings("unchecked")
    private DeltaplaneException failure(int status, JsonNode problem, String requestId) {
        String detail = problem.path("detail").asText(problem.path("title").asText("HTTP " + status));
        String code = problem.path("error_code").asText(null);
        String id = problem.path("request_id").asText(requestId);
        Map<String, Object> document = problem.isObject() ? json.convertValue(problem, Map.class) : Map.of();
        return new DeltaplaneException(detail, status, code, id, document, null);
    }
}
