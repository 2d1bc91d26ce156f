package io.deltaplane.storage;

import static org.assertj.core.api.Assertions.assertThat;

import com.azure.core.util.BinaryData;
import com.azure.storage.blob.BlobServiceClient;
import com.azure.storage.blob.BlobServiceClientBuilder;
import com.azure.storage.blob.models.BlobRequestConditions;
import com.azure.storage.blob.models.BlobStorageException;
import com.azure.storage.blob.options.BlockBlobSimpleUploadOptions;
import io.deltaplane.testing.AzuriteServer;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The Azure backend against Azurite (Blob API), configured by {@link
 * AzureBlobStorage#fromEnvironment} from a connection string as an operator's secret would hold it.
 * Locations are ADLS Gen2 style ({@code abfss://container@account.dfs.core.windows.net/…}).
 */
class AzureBlobStorageTest extends StorageContract {

    /** Small blocks, so the contract's large object is committed from many staged blocks. */
    private static final int BLOCK_SIZE = 1024 * 1024;

    private static AzuriteServer azurite;

    private AzureBlobStorage storage;
    private BlobServiceClient service;
    private String container;

    @BeforeAll
    static void startAzurite() throws Exception {
        azurite = AzuriteServer.start();
    }

    @AfterAll
    static void stopAzurite() {
        if (azurite != null) {
            azurite.close();
        }
    }

    @BeforeEach
    void createContainer() {
        Map<String, String> env = Map.of("AZURE_STORAGE_CONNECTION_STRING", azurite.connectionString());
        service = new BlobServiceClientBuilder()
                .connectionString(azurite.connectionString())
                .buildClient();
        storage = new AzureBlobStorage(
                account -> AzureBlobStorage.fromEnvironment(env).serviceClient(account),
                AzuriteServer.ACCOUNT,
                BLOCK_SIZE);
        container = "warehouse-" + UUID.randomUUID().toString().substring(0, 8);
        service.createBlobContainer(container);
    }

    @Override
    protected Storage storage() {
        return storage;
    }

    @Override
    protected String freshLocation() {
        return "abfss://" + container + "@" + AzuriteServer.ACCOUNT + ".dfs.core.windows.net/tables/"
                + UUID.randomUUID();
    }

    @Test
    void azAndWasbsLocationsNameTheSameBlobs() throws Exception {
        assertThat(storage.putIfAbsent("az://" + container + "/t/a.json", bytes("x")))
                .isTrue();
        assertThat(storage.exists(
                        "wasbs://" + container + "@" + AzuriteServer.ACCOUNT + ".blob.core.windows.net/t/a.json"))
                .isTrue();
        assertThat(storage.read(
                        "abfss://" + container + "@" + AzuriteServer.ACCOUNT + ".dfs.core.windows.net/t/a.json"))
                .hasValueSatisfying(b -> assertThat(text(b)).isEqualTo("x"));
        assertThat(storage.supports("s3://bucket/t")).isFalse();
    }

    @Test
    void azuriteHonoursTheConditionalCreateTheBackendReliesOn() {
        // Not only the backend's existence check: the service itself refuses If-None-Match: *.
        var blob = service.getBlobContainerClient(container)
                .getBlobClient("t/b.json")
                .getBlockBlobClient();
        BlockBlobSimpleUploadOptions create = new BlockBlobSimpleUploadOptions(BinaryData.fromString("1"))
                .setRequestConditions(new BlobRequestConditions().setIfNoneMatch("*"));
        blob.uploadWithResponse(create, null, null);
        try {
            blob.uploadWithResponse(create, null, null);
            throw new AssertionError("a second conditional create succeeded");
        } catch (BlobStorageException e) {
            assertThat(e.getStatusCode()).isIn(409, 412);
        }
        assertThat(blob.downloadContent().toString()).isEqualTo("1");
    }

    @Test
    void aSignedUrlReadsOneObjectOnlyWithoutCredentialsUntilItsExpiry() throws Exception {
        SignedReads.assertReadsOnly(storage, freshLocation());
        URI url = storage.signedReadUrl(freshLocation() + "/x", Duration.ofMinutes(15))
                .orElseThrow();
        // sp=r: read only; sr=b: this blob only; se: the expiry
        assertThat(url.getQuery()).contains("sp=r", "sr=b", "se=");
    }

    @Test
    void aSmallPutIfAbsentSucceedsWhereAFailedWriterLeftUncommittedBlocks() throws Exception {
        String path = storage.resolve(freshLocation(), "_delta_log/00000000000000000001.json");
        ObjectLocation at = ObjectLocation.parse(path);
        // A writer of ours that staged a block and died before committing it (same id shape: Azure
        // wants one block id length per blob).
        service.getBlobContainerClient(at.container())
                .getBlobClient(at.key())
                .getBlockBlobClient()
                .stageBlock(
                        java.util.Base64.getEncoder()
                                .encodeToString((UUID.randomUUID() + "-00000001").getBytes(StandardCharsets.UTF_8)),
                        com.azure.core.util.BinaryData.fromString("partial"));
        assertThat(storage.exists(path)).isFalse();

        assertThat(storage.putIfAbsent(path, "{\"v\":1}".getBytes(StandardCharsets.UTF_8)))
                .isTrue();
        assertThat(storage.read(path))
                .hasValueSatisfying(
                        b -> assertThat(new String(b, StandardCharsets.UTF_8)).isEqualTo("{\"v\":1}"));
        assertThat(storage.putIfAbsent(path, "{\"v\":2}".getBytes(StandardCharsets.UTF_8)))
                .isFalse();
    }
}
