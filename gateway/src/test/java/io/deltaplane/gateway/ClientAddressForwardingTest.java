package io.deltaplane.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;

/**
 * The service learns the client's address from the gateway (it writes it into the audit trail),
 * and a client cannot choose it: the gateway trusts no proxy here, so a forged header is replaced.
 */
class ClientAddressForwardingTest extends GatewayTestBase {

    @Test
    void theServiceIsToldTheAddressTheGatewaySawNotOneTheClientSent() {
        HttpResponse<String> response = admin.get("/api/v1/catalogs", "X-Forwarded-For", "203.0.113.7");
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(METADATA.last().headers().get("x-forwarded-for")).containsExactly("127.0.0.1");
    }

    @Test
    void everyBackendIsTold() {
        admin.get("/api/v1/jobs");
        admin.get("/api/v1/ingest/mappings");
        assertThat(LINEAGE.last().header("X-Forwarded-For")).isEqualTo("127.0.0.1");
        assertThat(INGEST.last().header("X-Forwarded-For")).isEqualTo("127.0.0.1");
    }
}
