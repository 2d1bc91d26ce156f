package io.deltaplane.lineage;

import com.azure.storage.blob.BlobContainerClient;
import com.azure.storage.blob.BlobServiceClientBuilder;
import io.deltaplane.testing.AzuriteServer;
import io.deltaplane.testing.FaultyConnections;
import org.junit.jupiter.api.AfterEach;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.context.TestPropertySource;

/**
 * Artifacts on Azure Blob Storage ({@code DELTAPLANE_ARTIFACTS_URI=az://lake/artifacts}; Azurite, a
 * real Blob protocol server, as a child process), reached through {@link FaultyConnections} that
 * pass bytes untouched until a test arms a fault, and configured only by the connection string an
 * operator's secret would hold. The Azure twin of {@link ArtifactsOnS3TestBase}: one Spring context
 * for every class extending this; {@link #container} reaches the blobs directly, past the link.
 * Azurite lives as long as the test JVM (the cached context may serve a later class).
 */
@LineageServiceTest
@TestPropertySource(properties = "deltaplane.artifacts.uri=az://lake/artifacts")
abstract class ArtifactsOnAzureTestBase extends ArtifactsOverHttp {

    static FaultyConnections link;
    static BlobContainerClient container;

    @DynamicPropertySource
    static void azure(DynamicPropertyRegistry registry) throws Exception {
        AzuriteServer azurite = AzuriteServer.start(); // before the Spring context, which needs its address
        Runtime.getRuntime().addShutdownHook(new Thread(azurite::close, "azurite-stop"));
        link = FaultyConnections.inFrontOf(azurite.port());
        container = new BlobServiceClientBuilder()
                .connectionString(azurite.connectionString())
                .buildClient()
                .createBlobContainer("lake");
        registry.add("AZURE_STORAGE_CONNECTION_STRING", () -> AzuriteServer.connectionString(link.port()));
        // A stalled store fails a try in seconds, not the 30 s default (1 s cut healthy reads short in CI).
        registry.add("DELTAPLANE_STORAGE_TIMEOUT", () -> "3s");
        // The SDK's four tries, 100, 300 and 700 ms apart instead of its own 4, 12 and 28 s.
        registry.add("DELTAPLANE_STORAGE_RETRY_DELAY", () -> "100ms");
    }

    @AfterEach
    void healTheLink() {
        link.heal();
    }
}
