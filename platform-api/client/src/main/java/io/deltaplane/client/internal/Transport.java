package io.deltaplane.client.internal;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JavaType;
import io.deltaplane.client.DeltaplaneConfig;
import io.deltaplane.client.DeltaplaneException;
import io.deltaplane.client.RateLimitedException;
import io.deltaplane.client.ServerException;
import io.deltaplane.client.TransientNetworkException;
import io.github.resilience4j.core.IntervalBiFunction;
import io.github.resilience4j.core.IntervalFunction;
import io.github.resilience4j.retry.Retry;
import io.github.resilience4j.retry.RetryConfig;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * HTTP for the ergonomic layer: API key, a request id per call (kept across its retries), an
 * {@code Idempotency-Key} on every POST (so POSTs can be retried safely), retries with exponential
 * backoff and jitter (Resilience4j) on network failures, 429 and 502/503/504, and errors mapped to
 * typed exceptions.
 */
public final class Transport {

    private static final Logger log = LoggerFactory.getLogger(Transport.class);
    private static final String USER_AGENT = "deltaplane-java-client/0.1";

    private final DeltaplaneConfig config;
    private final HttpClient http;
    private final Retry retry;

    public Transport(DeltaplaneConfig config) {
        this.config = Objects.requireNonNull(config, "config");
        this.http = HttpClient.newBuilder()
                .connectTimeout(config.connectTimeout())
                .version(HttpClient.Version.HTTP_1_1)
                .build();
        IntervalFunction backoff =
                IntervalFunction.ofExponentialRandomBackoff(Duration.ofMillis(200), 2.0, 0.5, Duration.ofSeconds(10));
        this.retry = Retry.of(
                "deltaplane-client",
                RetryConfig.custom()
                        .maxAttempts(config.maxAttempts())
                        .retryOnException(Transport::retryable)
                        .intervalBiFunction(
                                (IntervalBiFunction<Object>) (attempt, either) -> waitFor(attempt, either, backoff))
                        .build());
    }

    private static long waitFor(
            int attempt, io.github.resilience4j.core.functions.Either<Throwable, ?> either, IntervalFunction backoff) {
        long computed = backoff.apply(attempt);
        if (either != null && either.isLeft() && either.getLeft() instanceof RateLimitedException limited) {
            return Math.max(computed, Math.min(limited.retryAfter().toMillis(), 30_000));
        }
        return computed;
    }

    static boolean retryable(Throwable e) {
        if (e instanceof TransientNetworkException || e instanceof RateLimitedException) {
            return true;
        }
        return e instanceof ServerException s && (s.status() == 502 || s.status() == 503 || s.status() == 504);
    }

    public DeltaplaneConfig config() {
        return config;
    }

    /** GET and read the JSON answer as {@code type}. */
    public <T> T get(String path, Class<T> type) {
        return read(call("GET", path, null, null, false), Json.mapper().constructType(type));
    }

    public <T> T get(String path, TypeReference<T> type) {
        return read(call("GET", path, null, null, false), Json.mapper().constructType(type));
    }

    /** Sends {@code body} as JSON and reads the answer as {@code type} (null for no body). */
    public <T> T send(String method, String path, Object body, Class<T> type) {
        return send(method, path, body, type, true);
    }

    /**
     * As {@link #send(String, String, Object, Class)}; {@code idempotencyKey} false leaves the key off
     * a POST that is idempotent by nature (a heartbeat), so the server does not store its answer.
     */
    public <T> T send(String method, String path, Object body, Class<T> type, boolean idempotencyKey) {
        String answer = call(method, path, body == null ? null : json(body), null, idempotencyKey);
        return type == Void.class || answer == null || answer.isEmpty()
                ? null
                : read(answer, Json.mapper().constructType(type));
    }

    /** Streams a file as the request body (never loaded in memory). */
    public <T> T upload(String method, String path, Path file, String contentType, Class<T> type) {
        String answer = call(method, path, null, new FileBody(file, contentType), true);
        return read(answer, Json.mapper().constructType(type));
    }

