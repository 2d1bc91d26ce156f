package io.deltaplane.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Every path family of API.md's Gateway section reaches the right service, unchanged. */
class GatewayRoutingTest extends GatewayTestBase {

    /** The ingest backend's connection time-to-live in this context (the default is a minute). */
    static final Duration INGEST_CONNECTION_TTL = Duration.ofMillis(400);

    /**
     * A kept-alive connection to a backend is reused until its time-to-live, then replaced: a new
     * connection is what a Kubernetes Service can send to a replica the autoscaler added.
     */
    @Test
    void aConnectionToABackendIsReusedThenReplacedAfterItsTimeToLive() throws InterruptedException {
        for (int i = 0; i < 3; i++) {
            assertThat(admin.get("/api/v1/ingest/mappings").statusCode()).isEqualTo(200);
        }
        List<Integer> reused = INGEST.clientPorts();
        assertThat(reused).hasSize(3);
        assertThat(Set.copyOf(reused)).as("one kept-alive connection").hasSize(1);

        Thread.sleep(INGEST_CONNECTION_TTL.multipliedBy(2).toMillis()); // the time-to-live is wall time
        assertThat(admin.get("/api/v1/ingest/mappings").statusCode()).isEqualTo(200);
        assertThat(INGEST.clientPorts()).hasSize(4);
        assertThat(INGEST.clientPorts().get(3)).as("a new connection").isNotEqualTo(reused.get(0));
    }

    @ParameterizedTest(name = "{0} {1} -> {2}")
    @CsvSource({
        "GET,  /api/v1/catalogs,                                  metadata",
        "GET,  /api/v1/catalogs/main,                             metadata",
        "POST, /api/v1/schemas,                                   metadata",
        "GET,  /api/v1/schemas/main.sales,                        metadata",
        "GET,  /api/v1/tables?catalog_name=main&schema_name=s,    metadata",
        "GET,  /api/v1/tables/main.sales.orders,                  metadata",
        "POST, /api/v1/tables/main.sales.orders/commits,          metadata",
        "GET,  /api/v1/tables/main.sales.orders/snapshot,         metadata",
        "GET,  /api/v1/tables/main.sales.orders/snapshot/files,   metadata",
        "POST, /api/v1/transactions,                              metadata",
        "GET,  /api/v1/incidents?status=OPEN,                     metadata",
        "POST, /api/v1/health/webhooks,                           metadata",
        "GET,  /api/v1/tables/main.sales.orders/health,           metadata",
        "GET,  /api/v1/tables/sales_raw/snapshots/latest,         lineage",
        "GET,  /api/v1/tables/main.sales.orders/snapshots,        lineage",
        "POST, /api/v1/jobs/daily_etl/runs,                       lineage",
        "PUT,  /api/v1/jobs/daily_etl/runs/r1/complete,           lineage",
        "POST, /api/v1/jobs/register-snapshot,                    lineage",
        "GET,  /api/v1/jobs,                                      lineage",
        "GET,  /api/v1/runs/r1,                                   lineage",
        "GET,  /api/v1/runs?state=FAILED&job=daily,               lineage",
        "POST, /api/v1/events/broadcast,                          lineage",
        "PUT,  /api/v1/datasets/bucket/some/object.log,           lineage",
        "GET,  /api/v1/lineage?node=table:sales&depth=2,          lineage",
        "POST, /api/v1/lineage,                                   lineage",
        "POST, /api/v1/snapshots/batch,                           lineage",
        "GET,  /api/v1/ingest/mappings,                           ingest",
        "POST, /api/v1/ingest/mappings/orders/pause,              ingest",
        "GET,  /api/v1/ingest/mappings/orders/status,             ingest",
        "POST, /api/v1/ingest/validate,                           ingest",
    })
    void routesEachPathFamilyToItsService(String method, String pathAndQuery, String service) {
        String body = "GET".equals(method) ? null : "{\"probe\":\"" + pathAndQuery + "\"}";
        HttpResponse<String> response = admin.send(method, pathAndQuery, body);

        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        assertThat(json(response).path("backend").asString()).isEqualTo(service);

        RecordingBackend target = backend(service);
        assertThat(target.received()).hasSize(1);
        RecordingBackend.Received received = target.last();
        assertThat(received.method()).isEqualTo(method);
        String[] parts = pathAndQuery.split("\\?", 2);
        assertThat(received.path()).isEqualTo(parts[0]);
        if (parts.length > 1) {
            assertThat(decoded(received.query())).isEqualTo(parts[1]);
        }
        if (body != null) {
            assertThat(received.smallBody()).isEqualTo(body);
            assertThat(received.header("Content-Type")).startsWith("application/json");
        }
        // the key travels on: each service authenticates the caller again
        assertThat(received.header("Authorization")).isEqualTo("Bearer " + ADMIN_KEY);
        for (RecordingBackend other : List.of(METADATA, LINEAGE, INGEST)) {
            if (other != target) {
                assertThat(other.received()).isEmpty();
            }
        }
    }

