package io.deltaplane.storage;

import static java.util.Objects.requireNonNull;

import com.azure.storage.blob.BlobServiceClient;
import com.azure.storage.common.StorageSharedKeyCredential;
import com.azure.storage.common.sas.SasProtocol;
import com.azure.storage.file.datalake.DataLakeServiceClientBuilder;
import com.azure.storage.file.datalake.sas.DataLakeServiceSasSignatureValues;
import com.azure.storage.file.datalake.sas.PathSasPermission;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;

/**
 * Shared access signatures narrowed to one directory — a table's prefix — of an Azure Data Lake
 * Storage Gen2 account, as Unity Catalog's credential vending hands them to engines: a service SAS
 * for the directory ({@code sr=d}, with its depth), reading and listing, or also adding, creating,
 * writing, deleting and moving (Delta's Azure log store renames), over HTTPS only, signed locally
 * with the account key; nothing is sent to Azure to sign it. Signed with the key, a SAS cannot be
 * revoked before it expires short of rotating that key: keep the duration short.
 *
 * <p>Only an account with a hierarchical namespace takes a directory SAS: on a flat Blob account no
 * SAS narrower than a whole container exists, so none is vended ({@link Unvendable}). Whether an
 * account has one is asked once per account (Get Account Information), unless the operator says so.
 * The key is the one the storage layer uses ({@code AZURE_STORAGE_CONNECTION_STRING}'s {@code
 * AccountKey}, or {@code AZURE_STORAGE_ACCOUNT} with {@code AZURE_STORAGE_KEY}); an account reached
 * only through an identity has no key here, and no SAS is vended for it.
 */
public final class AzureDirectorySas {

    /** What an engine is given; {@link #toString()} never shows the token. */
    public record Vended(String sasToken, Instant expiration) {
        @Override
        public String toString() {
            return "Vended[expiration=" + expiration + "]";
        }
    }

    /** No SAS can be narrowed to the location: the caller's request, not a fault to retry. */
    public static final class Unvendable extends RuntimeException {
        Unvendable(String message) {
            super(message);
        }
    }

    private final Map<String, StorageSharedKeyCredential> keys;
    private final String defaultAccount;
    private final String endpointSuffix;
    private final Predicate<String> hierarchicalNamespace;
    private final Map<String, Boolean> namespaces = new ConcurrentHashMap<>();
    private final Duration duration;
    private final Clock clock;

    AzureDirectorySas(
            Map<String, StorageSharedKeyCredential> keys,
            String defaultAccount,
            String endpointSuffix,
            Predicate<String> hierarchicalNamespace,
            Duration duration,
            Clock clock) {
        this.keys = Map.copyOf(keys);
        this.defaultAccount = defaultAccount;
        this.endpointSuffix = requireNonNull(endpointSuffix, "endpointSuffix");
        this.hierarchicalNamespace = requireNonNull(hierarchicalNamespace, "hierarchicalNamespace");
        this.duration = requireNonNull(duration, "duration");
        this.clock = requireNonNull(clock, "clock");
    }

    /**
     * A vendor with the account keys {@code env} holds; {@code hierarchicalNamespace} is the
     * operator's word on whether the accounts have one, or empty to ask each account.
     */
    public static AzureDirectorySas fromEnvironment(
            Map<String, String> env, Duration duration, Optional<Boolean> hierarchicalNamespace, Clock clock) {
        Map<String, StorageSharedKeyCredential> keys = new HashMap<>();
        String account = blankToNull(env.get("AZURE_STORAGE_ACCOUNT"));
        String connectionString = blankToNull(env.get("AZURE_STORAGE_CONNECTION_STRING"));
        String defaultAccount = account;
        if (connectionString != null) {
            StorageSharedKeyCredential key = StorageSharedKeyCredential.fromConnectionString(connectionString);
            keys.put(key.getAccountName(), key);
            defaultAccount = account != null ? account : key.getAccountName();
        } else if (account != null && blankToNull(env.get("AZURE_STORAGE_KEY")) != null) {
            keys.put(account, new StorageSharedKeyCredential(account, env.get("AZURE_STORAGE_KEY")));
        }
        String suffix = Optional.ofNullable(blankToNull(env.get("AZURE_STORAGE_ENDPOINT_SUFFIX")))
                .orElse("core.windows.net");
        Predicate<String> namespace = hierarchicalNamespace
                .<Predicate<String>>map(given -> name -> given)
                .orElseGet(() -> {
                    AzureClients clients = AzureClients.fromEnvironment(env);
                    return name -> askAccount(clients.forAccount().apply(name));
                });
        return new AzureDirectorySas(keys, defaultAccount, suffix, namespace, duration, clock);
    }

    /**
     * A SAS for the directory {@code location} names (reading, or also writing), valid for the
     * configured duration from now.
     *
     * @throws Unvendable when no SAS can be narrowed to it: no key for its account, an account
     *     without a hierarchical namespace, or a whole container
     */
    public Vended vend(String location, boolean write) {
        ObjectLocation at = ObjectLocation.parse(location);
        String account = at.account().isEmpty() ? defaultAccount : at.account();
        if (account == null) {
            throw new Unvendable(location + " names no storage account and none is configured (AZURE_STORAGE_ACCOUNT)");
        }
        StorageSharedKeyCredential key = keys.get(account);
        if (key == null) {
            throw new Unvendable("Deltaplane signs a SAS with the account key, and holds none for account '" + account
                    + "' (AZURE_STORAGE_CONNECTION_STRING with its AccountKey, or AZURE_STORAGE_KEY)");
        }
        if (at.key().isEmpty()) {
            throw new Unvendable(location + " is a whole container: a SAS is vended for a table's directory only");
        }
        if (!namespaces.computeIfAbsent(account, hierarchicalNamespace::test)) {
            throw new Unvendable("storage account '" + account + "' has no hierarchical namespace (it is not ADLS"
                    + " Gen2): no SAS narrower than a whole container exists there");
        }
        PathSasPermission permissions =
                new PathSasPermission().setReadPermission(true).setListPermission(true);
        if (write) {
            permissions
                    .setAddPermission(true)
                    .setCreatePermission(true)
                    .setWritePermission(true)
                    .setDeletePermission(true)
                    .setMovePermission(true);
        }
        // Whole seconds: the SAS carries its expiry to the second.
        Instant expiry = clock.instant().plus(duration).truncatedTo(ChronoUnit.SECONDS);
        String token = new DataLakeServiceClientBuilder()
                .endpoint("https://" + account + ".dfs." + endpointSuffix)
                .credential(key)
                .buildClient()
                .getFileSystemClient(at.container())
                .getDirectoryClient(at.key())
                .generateSas(new DataLakeServiceSasSignatureValues(
                                OffsetDateTime.ofInstant(expiry, ZoneOffset.UTC), permissions)
                        .setProtocol(SasProtocol.HTTPS_ONLY));
        return new Vended(token, expiry);
    }

    private static boolean askAccount(BlobServiceClient client) {
        Boolean enabled = client.getAccountInfo().isHierarchicalNamespaceEnabled();
        return Boolean.TRUE.equals(enabled);
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }
}
