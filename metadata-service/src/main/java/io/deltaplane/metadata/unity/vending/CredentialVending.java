package io.deltaplane.metadata.unity.vending;

import static java.util.Objects.requireNonNull;

import io.deltaplane.metadata.table.TableLocations;
import io.deltaplane.storage.S3TemporaryCredentials;
import io.deltaplane.storage.Storages;
import io.deltaplane.support.problem.ApiException;
import io.deltaplane.support.problem.ErrorCode;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.env.Environment;
import org.springframework.stereotype.Component;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkException;

/**
 * Temporary storage credentials for one location, in Unity Catalog's {@code TemporaryCredentials}
 * shape or the Delta REST API's {@code storage-credentials}, for a caller already authorized for it. S3: the operator's role assumed through STS with a
 * session policy narrowed to the location ({@link S3TemporaryCredentials}). A local path needs none
 * (engines use the path); Azure is not vended (a SAS scoped to a directory needs a hierarchical
 * namespace account): both answer a 4xx saying what to do instead.
 */
@Component
public class CredentialVending {

    private static final Logger log = LoggerFactory.getLogger(CredentialVending.class);

    /** STS's answers that no retry changes: the policy is too large or refused, the duration too long. */
    private static final java.util.Set<String> UNVENDABLE =
            java.util.Set.of("ValidationError", "PackedPolicyTooLarge", "MalformedPolicyDocument");

    private final CredentialVendingProperties properties;
    private final Map<String, String> environment;
    private volatile S3TemporaryCredentials s3;

    public CredentialVending(CredentialVendingProperties properties, Environment environment) {
        this.properties = requireNonNull(properties, "properties");
        this.environment = Storages.variables(environment::getProperty);
    }

    /**
     * Unity Catalog's {@code TemporaryCredentials} for {@code location}: reading, or reading and
     * writing; {@code caller} names the session.
     */
    public Map<String, Object> unity(String location, boolean write, String caller) {
        S3TemporaryCredentials.Vended vended = vend(location, write, caller);
        Map<String, Object> aws = new LinkedHashMap<>();
        aws.put("access_key_id", vended.accessKeyId());
        aws.put("secret_access_key", vended.secretAccessKey());
        aws.put("session_token", vended.sessionToken());
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("aws_temp_credentials", aws);
        answer.put("expiration_time", vended.expiration().toEpochMilli());
        answer.put("url", location);
        return answer;
    }

    /** The Delta REST API's credentials for {@code location}: one storage credential for its prefix. */
    public Map<String, Object> delta(String location, boolean write, String caller) {
        S3TemporaryCredentials.Vended vended = vend(location, write, caller);
        Map<String, Object> config = new LinkedHashMap<>();
        config.put("s3.access-key-id", vended.accessKeyId());
        config.put("s3.secret-access-key", vended.secretAccessKey());
        config.put("s3.session-token", vended.sessionToken());
        Map<String, Object> credential = new LinkedHashMap<>();
        credential.put("prefix", location);
        credential.put("operation", write ? "READ_WRITE" : "READ");
        credential.put("config", config);
        credential.put("expiration-time-ms", vended.expiration().toEpochMilli());
        return Map.of("storage-credentials", List.of(credential));
    }

    private S3TemporaryCredentials.Vended vend(String location, boolean write, String caller) {
        if (!TableLocations.isObjectStore(location)) {
            throw new ApiException(
                    ErrorCode.UNSUPPORTED_LOCATION,
                    location + " is on the local file system: engines read and write the path directly, and no"
                            + " credentials are vended for it (Delta's clients skip vending for file: paths; set"
                            + " credentialVending.enabled=false for others)");
        }
        if (!location.startsWith("s3://") && !location.startsWith("s3a://")) {
            throw new ApiException(
                    ErrorCode.UNSUPPORTED_LOCATION,
                    "Deltaplane does not vend temporary credentials for " + location + " (Azure): give the engine"
                            + " its own storage credentials scoped to that prefix, and set"
                            + " credentialVending.enabled=false in its Unity Catalog settings");
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
