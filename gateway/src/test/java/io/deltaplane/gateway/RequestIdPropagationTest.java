package io.deltaplane.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;

/** One request id from the client (or the gateway) through the service and back. */
class RequestIdPropagationTest extends GatewayTestBase {

    @Test
    void clientRequestIdReachesTheServiceAndComesBackOnce() {
        HttpResponse<String> response = admin.get("/api/v1/catalogs", "X-Request-Id", "pipeline-run-42.step-3");
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(METADATA.last().header("X-Request-Id")).isEqualTo("pipeline-run-42.step-3");
        assertThat(response.headers().allValues("X-Request-Id")).containsExactly("pipeline-run-42.step-3");
    }

    @Test
    void gatewayGeneratesAnIdWhenTheClientSendsNone() {
        HttpResponse<String> response = admin.post("/api/v1/events/broadcast", "{\"event_type\":\"x\",\"data\":{}}");
        String id = response.headers().firstValue("X-Request-Id").orElseThrow();
        assertThat(id).isNotBlank();
        assertThat(LINEAGE.last().header("X-Request-Id")).isEqualTo(id);
        assertThat(response.headers().allValues("X-Request-Id")).containsExactly(id);
    }

    @Test
    void anUnsafeIdIsReplacedNotForwarded() {
        HttpResponse<String> response = admin.get("/api/v1/ingest/mappings", "X-Request-Id", "bad id with spaces");
        String id = response.headers().firstValue("X-Request-Id").orElseThrow();
        assertThat(id).isNotEqualTo("bad id with spaces");
        assertThat(INGEST.last().header("X-Request-Id")).isEqualTo(id);
    }

    @Test
    void edgeRejectionsCarryTheClientsId() {
        HttpResponse<String> response = admin.withKey(null).get("/api/v1/catalogs", "X-Request-Id", "no-key-call-1");
        assertThat(assertProblem(response, 401, "UNAUTHENTICATED")
                        .path("request_id")
                        .asString())
                .isEqualTo("no-key-call-1");
    }
}
