package io.deltaplane.metadata.credentials;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Credential vending ({@code deltaplane.credentials.*}).
 *
 * @param s3RoleArn the IAM role whose session, narrowed to a table's prefix, engines are given for
 *     tables on S3 ({@code DELTAPLANE_CREDENTIALS_S3_ROLE_ARN}); empty: none vended for S3, and the
 *     answer says to set it
 * @param duration how long vended credentials last ({@code DELTAPLANE_CREDENTIALS_DURATION}, 15
 *     minutes to 12 hours and at most the role's maximum session; default 1 hour)
 * @param azureHierarchicalNamespace whether the Azure storage accounts are ADLS Gen2 (have a
 *     hierarchical namespace, which a directory SAS needs) — {@code
 *     DELTAPLANE_CREDENTIALS_AZURE_HIERARCHICAL_NAMESPACE}; unset: each account is asked once
 */
@ConfigurationProperties("deltaplane.credentials")
public record CredentialVendingProperties(
        String s3RoleArn, @DefaultValue("1h") Duration duration, Boolean azureHierarchicalNamespace) {

    public CredentialVendingProperties {
        s3RoleArn = s3RoleArn == null || s3RoleArn.isBlank() ? null : s3RoleArn.strip();
        if (duration.compareTo(Duration.ofMinutes(15)) < 0 || duration.compareTo(Duration.ofHours(12)) > 0) {
            throw new IllegalArgumentException(
                    "deltaplane.credentials.duration (DELTAPLANE_CREDENTIALS_DURATION) is 15m to 12h, got " + duration);
        }
    }
}
