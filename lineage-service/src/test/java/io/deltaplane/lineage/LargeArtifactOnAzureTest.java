package io.deltaplane.lineage;

import static org.assertj.core.api.Assertions.assertThat;

import io.deltaplane.testing.AzuriteServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.context.TestPropertySource;

/**
 * An artifact larger than the heap ({@link StreamedArtifact#LARGE_SIZE}) up to Azure Blob Storage (Azurite, its blobs on disk) and back through the
 * HTTP API with the heap capped at 256 MB (the {@code capped-heap} surefire execution): staged
 * blocks out, a streamed read back, never the whole object in memory.
 */
@LineageServiceTest
@TestPropertySource(properties = "deltaplane.artifacts.uri=az://lake/artifacts")
class LargeArtifactOnAzureTest {

    private static AzuriteServer azurite;

    @LocalServerPort
    int port;

    @DynamicPropertySource
    static void azure(DynamicPropertyRegistry registry) throws Exception {
        azurite = AzuriteServer.startOnDisk(); // before the Spring context, which needs its address
        registry.add("AZURE_STORAGE_CONNECTION_STRING", azurite::connectionString);
        new com.azure.storage.blob.BlobServiceClientBuilder()
                .connectionString(azurite.connectionString())
                .buildClient()
                .createBlobContainer("lake");
    }

    @AfterAll
    static void stop() {
        azurite.close();
    }

    @Test
    void moreThanTheHeapGoesUpToTheContainerAndComesBackWithA256MegabyteHeap() throws Exception {
        assertThat(Runtime.getRuntime().maxMemory())
                .as("this test must run in the capped-heap surefire execution (-Xmx256m)")
                .isLessThanOrEqualTo(LargeArtifactTest.HEAP_CAP);
        long size = StreamedArtifact.LARGE_SIZE;

        StreamedArtifact.Timings timings =
                StreamedArtifact.roundTrip(port, "/api/v1/datasets/big/runs/2026/large.bin", size, 17);

        assertThat(new com.azure.storage.blob.BlobServiceClientBuilder()
                        .connectionString(azurite.connectionString())
                        .buildClient()
                        .getBlobContainerClient("lake")
                        .getBlobClient("artifacts/big/runs/2026/large.bin")
                        .getProperties()
                        .getBlobSize())
                .isEqualTo(size);
        System.out.printf("%d bytes on Azure: upload %s, download %s%n", size, timings.upload(), timings.download());
    }
}
