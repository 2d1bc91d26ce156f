package io.deltaplane.storage;

import com.azure.core.http.HttpClient;
import com.azure.core.util.BinaryData;
import com.azure.core.util.HttpClientOptions;
import com.azure.identity.DefaultAzureCredentialBuilder;
import com.azure.storage.blob.BlobContainerClient;
import com.azure.storage.blob.BlobServiceClient;
import com.azure.storage.blob.BlobServiceClientBuilder;
import com.azure.storage.blob.models.BlobErrorCode;
import com.azure.storage.blob.models.BlobItem;
import com.azure.storage.blob.models.BlobProperties;
import com.azure.storage.blob.models.BlobRange;
import com.azure.storage.blob.models.BlobRequestConditions;
import com.azure.storage.blob.models.BlobStorageException;
import com.azure.storage.blob.models.ListBlobsOptions;
import com.azure.storage.blob.models.UserDelegationKey;
import com.azure.storage.blob.options.BlobInputStreamOptions;
import com.azure.storage.blob.options.BlockBlobCommitBlockListOptions;
import com.azure.storage.blob.options.BlockBlobSimpleUploadOptions;
import com.azure.storage.blob.sas.BlobSasPermission;
import com.azure.storage.blob.sas.BlobServiceSasSignatureValues;
import com.azure.storage.blob.specialized.BlockBlobClient;
import com.azure.storage.common.StorageSharedKeyCredential;
import com.azure.storage.common.policy.RequestRetryOptions;
import com.azure.storage.common.policy.RetryPolicyType;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * Azure Blob Storage and ADLS Gen2 through the Blob API (which hierarchical-namespace accounts
 * serve too): {@code abfss://<container>@<account>.dfs.core.windows.net/<path>}, {@code
 * wasbs://<container>@<account>.blob.core.windows.net/<path>} and {@code az://<container>/<path>}
 * (the account from {@code AZURE_STORAGE_ACCOUNT} or the connection string). Put-if-absent is the
 * Blob service's conditional create ({@code If-None-Match: *}); a large object is staged block by
 * block and committed, conditionally, in one block list.
 */
public class AzureBlobStorage implements Storage {

    /** 8 MiB blocks: one held at a time. */
    static final int DEFAULT_BLOCK_SIZE = 8 * 1024 * 1024;

    /**
     * Blob metadata naming the upload that created a blob (Azure metadata names are C# identifiers,
     * hence the underscore; S3's mark is {@code deltaplane-upload}).
     */
    static final String UPLOAD_MARK = "deltaplane_upload";

    private static final int NOT_FOUND = 404;
    private static final int CONFLICT = 409;
    private static final int PRECONDITION_FAILED = 412;
    private static final BlobRequestConditions IF_ABSENT = new BlobRequestConditions().setIfNoneMatch("*");

    private final Function<String, BlobServiceClient> clients;
    private final String defaultAccount;
    private final int blockSize;
    private final Map<String, BlobServiceClient> byAccount = new ConcurrentHashMap<>();

    /**
     * @param clients the service client for an account name
     * @param defaultAccount the account of {@code az://} locations (which name none)
     */
    public AzureBlobStorage(Function<String, BlobServiceClient> clients, String defaultAccount) {
        this(clients, defaultAccount, DEFAULT_BLOCK_SIZE);
    }

    AzureBlobStorage(Function<String, BlobServiceClient> clients, String defaultAccount, int blockSize) {
        this.clients = clients;
        this.defaultAccount = defaultAccount == null ? "" : defaultAccount;
        this.blockSize = blockSize;
    }

    /**
     * Clients the way the Azure CLI and SDKs are configured: {@code AZURE_STORAGE_CONNECTION_STRING}
     * (its account, e.g. Azurite's), else {@code AZURE_STORAGE_ACCOUNT} with {@code
     * AZURE_STORAGE_KEY}, else {@code DefaultAzureCredential} (workload identity on AKS, managed
     * identity, {@code AZURE_CLIENT_ID}/{@code AZURE_CLIENT_SECRET}, az login). Deployments put the
     * secrets in those variables from a Kubernetes secret reference. {@code
     * DELTAPLANE_STORAGE_TIMEOUT} bounds each try's wait for bytes (the SDK then retries), {@code
     * DELTAPLANE_STORAGE_RETRIES} and {@code DELTAPLANE_STORAGE_RETRY_DELAY} how often and how soon it
     * does ({@link StorageRetries}).
     */
    public static AzureBlobStorage fromEnvironment(Map<String, String> env) {
        Clients clients = new Clients(httpClient(StorageTimeout.from(env)), retryOptions(StorageRetries.from(env)));
        String connectionString = blankToNull(env.get("AZURE_STORAGE_CONNECTION_STRING"));
        String account = blankToNull(env.get("AZURE_STORAGE_ACCOUNT"));
        String key = blankToNull(env.get("AZURE_STORAGE_KEY"));
        String suffix = Optional.ofNullable(blankToNull(env.get("AZURE_STORAGE_ENDPOINT_SUFFIX")))
                .orElse("core.windows.net");
        if (connectionString != null) {
            String csAccount = connectionStringValue(connectionString, "AccountName");
            BlobServiceClient shared =
                    clients.builder().connectionString(connectionString).buildClient();
            String defaultAccount = account != null ? account : csAccount;
            return new AzureBlobStorage(
                    name -> name.equals(csAccount) ? shared : clients.withToken(name, suffix), defaultAccount);
        }
        if (account != null && key != null) {
            StorageSharedKeyCredential credential = new StorageSharedKeyCredential(account, key);
            return new AzureBlobStorage(
                    name -> name.equals(account)
                            ? clients.builder()
                                    .endpoint(endpoint(name, suffix))
                                    .credential(credential)
                                    .buildClient()
                            : clients.withToken(name, suffix),
                    account);
        }
        return new AzureBlobStorage(name -> clients.withToken(name, suffix), account);
    }

    /** What every client of this storage shares: the HTTP client with its timeouts, and the retry policy. */
    private record Clients(HttpClient http, RequestRetryOptions retries) {

        BlobServiceClientBuilder builder() {
            return new BlobServiceClientBuilder().httpClient(http).retryOptions(retries);
        }

        /** An account other than the configured one's, by {@code DefaultAzureCredential}. */
        BlobServiceClient withToken(String account, String suffix) {
            return builder()
                    .endpoint(endpoint(account, suffix))
                    .credential(new DefaultAzureCredentialBuilder().build())
                    .buildClient();
        }
    }

    /**
     * The SDK's exponential policy with {@link StorageRetries}' count and first delay where set: by
     * default 4 tries, 4 s growing to 120 s between them.
     */
    static RequestRetryOptions retryOptions(StorageRetries retries) {
        if (retries.sdkDefaults()) {
            return new RequestRetryOptions();
        }
        Duration delay = retries.delay().orElse(AZURE_RETRY_DELAY);
        return new RequestRetryOptions(
                RetryPolicyType.EXPONENTIAL,
                retries.retries().map(r -> r + 1).orElse(AZURE_TRIES),
                (Duration) null,
                delay,
                delay.compareTo(AZURE_MAX_RETRY_DELAY) > 0 ? delay : AZURE_MAX_RETRY_DELAY,
                null);
    }

    // The SDK's own defaults (RequestRetryOptions), kept for whichever of the two is not set.
    private static final int AZURE_TRIES = 4;
    private static final Duration AZURE_RETRY_DELAY = Duration.ofSeconds(4);
    private static final Duration AZURE_MAX_RETRY_DELAY = Duration.ofMinutes(2);

    /**
     * The SDK's default HTTP client with the request timeouts of {@link StorageTimeout}: without
     * them a stalled store holds each of the SDK's four tries for 60 s.
     */
    private static HttpClient httpClient(Duration timeout) {
        return HttpClient.createDefault(new HttpClientOptions()
                .setResponseTimeout(timeout)
                .setReadTimeout(timeout)
                .setWriteTimeout(timeout));
    }

    private static String endpoint(String account, String suffix) {
        return "https://" + account + ".blob." + suffix;
    }

    /** The service client for {@code account} (built once). */
    public BlobServiceClient serviceClient(String account) {
        return byAccount.computeIfAbsent(account, clients);
    }

    @Override
    public boolean supports(String location) {
        return location != null
                && (location.startsWith("abfss://")
                        || location.startsWith("abfs://")
                        || location.startsWith("wasbs://")
                        || location.startsWith("wasb://")
                        || location.startsWith("az://"));
    }

    @Override
    public String resolve(String location, String name) {
        return ObjectLocation.join(location, name);
    }

    private BlockBlobClient blob(ObjectLocation at) {
        return container(at).getBlobClient(at.key()).getBlockBlobClient();
    }

    private BlobContainerClient container(ObjectLocation at) {
        return serviceClient(account(at)).getBlobContainerClient(at.container());
    }

    private String account(ObjectLocation at) {
        String account = at.account().isEmpty() ? defaultAccount : at.account();
        if (account.isEmpty()) {
            throw new IllegalArgumentException(
                    "No storage account for " + at.scheme() + "://" + at.container() + ": set AZURE_STORAGE_ACCOUNT");
        }
        return account;
    }

    @Override
    public boolean putIfAbsent(String path, Content content) throws IOException {
        ObjectLocation at = ObjectLocation.parse(path);
        if (exists(at)) {
            return false; // the cheap answer; the conditional commit below still decides races
        }
        return PartUpload.upload(content, new Upload(blob(at), true), blockSize);
    }

    /**
     * A small object in one conditional Put Blob, without the existence check first (the
     * publisher's hot path: one request per {@code _delta_log} file instead of three). When the
     * condition fails but no blob is committed — blocks a failed writer staged earlier make Put
     * Blob's If-None-Match fail (seen on Azurite) — the staged path below decides instead.
     */
    @Override
    public boolean putIfAbsent(String path, byte[] content) throws IOException {
        ObjectLocation at = ObjectLocation.parse(path);
        if (content.length > blockSize) {
            return putIfAbsent(path, out -> out.write(content));
        }
        BlockBlobClient blob = blob(at);
        String upload = newUploadMark();
        try {
            blob.uploadWithResponse(
                    new BlockBlobSimpleUploadOptions(BinaryData.fromBytes(content))
                            .setMetadata(Map.of(UPLOAD_MARK, upload))
                            .setRequestConditions(IF_ABSENT),
                    null,
                    null);
            return true;
        } catch (BlobStorageException e) {
            if (!conditionFailed(e)) {
                throw new IOException("Writing " + path + " failed", e);
            }
        } catch (RuntimeException e) {
            throw transportFailure("Writing " + path + " failed", e);
        }
        Optional<String> there = markOf(blob);
        if (there.isPresent()) {
            // A retry of a Put Blob the service had applied meets our own blob (see Upload#conditional).
            return there.get().equals(upload);
        }
        return PartUpload.upload(out -> out.write(content), new Upload(blob, true), blockSize);
    }

    private static String newUploadMark() {
        return java.util.UUID.randomUUID().toString();
    }

    /** Put Blob and Put Block List refuse an existing blob under If-None-Match: * with 409 or 412. */
    private static boolean conditionFailed(BlobStorageException e) {
        return e.getStatusCode() == PRECONDITION_FAILED
                || e.getStatusCode() == CONFLICT && BlobErrorCode.BLOB_ALREADY_EXISTS.equals(e.getErrorCode());
    }

    /**
     * The upload mark of the committed blob (empty string if it has none: written by another tool),
     * or empty when there is no committed blob.
     */
    private static Optional<String> markOf(BlockBlobClient blob) throws IOException {
        try {
            Map<String, String> metadata = blob.getProperties().getMetadata();
            return Optional.of(metadata == null ? "" : metadata.getOrDefault(UPLOAD_MARK, ""));
        } catch (BlobStorageException e) {
            if (e.getStatusCode() == NOT_FOUND) {
                return Optional.empty();
            }
            throw new IOException("Reading the properties of " + blob.getBlobUrl() + " failed", e);
        } catch (RuntimeException e) {
            throw transportFailure("Reading the properties of " + blob.getBlobUrl() + " failed", e);
        }
    }

    @Override
    public void put(String path, Content content) throws IOException {
        putTagged(path, content);
    }

    /** The tag is the upload's mark (metadata {@code deltaplane_upload}). */
    @Override
    public Optional<String> putTagged(String path, Content content) throws IOException {
        Upload upload = new Upload(blob(ObjectLocation.parse(path)), false);
        PartUpload.upload(content, upload, blockSize);
        return Optional.of(upload.uploadTag);
    }

    @Override
    public Optional<String> tag(String path) throws IOException {
        ObjectLocation at = ObjectLocation.parse(path);
        if (at.key().isEmpty()) {
            return Optional.empty();
        }
        return markOf(blob(at));
    }

    /** One blob's upload: a single Put Blob, or staged blocks committed as one block list. */
    private static final class Upload implements PartUpload.Sink {
        private final BlockBlobClient blob;
        private final boolean ifAbsent;
        private final List<String> blockIds = new ArrayList<>();
        // Block ids are unique per upload so two racing writers never mix each other's blocks; the
        // same id marks the committed blob as this upload's.
        private final String uploadTag = newUploadMark();

        Upload(BlockBlobClient blob, boolean ifAbsent) {
            this.blob = blob;
            this.ifAbsent = ifAbsent;
        }

        @Override
        public boolean single(byte[] bytes, int length) throws IOException {
            if (ifAbsent) {
                // One staged block and a conditional commit, not a conditional Put Blob: blocks a
                // failed writer staged earlier make Put Blob's If-None-Match fail (seen on Azurite)
                // although no blob was ever committed; Put Block List judges the committed blob only.
                part(1, bytes, length);
                return complete(1);
            }
            return conditional(() -> blob.uploadWithResponse(
                    new BlockBlobSimpleUploadOptions(BinaryData.fromBytes(Arrays.copyOf(bytes, length)))
                            .setMetadata(Map.of(UPLOAD_MARK, uploadTag)),
                    null,
                    null));
        }

        @Override
        public void part(int number, byte[] bytes, int length) throws IOException {
            String id = Base64.getEncoder()
                    .encodeToString(String.format("%s-%08d", uploadTag, number).getBytes(StandardCharsets.UTF_8));
            try {
                blob.stageBlock(id, BinaryData.fromByteBuffer(ByteBuffer.wrap(Arrays.copyOf(bytes, length))));
            } catch (BlobStorageException e) {
                throw new IOException("Staging block " + number + " of " + blob.getBlobUrl() + " failed", e);
            } catch (RuntimeException e) {
                throw transportFailure("Staging block " + number + " of " + blob.getBlobUrl() + " failed", e);
            }
            blockIds.add(id);
        }

        @Override
        public boolean complete(int parts) throws IOException {
            BlockBlobCommitBlockListOptions options =
                    new BlockBlobCommitBlockListOptions(blockIds).setMetadata(Map.of(UPLOAD_MARK, uploadTag));
            if (ifAbsent) {
                options.setRequestConditions(IF_ABSENT);
            }
            return conditional(() -> blob.commitBlockListWithResponse(options, null, null));
        }

        @Override
        public void abort() {
            // Uncommitted blocks are garbage-collected by the service after a week; nothing to do.
        }

        /**
         * Runs a conditional create. A refusal is "exists" only when the blob there is not this
         * upload's: the SDK retries a request whose answer it lost (a reset connection, a timeout,
         * a 500), and the retry of a commit the service had already applied meets our own blob,
         * which carries this upload's mark.
         */
        private boolean conditional(Runnable request) throws IOException {
            try {
                request.run();
                return true;
            } catch (BlobStorageException e) {
                if (ifAbsent && conditionFailed(e)) {
                    return markOf(blob).map(uploadTag::equals).orElse(false);
                }
                throw new IOException("Writing " + blob.getBlobUrl() + " failed", e);
            } catch (RuntimeException e) {
                throw transportFailure("Writing " + blob.getBlobUrl() + " failed", e);
            }
        }
    }

    @Override
    public Optional<InputStream> open(String path, long offset) throws IOException {
        if (offset < 0) {
            throw new IllegalArgumentException("negative offset " + offset);
        }
        ObjectLocation at = ObjectLocation.parse(path);
        if (at.key().isEmpty()) {
            return Optional.empty();
        }
        BlockBlobClient blob = blob(at);
        try {
            if (offset == 0) {
                // openInputStream checks the blob exists (and pins its ETag) before the first read.
                return Optional.of(blob.openInputStream());
            }
            // The properties first: the SDK refuses a range starting at or past the end, which
            // here is a valid read of nothing; the ETag keeps the ranged reads on this version.
            BlobProperties properties = blob.getProperties();
            if (offset >= properties.getBlobSize()) {
                return Optional.of(InputStream.nullInputStream());
            }
            return Optional.of(blob.openInputStream(new BlobInputStreamOptions()
                    .setRange(new BlobRange(offset))
                    .setRequestConditions(new BlobRequestConditions().setIfMatch(properties.getETag()))));
        } catch (BlobStorageException e) {
            if (e.getStatusCode() == NOT_FOUND) {
                return Optional.empty();
            }
            throw new IOException("Reading " + path + " failed", e);
        } catch (RuntimeException e) {
            throw transportFailure("Reading " + path + " failed", e);
        }
    }

    /** The blob's size from the one Get Blob Properties request {@link #stat} makes. */
    @Override
    public OptionalLong size(String path) throws IOException {
        Optional<StoredFile> file = stat(path);
        return file.isPresent() ? OptionalLong.of(file.get().size()) : OptionalLong.empty();
    }

    @Override
    public Optional<StoredFile> stat(String path) throws IOException {
        return stat(ObjectLocation.parse(path));
    }

    private Optional<StoredFile> stat(ObjectLocation at) throws IOException {
        if (at.key().isEmpty()) {
            return Optional.empty();
        }
        try {
            BlobProperties properties = blob(at).getProperties();
            return Optional.of(new StoredFile(
                    at.key().substring(at.key().lastIndexOf('/') + 1),
                    properties.getBlobSize(),
                    properties.getLastModified().toInstant().toEpochMilli()));
        } catch (BlobStorageException e) {
            if (e.getStatusCode() == NOT_FOUND) {
                return Optional.empty();
            }
            throw new IOException("Reading the properties of " + at + " failed", e);
        } catch (RuntimeException e) {
            throw transportFailure("Reading the properties of " + at + " failed", e);
        }
    }

    @Override
    public boolean delete(String path) throws IOException {
        ObjectLocation at = ObjectLocation.parse(path);
        if (at.key().isEmpty()) {
            return false;
        }
        try {
            return blob(at).deleteIfExists();
        } catch (BlobStorageException e) {
            throw new IOException("Deleting " + path + " failed", e);
        } catch (RuntimeException e) {
            throw transportFailure("Deleting " + path + " failed", e);
        }
    }

    @Override
    public boolean exists(String path) throws IOException {
        return exists(ObjectLocation.parse(path));
    }

    private boolean exists(ObjectLocation at) throws IOException {
        return stat(at).isPresent();
    }

    @Override
    public List<StoredFile> files(String directory) throws IOException {
        return files(directory, null);
    }

    /** List Blobs' {@code startFrom} (inclusive), so the listing begins at {@code from}. */
    @Override
    public List<StoredFile> filesFrom(String directory, String from) throws IOException {
        return files(directory, from.isEmpty() ? null : from);
    }

    private List<StoredFile> files(String directory, String from) throws IOException {
        ObjectLocation at = ObjectLocation.parse(directory);
        String prefix = at.directoryPrefix();
        ListBlobsOptions options = new ListBlobsOptions().setPrefix(prefix);
        if (from != null) {
            options.setStartFrom(prefix + from);
        }
        // a prefix item is a sub-"directory", not a file directly in this one
        return listing(
                directory,
                prefix,
                () -> container(at).listBlobsByHierarchy("/", options, null),
                item -> !Boolean.TRUE.equals(item.isPrefix()));
    }

    /**
     * One flat listing of every blob under {@code directory}. On an account with a hierarchical
     * namespace (ADLS Gen2) folders are listed as empty blobs marked {@code hdi_isfolder}: skipped.
     */
    @Override
    public List<StoredFile> filesUnder(String directory) throws IOException {
        ObjectLocation at = ObjectLocation.parse(directory);
        String prefix = at.directoryPrefix();
        ListBlobsOptions options = new ListBlobsOptions()
                .setPrefix(prefix)
                .setDetails(new com.azure.storage.blob.models.BlobListDetails().setRetrieveMetadata(true));
        return listing(
                directory,
                prefix,
                () -> container(at).listBlobs(options, null),
                item -> item.getMetadata() == null
                        || !"true".equalsIgnoreCase(item.getMetadata().get("hdi_isfolder")));
    }

    /** The listed blobs {@code keep} takes, named relative to {@code prefix}, sorted by name. */
    private List<StoredFile> listing(
            String directory,
            String prefix,
            java.util.function.Supplier<Iterable<BlobItem>> list,
            java.util.function.Predicate<BlobItem> keep)
            throws IOException {
        List<StoredFile> files = new ArrayList<>();
        try {
            for (BlobItem item : list.get()) {
                String name = item.getName().substring(prefix.length());
                if (keep.test(item) && !name.isEmpty()) {
                    files.add(new StoredFile(
                            name,
                            item.getProperties().getContentLength(),
                            item.getProperties().getLastModified().toInstant().toEpochMilli()));
                }
            }
        } catch (BlobStorageException e) {
            if (e.getStatusCode() == NOT_FOUND) {
                return List.of(); // no such container
            }
            throw new IOException("Listing " + directory + " failed", e);
        } catch (RuntimeException e) {
            throw transportFailure("Listing " + directory + " failed", e);
        }
        files.sort(Comparator.comparing(StoredFile::name));
        return files;
    }

    /**
     * A blob SAS with read permission only, for this one blob, valid for {@code validFor}: signed
     * with the account key when the client has one (a connection string or {@code
     * AZURE_STORAGE_KEY}), else with a user delegation key (Microsoft Entra ID: workload identity,
     * managed identity), which needs the identity to hold a role that may request one.
     */
    @Override
    public Optional<java.net.URI> signedReadUrl(String path, java.time.Duration validFor) throws IOException {
        ObjectLocation at = ObjectLocation.parse(path);
        BlockBlobClient blob = blob(at);
        java.time.OffsetDateTime expiry =
                java.time.OffsetDateTime.now(java.time.ZoneOffset.UTC).plus(validFor);
        BlobServiceSasSignatureValues values =
                new BlobServiceSasSignatureValues(expiry, new BlobSasPermission().setReadPermission(true));
        try {
            String sas;
            try {
                sas = blob.generateSas(values);
            } catch (IllegalStateException noAccountKey) {
                // A token credential: sign with a user delegation key instead (one request).
                UserDelegationKey key = serviceClient(account(at))
                        .getUserDelegationKey(java.time.OffsetDateTime.now(java.time.ZoneOffset.UTC), expiry);
                sas = blob.generateUserDelegationSas(values, key);
            }
            return Optional.of(java.net.URI.create(blob.getBlobUrl() + "?" + sas));
        } catch (BlobStorageException e) {
            throw new IOException("Signing a read of " + path + " failed", e);
        } catch (RuntimeException e) {
            throw transportFailure("Signing a read of " + path + " failed", e);
        }
    }

    /**
     * A request that failed in transport after the SDK's retries (a connection reset or timed out):
     * the sync client throws it unchecked — reactor's {@code ReactiveException} or an {@code
     * UncheckedIOException} around the {@link IOException} — where callers expect an {@link
     * IOException} (an artifact upload answers 503 on one, not 500). Anything else is rethrown.
     */
    private static IOException transportFailure(String what, RuntimeException e) {
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            if (cause instanceof IOException || cause instanceof java.util.concurrent.TimeoutException) {
                return new IOException(what, e);
            }
        }
        throw e;
    }

    private static String connectionStringValue(String connectionString, String name) {
        for (String part : connectionString.split(";")) {
            int eq = part.indexOf('=');
            if (eq > 0 && part.substring(0, eq).trim().equalsIgnoreCase(name)) {
                return part.substring(eq + 1).trim();
            }
        }
        return "";
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }
}
