package io.deltaplane.metadata.unity;

import static java.util.Objects.requireNonNull;

import io.deltaplane.metadata.storagecredentials.StorageCredential;
import io.deltaplane.metadata.storagecredentials.StorageCredentialService;
import io.deltaplane.metadata.storagecredentials.StorageIdentity;
import io.deltaplane.support.paging.Page;
import java.util.List;
import java.util.Map;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * Unity Catalog's storage credentials ({@code /credentials}), mapped onto {@link
 * StorageCredentialService}, which decides who may do what. UC's AWS IAM role, and Databricks'
 * Azure service principal and managed identity; the service principal's {@code client_secret} is
 * taken as a reference and never answered.
 */
@RestController
@RequestMapping(UnityCatalogApi.BASE + "/credentials")
public class UnityCredentialsController {

    public record AwsIamRoleRequest(String roleArn) {}

    /** {@code client_secret}: a reference ({@code DELTAPLANE_SECRET_*}), write-only. */
    public record AzureServicePrincipal(String directoryId, String applicationId, String clientSecret) {
        /** Never prints the secret's reference (a record's default would). */
        @Override
        public String toString() {
            return "AzureServicePrincipal[directoryId=" + directoryId + ", applicationId=" + applicationId + "]";
        }
    }

    public record AzureManagedIdentity(String accessConnectorId, String managedIdentityId) {}

    public record CreateCredentialRequest(
            String name,
            String comment,
            String purpose,
            AwsIamRoleRequest awsIamRole,
            AzureServicePrincipal azureServicePrincipal,
            AzureManagedIdentity azureManagedIdentity,
            Boolean skipValidation) {}

    public record UpdateCredentialRequest(
            String newName,
            String comment,
            String owner,
            AwsIamRoleRequest awsIamRole,
            AzureServicePrincipal azureServicePrincipal,
            AzureManagedIdentity azureManagedIdentity,
            Boolean skipValidation,
            Boolean force) {}

    public record AwsIamRoleResponse(String roleArn, String externalId, String unityCatalogIamArn) {}

    /** The service principal as answered: without its client secret. */
    public record AzureServicePrincipalInfo(String directoryId, String applicationId) {}

    public record CredentialInfo(
            String name,
            AwsIamRoleResponse awsIamRole,
            AzureServicePrincipalInfo azureServicePrincipal,
            AzureManagedIdentity azureManagedIdentity,
            String comment,
            String owner,
            String fullName,
            String id,
            Long createdAt,
            String createdBy,
            Long updatedAt,
            String updatedBy,
            String purpose) {}

    public record ListCredentialsResponse(List<CredentialInfo> credentials, String nextPageToken) {}

    private final StorageCredentialService credentials;

    public UnityCredentialsController(StorageCredentialService credentials) {
        this.credentials = requireNonNull(credentials, "credentials");
    }

    /** Needs CREATE_STORAGE_CREDENTIAL on the metastore; the caller owns it. */
    @PostMapping
    public CredentialInfo create(@RequestBody CreateCredentialRequest request) {
        return info(credentials.create(
                request.name(),
                request.comment(),
                request.purpose(),
                aws(request.awsIamRole()),
                servicePrincipal(request.azureServicePrincipal()),
                managedIdentity(request.azureManagedIdentity())));
    }

    /** The credentials the caller owns or holds a privilege on (all, for a metastore admin), in name order. */
    @GetMapping
    public ListCredentialsResponse list(
            @RequestParam(name = "max_results", required = false) Integer maxResults,
            @RequestParam(name = "page_token", required = false) String pageToken,
            @RequestParam(name = "purpose", required = false) String purpose) {
        Page<CredentialInfo> page = credentials
                .list(pageToken, purpose, UnityCatalogApi.pageSize(maxResults))
                .map(this::info);
        return new ListCredentialsResponse(page.items(), page.nextPageToken());
    }

    @GetMapping("/{name}")
    public CredentialInfo get(@PathVariable String name) {
        return info(credentials.get(name));
    }

    /** New name, comment, identity and owner; needs ownership or MANAGE. */
    @PatchMapping("/{name}")
    public CredentialInfo update(@PathVariable String name, @RequestBody UpdateCredentialRequest request) {
        return info(credentials.update(
                name,
                request.newName(),
                request.comment(),
                request.owner(),
                Boolean.TRUE.equals(request.force()),
                aws(request.awsIamRole()),
                servicePrincipal(request.azureServicePrincipal()),
                managedIdentity(request.azureManagedIdentity())));
    }

    /** UC answers 200 with an empty body; refused while an external location names it, unless force. */
    @DeleteMapping("/{name}")
    public Map<String, Object> delete(
            @PathVariable String name, @RequestParam(name = "force", required = false) Boolean force) {
        credentials.delete(name, Boolean.TRUE.equals(force));
        return Map.of();
    }

    private static StorageIdentity aws(AwsIamRoleRequest role) {
        return role == null ? null : new StorageIdentity.AwsIamRole(role.roleArn(), null);
    }

    private static StorageIdentity servicePrincipal(AzureServicePrincipal sp) {
        return sp == null
                ? null
                : new StorageIdentity.AzureServicePrincipal(sp.directoryId(), sp.applicationId(), sp.clientSecret());
    }

    private static StorageIdentity managedIdentity(AzureManagedIdentity mi) {
        return mi == null
                ? null
                : new StorageIdentity.AzureManagedIdentity(mi.accessConnectorId(), mi.managedIdentityId());
    }

    private CredentialInfo info(StorageCredential credential) {
        StorageIdentity identity = credential.identity();
        return new CredentialInfo(
                credential.name(),
                identity instanceof StorageIdentity.AwsIamRole aws
                        ? new AwsIamRoleResponse(aws.roleArn(), aws.externalId(), credentials.platformRoleArn())
                        : null,
                identity instanceof StorageIdentity.AzureServicePrincipal sp
                        ? new AzureServicePrincipalInfo(sp.directoryId(), sp.applicationId())
                        : null,
                identity instanceof StorageIdentity.AzureManagedIdentity mi
                        ? new AzureManagedIdentity(mi.accessConnectorId(), mi.managedIdentityId())
                        : null,
                credential.comment(),
                credential.owner(),
                credential.name(),
                credential.id().toString(),
                UnityCatalogApi.millis(credential.createdAt()),
                credential.createdBy(),
                UnityCatalogApi.millis(credential.updatedAt()),
                credential.updatedBy(),
                credential.purpose());
    }
}
