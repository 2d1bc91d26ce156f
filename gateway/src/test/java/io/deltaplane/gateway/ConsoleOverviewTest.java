package io.deltaplane.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import io.deltaplane.gateway.RecordingBackend.Reply;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * The console's overview rolls each service's actuator up through the gateway: health without a
 * key, figures from its Prometheus endpoint with the caller's own key (never the gateway's).
 */
class ConsoleOverviewTest extends GatewayTestBase {

    static final String METADATA_PROMETHEUS = """
            # HELP deltaplane_metadata_commits_total commits
            # TYPE deltaplane_metadata_commits_total counter
            deltaplane_metadata_commits_total{application="metadata-service",outcome="committed"} 40.0
            deltaplane_metadata_commits_total{application="metadata-service",outcome="conflict"} 2.0
            deltaplane_metadata_commit_latency_seconds_bucket{application="metadata-service",le="0.001"} 10
            deltaplane_metadata_commit_latency_seconds_bucket{application="metadata-service",le="0.01"} 40
            deltaplane_metadata_commit_latency_seconds_bucket{application="metadata-service",le="+Inf"} 42
            deltaplane_publish_lag_seconds{application="metadata-service",table="a"} 1.5
            deltaplane_publish_lag_seconds{application="metadata-service",table="b"} 4.25
            hikaricp_connections_active{application="metadata-service",pool="HikariPool-1"} 3.0
            hikaricp_connections_idle{application="metadata-service",pool="HikariPool-1"} 7.0
            hikaricp_connections_pending{application="metadata-service",pool="HikariPool-1"} 1.0
            hikaricp_connections_max{application="metadata-service",pool="HikariPool-1"} 10.0
            process_uptime_seconds{application="metadata-service"} 123.5
            """;

    @Test
    void healthAndFiguresAreRolledUpWithTheCallersKey() {
        METADATA.respondWith(r -> switch (r.path()) {
            case "/actuator/health", "/actuator/health/readiness" -> Reply.json(200, "{\"status\":\"UP\"}");
            case "/actuator/prometheus" -> new Reply(200, "text/plain", METADATA_PROMETHEUS, Map.of());
            default -> Reply.json(404, "{}");
        });
        LINEAGE.respondWith(r -> Reply.json(503, "{\"status\":\"DOWN\"}"));
        INGEST.respondWith(r -> r.path().equals("/actuator/prometheus")
                ? new Reply(200, "text/plain", "deltaplane_ingest_rows_total{mapping=\"m\"} 20.0\n", Map.of())
                : Reply.json(200, "{\"status\":\"UP\"}"));

        JsonNode overview = json(admin.get("/api/v1/console/overview"));

        Map<String, JsonNode> parts = new java.util.HashMap<>();
        overview.path("parts").forEach(p -> parts.put(p.path("name").asString(), p));
        assertThat(parts.keySet()).contains("gateway", "metadata", "lineage", "ingest", "postgres");
        assertThat(parts.get("metadata").path("status").asString()).isEqualTo("UP");
        assertThat(parts.get("lineage").path("status").asString()).isEqualTo("DOWN");
        assertThat(parts.get("postgres").path("status").asString()).isEqualTo("UP");
        assertThat(parts.get("metadata").path("uptime_seconds").asDouble()).isEqualTo(123.5);
        assertThat(parts.get("metadata").path("pool_active").asDouble()).isEqualTo(3.0);
        assertThat(parts.get("metadata").path("pool_pending").asDouble()).isEqualTo(1.0);
        JsonNode figures = overview.path("figures");
        assertThat(figures.path("commits_total").asDouble()).isEqualTo(42.0);
        assertThat(figures.path("publish_lag_seconds").asDouble()).isEqualTo(4.25);
        assertThat(figures.path("commit_latency_buckets").path("+Inf").asDouble())
                .isEqualTo(42.0);
        assertThat(figures.path("ingest_rows_total").asDouble()).isEqualTo(20.0);

        RecordingBackend.Received prometheus = METADATA.received().stream()
                .filter(r -> r.path().equals("/actuator/prometheus"))
                .findFirst()
                .orElseThrow();
        assertThat(prometheus.header("Authorization")).isEqualTo("Bearer " + ADMIN_KEY);
        RecordingBackend.Received health = METADATA.received().stream()
                .filter(r -> r.path().equals("/actuator/health"))
                .findFirst()
                .orElseThrow();
        assertThat(health.header("Authorization")).isNull();
    }

    @Test
    void aServiceWithoutMetricsStillShowsItsHealth() {
        METADATA.respondWith(r -> Reply.json(200, "{\"status\":\"UP\"}"));
        LINEAGE.respondWith(r -> Reply.json(200, "{\"status\":\"UP\"}"));
        INGEST.respondWith(r -> Reply.json(200, "{\"status\":\"UP\"}"));
        JsonNode overview = json(admin.get("/api/v1/console/overview"));
        // Prometheus answered JSON, not text: no figures, but the health is still there.
        assertThat(overview.path("parts").toString()).contains("\"name\":\"lineage\",\"status\":\"UP\"");
        JsonNode commits = overview.path("figures").path("commits_total");
        assertThat(commits.isNull() || commits.isMissingNode())
                .as(overview.toString())
                .isTrue();
    }
}
