package io.deltaplane.gateway.console;

import io.deltaplane.gateway.routing.Backend;
import io.deltaplane.gateway.routing.BackendProperties;
import io.deltaplane.support.security.ApiKey;
import io.deltaplane.support.security.ApiKeyRequests;
import io.deltaplane.support.security.Credential;
import io.deltaplane.support.security.Scope;
import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.springframework.http.HttpHeaders;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * What the console needs beyond the services' own APIs (read scope, like every GET): who the key
 * is, and the platform's health and figures rolled up from each part's actuator. The figures are
 * read from the services' Prometheus endpoints with the caller's own key, so the console sees no
 * more than that key could read directly; Prometheus itself stays behind a key.
 */
@RestController
@RequestMapping("/api/v1/console")
public class ConsoleApiController {

    static final Duration TIMEOUT = Duration.ofSeconds(3);

    private final BackendProperties backends;
    private final Clock clock;
    private final HttpClient http;

    public ConsoleApiController(BackendProperties backends, Clock clock) {
        this.backends = backends;
        this.clock = clock;
        this.http = HttpClient.newBuilder().connectTimeout(TIMEOUT).build();
    }

    /** The calling key as the console shows it: name, prefix and scope (never the secret). */
    public record Session(String id, String name, String prefix, String scope) {}

    @GetMapping("/session")
    public Session session(HttpServletRequest request) {
        Credential credential = ApiKeyRequests.credential(request).orElseThrow();
        if (credential instanceof ApiKey key) {
            return new Session(key.id(), key.name(), key.prefix(), key.scope().wireName());
        }
        // A single sign-on token: its issuer and subject stand for the key, its principal for the name.
        return new Session(
                credential.callerId(),
                credential.principal(),
                "",
                ApiKeyRequests.currentScope().map(Scope::wireName).orElse("read"));
    }

    /** One part of the platform: its health, uptime and connection pool. */
    public record Part(
            String name,
            String status,
            String detail,
            Double uptimeSeconds,
            Double poolActive,
            Double poolIdle,
            Double poolPending,
            Double poolMax) {}

    /** The figures the console charts; counters are cumulative (the console takes rates). */
    public record Figures(
            Double commitsTotal,
            Map<String, Double> commitLatencyBuckets,
            Double publishLagSeconds,
            Double publishLagVersions,
            Double ingestRowsTotal,
            Double ingestDeadLettersTotal) {}

    public record Overview(String version, Instant sampledAt, List<Part> parts, Figures figures) {}

    @GetMapping("/overview")
    public Overview overview(HttpServletRequest request) {
        Map<String, CompletableFuture<Probe>> probes = new LinkedHashMap<>();
        for (var entry : backends.byName().entrySet()) {
            probes.put(entry.getKey(), probe(entry.getValue(), request));
        }
        List<Part> parts = new ArrayList<>();
        parts.add(new Part(
                "gateway",
                "UP",
                null,
                ManagementFactory.getRuntimeMXBean().getUptime() / 1000.0,
                null,
                null,
                null,
                null));
        Map<String, Probe> results = new LinkedHashMap<>();
        probes.forEach((name, future) -> results.put(name, future.join()));
        results.forEach((name, probe) -> parts.add(probe.part(name)));
        Probe metadata = results.get(BackendProperties.METADATA);
        parts.add(new Part(
                "postgres",
                metadata.readiness(),
                "metadata-service readiness (includes its database)",
                null,
                null,
                null,
                null,
                null));
        PrometheusText m = metadata.metrics();
        PrometheusText ingest = results.get(BackendProperties.INGEST).metrics();
        Figures figures = new Figures(
                m == null ? null : m.sum("deltaplane_metadata_commits_total"),
                m == null ? Map.of() : m.buckets("deltaplane_metadata_commit_latency_seconds"),
                m == null ? null : m.max("deltaplane_publish_lag_seconds"),
                m == null ? null : m.max("deltaplane_publish_lag_versions_max"),
                ingest == null ? null : ingest.sum("deltaplane_ingest_rows_total"),
                ingest == null ? null : ingest.sum("deltaplane_ingest_dead_letters_total"));
        String version = ConsoleApiController.class.getPackage().getImplementationVersion();
        return new Overview(version == null ? "dev" : version, clock.instant(), parts, figures);
    }

    private record Probe(String health, String readiness, String error, PrometheusText metrics) {
        Part part(String name) {
            return new Part(
                    name,
                    health,
                    error,
                    metrics == null ? null : metrics.max("process_uptime_seconds"),
                    metrics == null ? null : metrics.sum("hikaricp_connections_active"),
                    metrics == null ? null : metrics.sum("hikaricp_connections_idle"),
                    metrics == null ? null : metrics.sum("hikaricp_connections_pending"),
                    metrics == null ? null : metrics.sum("hikaricp_connections_max"));
        }
    }

    private CompletableFuture<Probe> probe(Backend backend, HttpServletRequest request) {
        String authorization = request.getHeader(HttpHeaders.AUTHORIZATION);
        String apiKey = request.getHeader(ApiKeyRequests.API_KEY_HEADER);
        return CompletableFuture.supplyAsync(() -> {
            String health = status(get(backend, "/actuator/health", null, null));
            String readiness = status(get(backend, "/actuator/health/readiness", null, null));
            HttpResponse<String> prometheus = get(backend, "/actuator/prometheus", authorization, apiKey);
            PrometheusText metrics = prometheus != null && prometheus.statusCode() == 200
                    ? PrometheusText.parse(prometheus.body())
                    : null;
            String error = health.equals("UNREACHABLE") ? "no answer from " + backend.origin() : null;
            return new Probe(health, readiness, error, metrics);
        });
    }

    private static String status(HttpResponse<String> response) {
        if (response == null) {
            return "UNREACHABLE";
        }
        // {"status":"UP"} — details are never shown by the services.
        String body = response.body();
        int at = body.indexOf("\"status\"");
        if (at < 0) {
            return response.statusCode() == 200 ? "UP" : "DOWN";
        }
        int start = body.indexOf('"', body.indexOf(':', at)) + 1;
        return body.substring(start, body.indexOf('"', start));
    }

    private HttpResponse<String> get(Backend backend, String path, String authorization, String apiKey) {
        HttpRequest.Builder request =
                HttpRequest.newBuilder(URI.create(backend.origin() + path)).timeout(TIMEOUT);
        if (authorization != null) {
            request.header(HttpHeaders.AUTHORIZATION, authorization);
        }
        if (apiKey != null) {
            request.header(ApiKeyRequests.API_KEY_HEADER, apiKey);
        }
        try {
            return http.send(request.GET().build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }
}