    private record FileBody(Path file, String contentType) {}

    private String call(String method, String path, String json, FileBody file, boolean withIdempotencyKey) {
        String requestId = UUID.randomUUID().toString();
        String idempotencyKey =
                withIdempotencyKey && "POST".equals(method) ? UUID.randomUUID().toString() : null;
        Supplier<String> attempt = () -> attempt(method, path, json, file, requestId, idempotencyKey);
        return Retry.decorateSupplier(retry, attempt).get();
    }

    private String attempt(
            String method, String path, String json, FileBody file, String requestId, String idempotencyKey) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(config.url() + path))
                .timeout(config.timeout())
                .header("Authorization", "Bearer " + config.apiKey())
                .header("X-Request-Id", requestId)
                .header("User-Agent", USER_AGENT)
                .header("Accept", "application/json, application/problem+json");
        if (idempotencyKey != null) {
            request.header("Idempotency-Key", idempotencyKey);
        }
        try {
            if (file != null) {
                request.header("Content-Type", file.contentType())
                        .method(method, HttpRequest.BodyPublishers.ofFile(file.file()));
            } else if (json != null) {
                request.header("Content-Type", "application/json")
                        .method(method, HttpRequest.BodyPublishers.ofString(json));
            } else {
                request.method(method, HttpRequest.BodyPublishers.noBody());
            }
            HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() >= 400) {
                DeltaplaneException error = ErrorMapper.map(
                        response.statusCode(),
                        response.body(),
                        response.headers().firstValue("X-Request-Id").orElse(null),
                        requestId,
                        response.headers().firstValue("Retry-After").orElse(null));
                log.debug("{} {} failed: {}", method, path, error.getMessage());
                throw error;
            }
            return response.body();
        } catch (IOException e) {
            throw new TransientNetworkException(method + " " + path + " failed: " + e, requestId, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TransientNetworkException(method + " " + path + " interrupted", requestId, e);
        }
    }

    /** Downloads to a stream the caller must close (no retries: the body is consumed once). */
    public InputStream download(String path) {
        String requestId = UUID.randomUUID().toString();
        HttpRequest request = HttpRequest.newBuilder(URI.create(config.url() + path))
                .timeout(config.timeout())
                .header("Authorization", "Bearer " + config.apiKey())
                .header("X-Request-Id", requestId)
                .GET()
                .build();
        try {
            HttpResponse<InputStream> response = http.send(request, HttpResponse.BodyHandlers.ofInputStream());
            if (response.statusCode() >= 400) {
                String body;
                try (InputStream in = response.body()) {
                    body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
                }
                throw ErrorMapper.map(response.statusCode(), body, null, requestId, null);
            }
            return response.body();
        } catch (IOException e) {
            throw new TransientNetworkException("GET " + path + " failed: " + e, requestId, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TransientNetworkException("GET " + path + " interrupted", requestId, e);
        }
    }

    private static String json(Object body) {
        try {
            return Json.mapper().writeValueAsString(body);
        } catch (IOException e) {
            throw new IllegalArgumentException("Cannot serialize request body: " + e.getMessage(), e);
        }
    }

    private static <T> T read(String body, JavaType type) {
        try {
            return Json.mapper().readValue(body, type);
        } catch (IOException e) {
            throw new DeltaplaneException(
                    "Unreadable answer from the server: " + e.getMessage(), 0, null, null, null, e);
        }
    }

    /** A path segment, percent-encoded. */
    public static String segment(String value) {
        return URLEncoder.encode(Objects.requireNonNull(value, "path value"), StandardCharsets.UTF_8)
                .replace("+", "%20");
    }

    /** {@code ?a=1&b=2} from the non-null values (empty string when none). */
    public static String query(Map<String, ?> params) {
        StringBuilder q = new StringBuilder();
        new LinkedHashMap<>(params).forEach((k, v) -> {
            if (v != null) {
                q.append(q.length() == 0 ? '?' : '&').append(k).append('=').append(segment(v.toString()));
            }
        });
        return q.toString();
    }
}