    @Test
    void backendStatusHeadersAndProblemBodiesPassThrough() {
        METADATA.respondWith(r -> new RecordingBackend.Reply(
                409,
                "application/problem+json",
                "{\"status\":409,\"error_code\":\"VERSION_CONFLICT\",\"current_version\":7}",
                java.util.Map.of("X-Custom", "kept")));
        HttpResponse<String> response =
                admin.post("/api/v1/tables/main.s.t/commits", "{\"expected_version\":3,\"actions\":[]}");
        assertThat(response.statusCode()).isEqualTo(409);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        assertThat(response.headers().firstValue("X-Custom")).hasValue("kept");
        assertThat(json(response).path("current_version").asInt()).isEqualTo(7);
    }

    @Test
    void idempotencyKeysAreLeftToTheServices() {
        for (int i = 0; i < 2; i++) {
            assertThat(admin.post("/api/v1/jobs/j/runs", "{}", "Idempotency-Key", "run-once-1")
                            .statusCode())
                    .isEqualTo(200);
        }
        assertThat(LINEAGE.received()).hasSize(2);
        assertThat(LINEAGE.received())
                .allSatisfy(r -> assertThat(r.header("Idempotency-Key")).isEqualTo("run-once-1"));
    }

    @Test
    void aBodyReachesTheServiceWithItsLengthNotChunked() {
        String body = "{\"expected_version\":0,\"actions\":[]}";
        admin.post("/api/v1/tables/c.s.t/commits", body);
        RecordingBackend.Received received = METADATA.last();
        assertThat(received.header("Content-Length")).isEqualTo(Integer.toString(body.length()));
        assertThat(received.header("Transfer-Encoding")).isNull();
        assertThat(received.bodyBytes()).isEqualTo(body.length());
    }

    @Test
    void unknownApiPathIsAProblemFromTheGatewayItself() {
        assertProblem(admin.get("/api/v1/no-such-family/x"), 404, "NOT_FOUND");
        assertThat(METADATA.received()).isEmpty();
        assertThat(LINEAGE.received()).isEmpty();
        assertThat(INGEST.received()).isEmpty();
    }

    @Test
    void encodedPathsAndRepeatedQueryParametersAreForwardedAsSent() {
        admin.get("/api/v1/lineage?node=table:a%20b&direction=both&direction=upstream");
        // the proxy may re-encode (':' as %3A); what the service decodes is identical
        assertThat(decoded(LINEAGE.last().query())).isEqualTo("node=table:a b&direction=both&direction=upstream");
        admin.get("/api/v1/catalogs/we%2Bird");
        assertThat(METADATA.last().path()).isEqualTo("/api/v1/catalogs/we%2Bird");
    }

    private static String decoded(String query) {
        return java.net.URLDecoder.decode(query, java.nio.charset.StandardCharsets.UTF_8);
    }

    private static RecordingBackend backend(String name) {
        return switch (name) {
            case "metadata" -> METADATA;
            case "lineage" -> LINEAGE;
            case "ingest" -> INGEST;
            default -> throw new IllegalArgumentException(name);
        };
    }
}
