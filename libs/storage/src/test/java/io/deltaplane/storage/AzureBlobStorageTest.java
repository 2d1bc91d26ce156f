package io.deltaplane.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.azure.core.util.BinaryData;
import com.azure.storage.blob.BlobServiceClient;
import com.azure.storage.blob.BlobServiceClientBuilder;
import com.azure.storage.blob.models.BlobRequestConditions;
import com.azure.storage.blob.models.BlobStorageException;
import com.azure.storage.blob.options.BlockBlobSimpleUploadOptions;
import io.deltaplane.testing.AzuriteServer;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

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
    void aFlatBlobAccountIsAskedWhetherItHasAHierarchicalNamespaceAndGetsNoSas() {
        // Azurite is a flat Blob account, as a storage account without ADLS Gen2 is: asked (Get Account
        // Information), it says so, and no SAS narrower than its container is vended.
        AzureDirectorySas vendor = AzureDirectorySas.fromEnvironment(
                Map.of("AZURE_STORAGE_CONNECTION_STRING", azurite.connectionString()),
                Duration.ofHours(1),
                Optional.empty(),
                Clock.systemUTC());
        assertThatThrownBy(() -> vendor.vend("az://" + container + "/tables/t", false))
                .isInstanceOf(AzureDirectorySas.Unvendable.class)
                .hasMessageContaining("'" + AzuriteServer.ACCOUNT + "' has no hierarchical namespace");
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

    /**
     * The service applies the create but the client is told 500 (as when its answer is lost): the
     * SDK retries, and the conditional retry meets the blob it created itself (409 BlobAlreadyExists
     * on Put Blob, 412 on Put Block List). Ours: true. Another upload of the same bytes to the same
     * name, and a blob another writer put there, are not.
     */
    @ParameterizedTest(name = "{0} bytes, streamed: {1}")
    @CsvSource({"10, false", "10, true", "3145733, true"}) // 3145733: three 1 MiB blocks and 5 bytes
    void aRetriedCreateTheServiceHadAppliedIsOursAndAnotherWritersBlobIsNot(int size, boolean streamed)
            throws Exception {
        byte[] content = new byte[size];
        new java.util.Random(size).nextBytes(content);
        String path = storage.resolve(freshLocation(), "r/a.bin");
        // The SDK sends the key's slashes encoded.
        String name = ObjectLocation.parse(path).key().replace("/", "%2F");
        // The request that makes the blob: Put Blob for the byte[] fast path, Put Block List for a
        // streamed object (one staged block or several).
        FirstAnswerLost lost =
                new FirstAnswerLost(request -> request.getUrl().getPath().endsWith(name)
                        && !"block".equals(comp(request.getUrl().getQuery())));
        AzureBlobStorage retrying = new AzureBlobStorage(
                account -> new BlobServiceClientBuilder()
                        .connectionString(azurite.connectionString())
                        .addPolicy(lost)
                        .retryOptions(QUICK_RETRIES)
                        .buildClient(),
                AzuriteServer.ACCOUNT,
                BLOCK_SIZE);

        assertThat(
                        streamed
                                ? retrying.putIfAbsent(path, out -> out.write(content))
                                : retrying.putIfAbsent(path, content))
                .as("our own create, applied before the retry")
                .isTrue();
        assertThat(lost.answersLost()).as("an answer was lost").isEqualTo(1);
        assertThat(retrying.putIfAbsent(path, content))
                .as("a second upload of the same bytes is another writer's")
                .isFalse();
        assertThat(retrying.putIfAbsent(path, out -> out.write(content)))
                .as("streamed")
                .isFalse();
        assertThat(storage.read(path)).hasValueSatisfying(b -> assertThat(b).isEqualTo(content));

        String others = storage.resolve(freshLocation(), "r/b.bin");
        ObjectLocation at = ObjectLocation.parse(others);
        service.getBlobContainerClient(at.container())
                .getBlobClient(at.key())
                .getBlockBlobClient()
                .upload(BinaryData.fromString("theirs"));
        assertThat(retrying.putIfAbsent(others, content)).isFalse();
        assertThat(retrying.putIfAbsent(others, out -> out.write(content))).isFalse();
        assertThat(storage.read(others))
                .hasValueSatisfying(b -> assertThat(text(b)).isEqualTo("theirs"));
    }

    /**
     * Past the SDK's retries, a store whose connections are reset fails every call with an {@link
     * java.io.IOException}, as S3's does: the sync client throws transport failures unchecked
     * (reactor's ReactiveException), which reached an artifact upload as a 500 instead of a 503.
     */
    @Test
    void aStoreThatKeepsResettingConnectionsFailsEveryCallWithAnIOException() throws Exception {
        String path = storage.resolve(freshLocation(), "f/a.bin");
        try (io.deltaplane.testing.FaultyConnections link =
                io.deltaplane.testing.FaultyConnections.inFrontOf(azurite.port())) {
            AzureBlobStorage failing = new AzureBlobStorage(
                    account -> new BlobServiceClientBuilder()
                            .connectionString(AzuriteServer.connectionString(link.port()))
                            .retryOptions(QUICK_RETRIES)
                            .buildClient(),
                    AzuriteServer.ACCOUNT,
                    BLOCK_SIZE);
            byte[] large = new byte[2 * BLOCK_SIZE + 1];
            link.cutAfter(0, 1000);

            java.util.List<org.assertj.core.api.ThrowableAssert.ThrowingCallable> calls = java.util.List.of(
                    () -> failing.putIfAbsent(path, bytes("x")),
                    () -> failing.putIfAbsent(path, out -> out.write(large)),
                    () -> failing.put(path, out -> out.write(large)),
                    () -> failing.exists(path),
                    () -> failing.read(path),
                    () -> failing.tag(path),
                    () -> failing.delete(path),
                    () -> failing.files(path));
            for (var call : calls) {
                org.assertj.core.api.Assertions.assertThatThrownBy(call).isInstanceOf(java.io.IOException.class);
            }
        }
        assertThat(storage.exists(path)).as("nothing half-written").isFalse();
    }

    /** A few quick retries instead of the SDK's 4 s, 12 s, 28 s back-off. */
    private static final com.azure.storage.common.policy.RequestRetryOptions QUICK_RETRIES =
            new com.azure.storage.common.policy.RequestRetryOptions(
                    com.azure.storage.common.policy.RetryPolicyType.FIXED,
                    3,
                    (Duration) null,
                    Duration.ofMillis(10),
                    Duration.ofMillis(10),
                    null);

    private static String comp(String query) {
        if (query != null) {
            for (String part : query.split("&")) {
                if (part.startsWith("comp=")) {
                    return part.substring("comp=".length());
                }
            }
        }
        return "";
    }

    /**
     * Per try, after the retry policy: the first PUT that {@code lost} matches reaches Azurite, which
     * applies it, but the SDK is answered 500 and retries.
     */
    private static final class FirstAnswerLost implements com.azure.core.http.policy.HttpPipelinePolicy {
        private final Predicate<com.azure.core.http.HttpRequest> lost;
        private final AtomicInteger answersLost = new AtomicInteger();

        FirstAnswerLost(Predicate<com.azure.core.http.HttpRequest> lost) {
            this.lost = lost;
        }

        int answersLost() {
            return answersLost.get();
        }

        @Override
        public com.azure.core.http.HttpPipelinePosition getPipelinePosition() {
            return com.azure.core.http.HttpPipelinePosition.PER_RETRY;
        }

        @Override
        public reactor.core.publisher.Mono<com.azure.core.http.HttpResponse> process(
                com.azure.core.http.HttpPipelineCallContext context, com.azure.core.http.HttpPipelineNextPolicy next) {
            return next.process().map(this::answer);
        }

        @Override
        public com.azure.core.http.HttpResponse processSync(
                com.azure.core.http.HttpPipelineCallContext context,
                com.azure.core.http.HttpPipelineNextSyncPolicy next) {
            return answer(next.processSync());
        }

        private com.azure.core.http.HttpResponse answer(com.azure.core.http.HttpResponse applied) {
            com.azure.core.http.HttpRequest request = applied.getRequest();
            if (request.getHttpMethod() != com.azure.core.http.HttpMethod.PUT
                    || applied.getStatusCode() / 100 != 2
                    || !lost.test(request)
                    || !answersLost.compareAndSet(0, 1)) {
                return applied;
            }
            applied.close();
            return new ServerError(request);
        }
    }

    /** A bodiless 500 Internal Server Error, which the SDK retries. */
    private static final class ServerError extends com.azure.core.http.HttpResponse {
        ServerError(com.azure.core.http.HttpRequest request) {
            super(request);
        }

        @Override
        public int getStatusCode() {
            return 500;
        }

        @Override
        public String getHeaderValue(String name) {
            return null;
        }

        @Override
        public com.azure.core.http.HttpHeaders getHeaders() {
            return new com.azure.core.http.HttpHeaders();
        }

        @Override
        public reactor.core.publisher.Flux<java.nio.ByteBuffer> getBody() {
            return reactor.core.publisher.Flux.empty();
        }

        @Override
        public reactor.core.publisher.Mono<byte[]> getBodyAsByteArray() {
            return reactor.core.publisher.Mono.just(new byte[0]);
        }

        @Override
        public reactor.core.publisher.Mono<String> getBodyAsString() {
            return reactor.core.publisher.Mono.just("");
        }

        @Override
        public reactor.core.publisher.Mono<String> getBodyAsString(java.nio.charset.Charset charset) {
            return getBodyAsString();
        }
    }
}
