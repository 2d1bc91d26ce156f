package io.deltaplane.metadata.storagecredentials;

/**
 * Which cloud identity a storage credential names: exactly one of three shapes, as Unity Catalog
 * (AWS) and Databricks (Azure) take them. Values read back from the catalog never carry the Azure
 * client secret's reference: it is written, never read out.
 */
public sealed interface StorageIdentity {

    /** The kind, as stored ({@code aws_iam_role}, ...) and as the wire's field is named. */
    String kind();

    /**
     * An AWS IAM role; {@code externalId} is the catalog's (a new one for each role ARN, as UC makes
     * it), for the role's trust policy.
     */
    record AwsIamRole(String roleArn, String externalId) implements StorageIdentity {
        @Override
        public String kind() {
            return "aws_iam_role";
        }
    }

    /**
     * An Azure service principal. {@code clientSecretReference} names a secret the operator
     * provides ({@code DELTAPLANE_SECRET_*}); null on everything read back.
     */
    record AzureServicePrincipal(String directoryId, String applicationId, String clientSecretReference)
            implements StorageIdentity {
        @Override
        public String kind() {
            return "azure_service_principal";
        }

        /** Never prints the reference (a record's default would). */
        @Override
        public String toString() {
            return "AzureServicePrincipal[directoryId=" + directoryId + ", applicationId=" + applicationId + "]";
        }
    }

    /** An Azure managed identity, through a Databricks-style access connector. */
    record AzureManagedIdentity(String accessConnectorId, String managedIdentityId) implements StorageIdentity {
        @Override
        public String kind() {
            return "azure_managed_identity";
        }
    }
}
