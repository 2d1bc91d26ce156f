package io.deltaplane.metadata;

import io.deltaplane.testing.OpenApiContract;
import org.junit.jupiter.api.Test;

/**
 * The running service's OpenAPI document is the committed contract {@code
 * platform-api/openapi/metadata.json}. Refresh it after an intended API change with {@code ./mvnw
 * -pl metadata-service -am verify -Dtest=OpenApiContractTest -Dsurefire.failIfNoSpecifiedTests=false -Dopenapi.update=true} and commit it.
 */
class OpenApiContractTest extends MetadataTestBase {

    @Test
    void documentMatchesTheCommittedContract() {
        OpenApiContract.verify(port, "metadata", "metadata-service");
    }
}
