package io.deltaplane.storage;

import static io.deltaplane.storage.AzureFailures.transportFailure;

import com.azure.storage.blob.BlobContainerClient;
import com.azure.storage.blob.BlobServiceClient;
import com.azure.storage.blob.models.BlobProperties;
import com.azure.storage.blob.models.BlobRange;
import com.azure.storage.blob.models.BlobRequestConditions;
import com.azure.storage.blob.models.BlobStorageException;
import com.azure.storage.blob.models.UserDelegationKey;
import com.azure.storage.blob.options.BlobInputStreamOptions;
import com.azure.storage.blob.sas.BlobSasPermission;
import com.azure.storage.blob.sas.BlobServiceSasSignatureValues;
import com.azure.storage.blob.specialized.BlockBlobClient;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
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
 * block and committed, conditionally, in one block list ({@link AzureBlobUpload}).
 */
public class AzureBlobStorage implements Storage {

    /** 8 MiB blocks: one held at a time. */
    static final int DEFAULT_BLOCK_SIZE = 8 * 1024 * 1024;

    private final Function<String, BlobServiceClient> clients;
    private final String defaultAccount;
    private final int blockSize;
    private final Map<String, BlobServiceClient> byAccount = new ConcurrentHashMap<>();
    private final AzureBlobListing listing = new AzureBlobListing(this::container);

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
     * identity, {@code AZURE_CLIENT_ID}/{@code AZURE_CLIENT_SECRET}, az login) — only when one of
     * {@link AzureClients#IDENTITY_VARIABLES} names an identity to use; otherwise an account without
     * credentials is refused, and no identity service is asked. Deployments put the
     * secrets in those variables from a Kubernetes secret reference. {@code
     * DELTAPLANE_STORAGE_TIMEOUT} bounds each try's wait for bytes (the SDK then retries), {@code
     * DELTAPLANE_STORAGE_RETRIES} and {@code DELTAPLANE_STORAGE_RETRY_DELAY} how often and how soon it
     * does ({@link StorageRetries}).
     */
    public static AzureBlobStorage fromEnvironment(Map<String, String> env) {
        AzureClients clients = AzureClients.fromEnvironment(env);
        return new AzureBlobStorage(clients.forAccount(), clients.defaultAccount());
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
        return PartUpload.upload(content, new AzureBlobUpload(blob(at), true), blockSize);
    }

    /**
     * A small object in one conditional Put Blob, without the existence check first (see {@link
     * AzureBlobUpload#putSmallIfAbsent}); a larger one as {@link #putIfAbsent(String, Content)}.
     */
    @Override
    public boolean putIfAbsent(String path, byte[] content) throws IOException {
        ObjectLocation at = ObjectLocation.parse(path);
        if (content.length > blockSize) {
            return putIfAbsent(path, out -> out.write(content));
        }
        return AzureBlobUpload.putSmallIfAbsent(blob(at), path, content, blockSize);
    }

    @Override
    public void put(String path, Content content) throws IOException {
        putTagged(path, content);
    }

    /** The tag is the upload's mark (metadata {@code deltaplane_upload}). */
    @Override
    public Optional<String> putTagged(String path, Content content) throws IOException {
        AzureBlobUpload upload = new AzureBlobUpload(blob(ObjectLocation.parse(path)), false);
        PartUpload.upload(content, upload, blockSize);
        return Optional.of(upload.mark());
    }

    @Override
    public Optional<String> tag(String path) throws IOException {
        ObjectLocation at = ObjectLocation.parse(path);
        if (at.key().isEmpty()) {
            return Optional.empty();
        }
        return AzureBlobUpload.markOf(blob(at));
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
            if (AzureFailures.notFound(e)) {
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
            if (AzureFailures.notFound(e)) {
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
        return listing.files(directory, null);
    }

    /** List Blobs' {@code startFrom} (inclusive), so the listing begins at {@code from}. */
    @Override
    public List<StoredFile> filesFrom(String directory, String from) throws IOException {
        return listing.files(directory, from.isEmpty() ? null : from);
    }

    /** One flat listing of every blob under {@code directory}, ADLS Gen2 folders skipped. */
    @Override
    public List<StoredFile> filesUnder(String directory) throws IOException {
        return listing.filesUnder(directory);
    }

    /**
     * A blob SAS with read permission only, for this one blob, valid for {@code validFor}: signed
     * with the account key when the client has one (a connection string or {@code
     * AZURE_STORAGE_KEY}), else with a user delegation key (Microsoft Entra ID: workload identity,
     * managed identity), which needs the identity to hold a role that may request one.
     */
    @Override
    public Optional<URI> signedReadUrl(String path, Duration validFor) throws IOException {
        ObjectLocation at = ObjectLocation.parse(path);
        BlockBlobClient blob = blob(at);
        OffsetDateTime expiry = OffsetDateTime.now(ZoneOffset.UTC).plus(validFor);
        BlobServiceSasSignatureValues values =
                new BlobServiceSasSignatureValues(expiry, new BlobSasPermission().setReadPermission(true));
        try {
            String sas;
            try {
                sas = blob.generateSas(values);
            } catch (IllegalStateException noAccountKey) {
                // A token credential: sign with a user delegation key instead (one request).
                UserDelegationKey key =
                        serviceClient(account(at)).getUserDelegationKey(OffsetDateTime.now(ZoneOffset.UTC), expiry);
                sas = blob.generateUserDelegationSas(values, key);
            }
            return Optional.of(URI.create(blob.getBlobUrl() + "?" + sas));
        } catch (BlobStorageException e) {
            throw new IOException("Signing a read of " + path + " failed", e);
        } catch (RuntimeException e) {
            throw transportFailure("Signing a read of " + path + " failed", e);
        }
    }
}
