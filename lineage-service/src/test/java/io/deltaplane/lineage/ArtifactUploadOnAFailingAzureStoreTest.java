package io.deltaplane.lineage;

import static io.deltaplane.lineage.Json.body;
import static org.assertj.core.api.Assertions.assertThat;

import com.azure.storage.blob.models.BlobItem;
import com.azure.storage.blob.models.ListBlobsOptions;
import io.deltaplane.testing.FaultyConnections;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/**
 * {@link ArtifactUploadOnAFailingStoreTest} on Azure (Azurite behind {@link FaultyConnections}): a
 * replaced and a new artifact cut on every one of the SDK's four tries, in parallel (the base sets
 * {@code DELTAPLANE_STORAGE_RETRY_DELAY=100ms}; with the SDK's own 4, 12 and 28 s between tries a
 * failure that reaches the client costs some 45 s); a single cut is retried by the SDK and must
 * land whole. The test reads the container directly,
 * past the faulty link.
 */
class ArtifactUploadOnAFailingAzureStoreTest extends ArtifactsOnAzureTestBase {

    /** Every connection until healed: more than the SDK's tries, so the failure reaches the service. */
    private static final int EVERY_CONNECTION = 1000;

    /** The backend's block size: uploads here take more than one staged block. */
    private static final int BLOCK = 8 * 1024 * 1024;

    @Test
    void uploadsCutOnEveryTryAre503sAndLeaveEachNameAsItWas() throws Exception {
        byte[] v1 = "version 1".getBytes();
        body(put("/api/v1/datasets/replaced/report.bin", v1), 201);
        byte[] v2 = random(2 * BLOCK + 123, 1);
        byte[] fresh = random(BLOCK + 4096, 2);

        FaultyConnections.Fault cut = link.cutAfter(BLOCK / 2, EVERY_CONNECTION);
        CompletableFuture<HttpResponse<String>> replacing = putAsync("/api/v1/datasets/replaced/report.bin", v2);
        CompletableFuture<HttpResponse<String>> creating = putAsync("/api/v1/datasets/cut/fresh.bin", fresh);
        assertStoreFailed(replacing.get());
        assertStoreFailed(creating.get());
        assertThat(cut.fired()).as("connections cut").isGreaterThanOrEqualTo(8);
        link.heal();

        assertThat(blobs("artifacts/replaced/")).containsExactly("artifacts/replaced/report.bin");
        assertThat(container
                        .getBlobClient("artifacts/replaced/report.bin")
                        .downloadContent()
                        .toBytes())
                .isEqualTo(v1);
        assertThat(get("/api/v1/datasets/replaced/report.bin").body()).isEqualTo(v1);
        assertThat(blobs("artifacts/cut/")).isEmpty();
        assertThat(get("/api/v1/datasets/cut/fresh.bin").statusCode()).isEqualTo(404);

        assertUploaded(body(put("/api/v1/datasets/replaced/report.bin", v2), 201), v2);
        assertThat(get("/api/v1/datasets/replaced/report.bin").body()).isEqualTo(v2);
        assertUploaded(body(put("/api/v1/datasets/cut/fresh.bin", fresh), 201), fresh);
        assertThat(get("/api/v1/datasets/cut/fresh.bin").body()).isEqualTo(fresh);
    }

    @Test
    void aBlockCutOnceIsRetriedAndTheArtifactLandsWhole() throws Exception {
        body(put("/api/v1/datasets/retried/report.bin", "version 1".getBytes()), 201);
        byte[] v2 = random(2 * BLOCK + 123, 3);

        FaultyConnections.Fault cut = link.cutAfter(BLOCK / 2, 1);
        HttpResponse<String> uploaded = put("/api/v1/datasets/retried/report.bin", v2);

        cut.awaitFired(1, Duration.ofSeconds(30));
        assertUploaded(body(uploaded, 201), v2);
        assertThat(blobs("artifacts/retried/")).containsExactly("artifacts/retried/report.bin");
        assertThat(get("/api/v1/datasets/retried/report.bin").body()).isEqualTo(v2);
    }

    private CompletableFuture<HttpResponse<String>> putAsync(String path, byte[] content) {
        return CompletableFuture.supplyAsync(() -> {
            try {
                return put(path, content);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
    }

    /** Committed blobs under {@code prefix}, read from Azurite directly (not through the faulty link). */
    private static List<String> blobs(String prefix) {
        return container.listBlobs(new ListBlobsOptions().setPrefix(prefix), null).stream()
                .map(BlobItem::getName)
                .toList();
    }
}
