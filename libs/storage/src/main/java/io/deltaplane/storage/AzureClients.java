package io.deltaplane.storage;

import com.azure.core.http.HttpClient;
import com.azure.core.util.HttpClientOptions;
import com.azure.identity.DefaultAzureCredentialBuilder;
import com.azure.storage.blob.BlobServiceClient;
import com.azure.storage.blob.BlobServiceClientBuilder;
import com.azure.storage.common.StorageSharedKeyCredential;
import com.azure.storage.common.policy.RequestRetryOptions;
import com.azure.storage.common.policy.RetryPolicyType;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * Builds the Blob service clients {@link AzureBlobStorage#fromEnvironment} describes from the
 * environment: how each account's client authenticates, and the account of {@code az://} locations.
 *
 * @param forAccount the service client for an account name (built on each call)
 * @param defaultAccount the account of {@code az://} locations; null when none is configured
 */
record AzureClients(Function<String, BlobServiceClient> forAccount, String defaultAccount) {

    // The SDK's own defaults (RequestRetryOptions), kept for whichever of the two is not set.
    private static final int AZURE_TRIES = 4;
    private static final Duration AZURE_RETRY_DELAY = Duration.ofSeconds(4);
    private static final Duration AZURE_MAX_RETRY_DELAY = Duration.ofMinutes(2);

    /** See {@link AzureBlobStorage#fromEnvironment} for the variables read and what each selects. */
    static AzureClients fromEnvironment(Map<String, String> env) {
        Shared clients = new Shared(
                httpClient(StorageTimeout.from(env)), retryOptions(StorageRetries.from(env)), identityConfigured(env));
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
            return new AzureClients(
                    name -> name.equals(csAccount) ? shared : clients.withToken(name, suffix), defaultAccount);
        }
        if (account != null && key != null) {
            StorageSharedKeyCredential credential = new StorageSharedKeyCredential(account, key);
            return new AzureClients(
                    name -> name.equals(account)
                            ? clients.builder()
                                    .endpoint(endpoint(name, suffix))
                                    .credential(credential)
                                    .buildClient()
                            : clients.withToken(name, suffix),
                    account);
        }
        return new AzureClients(name -> clients.withToken(name, suffix), account);
    }

    /**
     * Variables by which an operator names an Azure identity for {@code DefaultAzureCredential}: an
     * account to use it for, a service principal or workload identity, a managed identity endpoint.
     * Without any, the platform asks no identity service — not the instance metadata service
     * (169.254.169.254) that the credential's managed identity step would try on any machine.
     */
    static final java.util.List<String> IDENTITY_VARIABLES = java.util.List.of(
            "AZURE_STORAGE_ACCOUNT",
            "AZURE_CLIENT_ID",
            "AZURE_TENANT_ID",
            "AZURE_FEDERATED_TOKEN_FILE",
            "IDENTITY_ENDPOINT",
            "MSI_ENDPOINT");

    static boolean identityConfigured(Map<String, String> env) {
        return IDENTITY_VARIABLES.stream().anyMatch(name -> blankToNull(env.get(name)) != null);
    }

    /**
     * What every client of this storage shares: the HTTP client with its timeouts, the retry policy,
     * and whether an account without a key of its own may use {@code DefaultAzureCredential}.
     */
    private record Shared(HttpClient http, RequestRetryOptions retries, boolean identity) {

        BlobServiceClientBuilder builder() {
            return new BlobServiceClientBuilder().httpClient(http).retryOptions(retries);
        }

        /** An account other than the configured one's, by {@code DefaultAzureCredential}. */
        BlobServiceClient withToken(String account, String suffix) {
            if (!identity) {
                throw new IllegalStateException("No Azure credentials for storage account '" + account
                        + "': set AZURE_STORAGE_CONNECTION_STRING, AZURE_STORAGE_ACCOUNT with AZURE_STORAGE_KEY,"
                        + " or an identity (" + String.join(", ", IDENTITY_VARIABLES) + "); the platform does not"
                        + " ask the instance metadata service on its own");
            }
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
