package io.deltaplane.ingest;

import io.deltaplane.testing.OpenApiContract;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * The running service's OpenAPI document is the committed contract {@code
 * platform-api/openapi/ingest.json}. Refresh it after an intended API change with {@code ./mvnw -pl
 * ingest-worker -am verify -Dtest=OpenApiContractTest -Dsurefire.failIfNoSpecifiedTests=false -Dopenapi.update=true} and commit it.
 */
class OpenApiContractTest extends IngestSpringTest {

    @LocalServerPort
    int port;

    @Test
    void documentMatchesTheCommittedContract() {
        OpenApiContract.verify(port, "ingest", "ingest-worker");
    }
}
