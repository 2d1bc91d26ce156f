package io.deltaplane.lineage;

import io.deltaplane.testing.OpenApiContract;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * The running service's OpenAPI document is the committed contract {@code
 * platform-api/openapi/lineage.json}. Refresh it after an intended API change with {@code ./mvnw
 * -pl lineage-service -am verify -Dtest=OpenApiContractTest -Dsurefire.failIfNoSpecifiedTests=false -Dopenapi.update=true} and commit it.
 */
@LineageServiceTest
class OpenApiContractTest {

    @LocalServerPort
    int port;

    @Test
    void documentMatchesTheCommittedContract() {
        OpenApiContract.verify(port, "lineage", "lineage-service");
    }
}
