package io.deltaplane.gateway;

import io.deltaplane.testing.OpenApiContract;
import org.junit.jupiter.api.Test;

/**
 * The gateway's own OpenAPI document (API keys, the console's session and overview) is the
 * committed contract {@code platform-api/openapi/gateway.json}. Refresh it after an intended change
 * with {@code ./mvnw -pl gateway -am verify -Dtest=OpenApiContractTest
 * -Dsurefire.failIfNoSpecifiedTests=false -Dopenapi.update=true} and commit it.
 */
class OpenApiContractTest extends GatewayTestBase {

    @Test
    void documentMatchesTheCommittedContract() {
        OpenApiContract.verify(port, "/v3/api-docs/gateway", "gateway", "gateway");
    }
}
