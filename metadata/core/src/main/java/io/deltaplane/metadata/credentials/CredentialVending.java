package io.deltaplane.metadata.credentials;

import static java.util.Objects.requireNonNull;

import io.deltaplane.metadata.table.TableLocations;
import io.deltaplane.storage.AzureDirectorySas;
import io.deltaplane.storage.S3TemporaryCredentials;
import io.deltaplane.storage.Storages;
import io.deltaplane.support.problem.ApiException;
import io.deltaplane.support.problem.ErrorCode;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.env.Environment;
import org.springframework.stereotype.Component;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkException;

/**
 * Temporary storage credentials for one location, in Unity Catalog's {@code TemporaryCredentials}
 * shape or the Delta REST API's {@code storage-credentials}, for a caller already authorized for
 * it. S3: the operator's role assumed through STS with a session policy narrowed to the location
 * ({@link S3TemporaryCredentials}). Azure: a SAS for the location's directory, signed with the
 * account key ({@link AzureDirectorySas}; ADLS Gen2 accounts only). A local path needs none
 * (engines use the path): it, and any location no credential can be narrowed to, answers a 4xx
 * saying what to do instead.
 */
@Component
public class CredentialVending {

    private static final Logger log = LoggerFactory.getLogger(CredentialVending.class);

    /** STS's answers that no retry changes: the policy is too large or refused, the duration too long. */
    private static final java.util.Set<String> UNVENDABLE =
            java.util.Set.of("ValidationError", "PackedPolicyTooLarge", "MalformedPolicyDocument");

    private final CredentialVendingProperties properties;
    private final Map<String, String> environment;
    private final Clock clock;
    private volatile S3TemporaryCredentials s3;
    private volatile AzureDirectorySas azure;

    public CredentialVending(CredentialVendingProperties properties, Environment environment, Clock clock) {
        this.properties = requireNonNull(properties, "properties");
        this.environment = Storages.variables(environment::getProperty);
        this.clock = requireNonNull(clock, "clock");
    }

    /**
     * What was vended for a location: the fields of Unity Catalog's answer that carry it, the Delta
     * API's storage-credential {@code config}, and when it expires.
     */
    private record Issued(Map<String, Object> unity, Map<String, Object> delta, Instant expiration) {}

    /**
     * Unity Catalog's {@code TemporaryCredentials} for {@code location}: reading, or reading and
     * writing; {@code caller} names the session.
     */
    public Map<String, Object> unity(String location, boolean write, String caller) {
        Issued issued = issue(location, write, caller);
        Map<String, Object> answer = new LinkedHashMap<>(issued.unity());
        answer.put("expiration_time", issued.expiration().toEpochMilli());
        answer.put("url", location);
        return answer;
    }

    /** The Delta REST API's credentials for {@code location}: one storage credential for its prefix. */
    public Map<String, Object> delta(String location, boolean write, String caller) {
        Issued issued = issue(location, write, caller);
        Map<String, Object> credential = new LinkedHashMap<>();
        credential.put("prefix", location);
        credential.put("operation", write ? "READ_WRITE" : "READ");
        credential.put("config", issued.delta());
        credential.put("expiration-time-ms", issued.expiration().toEpochMilli());
        return Map.of("storage-credentials", List.of(credential));
    }

    /**
     * The Iceberg REST catalog's {@code storage-credentials} for {@code location}: one for its
     * prefix, in the properties Iceberg's FileIOs read ({@code s3.*} for S3FileIO, {@code
     * adls.sas-token.<account host>} for ADLSFileIO), with when they expire.
     */
    public Map<String, Object> iceberg(String location, boolean write, String caller) {
        Issued issued = issue(location, write, caller);
        Map<String, Object> config = new LinkedHashMap<>();
        long expires = issued.expiration().toEpochMilli();
        if (Storages.isAzure(location)) {
            String host = azureHost(location);
            config.put("adls.sas-token." + host, issued.delta().get("azure.sas-token"));
            config.put("adls.sas-token-expires-at-ms." + host, Long.toString(expires));
        } else {
            config.putAll(issued.delta());
            config.put("s3.session-token-expires-at-ms", Long.toString(expires));
        }
        Map<String, Object> credential = new LinkedHashMap<>();
        credential.put("prefix", location);
        credential.put("config", config);
        return Map.of("storage-credentials", List.of(credential));
    }

    /** {@code account.dfs.core.windows.net} of {@code abfss://container@account.dfs.core.windows.net/path}. */
    static String azureHost(String location) {
        java.net.URI uri = java.net.URI.create(location);
        String authority = uri.getRawAuthority() == null ? "" : uri.getRawAuthority();
        return authority.substring(authority.indexOf('@') + 1);
    }

    private Issued issue(String location, boolean write, String caller) {
        if (Storages.isAzure(location)) {
            AzureDirectorySas.Vended sas = vendAzure(location, write);
            return new Issued(
                    Map.of("azure_user_delegation_sas", Map.of("sas_token", sas.sasToken())),
                    Map.of("azure.sas-token", sas.sasToken()),
                    sas.expiration());
        }
        S3TemporaryCredentials.Vended vended = vend(location, write, caller);
        Map<String, Object> aws = new LinkedHashMap<>();
        aws.put("access_key_id", vended.accessKeyId());
        aws.put("secret_access_key", vended.secretAccessKey());
        aws.put("session_token", vended.sessionToken());
        Map<String, Object> config = new LinkedHashMap<>();
        config.put("s3.access-key-id", vended.accessKeyId());
        config.put("s3.secret-access-key", vended.secretAccessKey());
        config.put("s3.session-token", vended.sessionToken());
        return new Issued(Map.of("aws_temp_credentials", aws), config, vended.expiration());
    }

    private AzureDirectorySas.Vended vendAzure(String location, boolean write) {
        try {
            return azure().vend(location, write);
        } catch (AzureDirectorySas.Unvendable e) {
            throw new ApiException(
                    ErrorCode.UNSUPPORTED_LOCATION,
                    "no credentials are vended for " + location + ": " + e.getMessage() + "; give the engine its"
                            + " own storage credentials scoped to that prefix, and set credentialVending.enabled=false");
        } catch (com.azure.core.exception.AzureException | java.io.UncheckedIOException e) {
            // Asking the account whether it is ADLS Gen2 failed: the store's to answer, the caller's to retry.
            log.warn("Could not vend a SAS for {}: {}", location, e.toString());
            throw new ApiException(
                    ErrorCode.SERVICE_UNAVAILABLE,
                    "the storage account did not answer whether it can take a SAS for " + location
                            + "; try again later");
        }
    }

    private S3TemporaryCredentials.Vended vend(String location, boolean write, String caller) {
        if (!TableLocations.isObjectStore(location)) {
            throw new ApiException(
                    ErrorCode.UNSUPPORTED_LOCATION,
                    location + " is on the local file system: engines read and write the path directly, and no"
                            + " credentials are vended for it (Delta's clients skip vending for file: paths; set"
                            + " credentialVending.enabled=false for others)");
        }
        if (properties.s3RoleArn() == null) {
            throw new ApiException(
                    ErrorCode.UNSUPPORTED_LOCATION,
                    "no credentials are vended for " + location + ": the operator has named no IAM role to"
                            + " narrow to a table (DELTAPLANE_CREDENTIALS_S3_ROLE_ARN); give the engine its own"
                            + " storage credentials scoped to that prefix, and set credentialVending.enabled=false");
        }
        try {
            return s3().vend(location, write, caller);
        } catch (AwsServiceException e) {
            String code =
                    e.awsErrorDetails() == null ? null : e.awsErrorDetails().errorCode();
            log.warn("STS refused to vend credentials for {}: {}", location, e.toString());
            if (code != null && UNVENDABLE.contains(code)) {
                // no retry changes it: the session policy for this prefix, or the duration, is refused
                throw new ApiException(
                        ErrorCode.UNSUPPORTED_LOCATION,
                        "STS will not vend credentials for " + location + " (" + code + "): give the engine its own"
                                + " storage credentials for that prefix, and set credentialVending.enabled=false");
            }
            throw new ApiException(
                    ErrorCode.SERVICE_UNAVAILABLE,
                    "the storage credentials service (STS) did not vend credentials for " + location
                            + (code == null ? "" : " (" + code + ")") + "; try again later");
        } catch (SdkException e) {
            // The role's trust, STS being unreachable: the operator's to fix, the caller's to retry.
            log.warn("STS refused or failed to vend credentials for {}: {}", location, e.toString());
            throw new ApiException(
                    ErrorCode.SERVICE_UNAVAILABLE,
                    "the storage credentials service (STS) did not vend credentials for " + location
                            + "; try again later");
        }
    }

    private AzureDirectorySas azure() {
        AzureDirectorySas vendor = azure;
        if (vendor == null) {
            synchronized (this) {
                vendor = azure;
                if (vendor == null) {
                    vendor = AzureDirectorySas.fromEnvironment(
                            environment,
                            properties.duration(),
                            Optional.ofNullable(properties.azureHierarchicalNamespace()),
                            clock);
                    azure = vendor;
                }
            }
        }
        return vendor;
    }

    private S3TemporaryCredentials s3() {
        S3TemporaryCredentials client = s3;
        if (client == null) {
            synchronized (this) {
                client = s3;
                if (client == null) {
                    client = S3TemporaryCredentials.fromEnvironment(
                            environment, properties.s3RoleArn(), properties.duration());
                    s3 = client;
                }
            }
        }
        return client;
    }
}
