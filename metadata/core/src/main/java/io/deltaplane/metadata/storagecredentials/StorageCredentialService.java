package io.deltaplane.metadata.storagecredentials;

import static java.util.Objects.requireNonNull;

import io.deltaplane.metadata.credentials.CredentialVendingProperties;
import io.deltaplane.metadata.storagecredentials.StorageIdentity.AwsIamRole;
import io.deltaplane.metadata.storagecredentials.StorageIdentity.AzureManagedIdentity;
import io.deltaplane.metadata.storagecredentials.StorageIdentity.AzureServicePrincipal;
import io.deltaplane.support.access.AccessControl;
import io.deltaplane.support.access.GrantStore;
import io.deltaplane.support.access.Privilege;
import io.deltaplane.support.access.Securable;
import io.deltaplane.support.access.SecurableType;
import io.deltaplane.support.names.Names;
import io.deltaplane.support.paging.Page;
import io.deltaplane.support.paging.PageTokens;
import io.deltaplane.support.problem.ApiException;
import io.deltaplane.support.problem.ErrorCode;
import java.time.Clock;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.UUID;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Storage credentials, Unity Catalog's securable for cloud identities: who may record, see, change
 * and delete one, and which external locations may name it. Recorded and governed, not used to
 * sign: vending keeps the platform's own identity. An Azure client secret is taken only as a
 * reference the operator allows ({@link CredentialSecrets}); a value is refused without being
 * echoed, and no answer, log line or audit row carries either.
 */
@Service
public class StorageCredentialService {

    static final String STORAGE = "STORAGE";
    static final String SHAPES = "aws_iam_role, azure_service_principal or azure_managed_identity";

    private final StorageCredentialRepository repository;
    private final CredentialSecrets secrets;
    private final CredentialVendingProperties vending;
    private final AccessControl access;
    private final GrantStore grants;
    private final Clock clock;

    StorageCredentialService(
            StorageCredentialRepository repository,
            CredentialSecrets secrets,
            CredentialVendingProperties vending,
            AccessControl access,
            GrantStore grants,
            Clock clock) {
        this.repository = requireNonNull(repository, "repository");
        this.secrets = requireNonNull(secrets, "secrets");
        this.vending = requireNonNull(vending, "vending");
        this.access = requireNonNull(access, "access");
        this.grants = requireNonNull(grants, "grants");
        this.clock = requireNonNull(clock, "clock");
    }

    /**
     * Needs CREATE_STORAGE_CREDENTIAL on the metastore; exactly one of {@code shapes} (the others
     * null); the caller owns the new credential. Only STORAGE credentials are served.
     */
    @Transactional
    public StorageCredential create(String name, String comment, String purpose, StorageIdentity... shapes) {
        access.require(Securable.metastore(), Privilege.CREATE_STORAGE_CREDENTIAL);
        String checkedName = Names.part("credential", name);
        String checkedPurpose = purpose(purpose);
        StorageIdentity identity = checked(exactlyOne(shapes), null);
        repository.insert(
                UUID.randomUUID(),
                checkedName,
                checkedPurpose,
                identity,
                comment,
                access.caller().principal(),
                clock.instant());
        access.makeCallerOwner(Securable.credential(checkedName));
        return repository.require(checkedName);
    }

    /**
     * The credentials the caller owns or holds a privilege on (all of them for a metastore admin or
     * a holder of MANAGE on the metastore), of {@code purpose} when given.
     */
    public Page<StorageCredential> list(String pageToken, String purpose, int limit) {
        String only = purpose == null || purpose.isEmpty() ? null : purpose(purpose);
        String[] names = access.visibleChildNames(Securable.metastore(), SecurableType.CREDENTIAL, Privilege.MANAGE);
        return Page.of(
                repository.page(PageTokens.decode(pageToken), only, names, limit + 1), limit, StorageCredential::name);
    }

    /** Needs a privilege on it, ownership or MANAGE (as UC: a privilege on the metastore is not one on it). */
    public StorageCredential get(String name) {
        Securable securable = securable(name);
        requireReader(securable);
        return repository.require(securable.fullName());
    }

    /**
     * Who may read a credential's metadata and grants: its owner, a holder of MANAGE or of a privilege
     * on it — or of SELECT on the metastore, a metastore-wide reader (a read-scope key), as for
     * external locations. Nothing read here is a secret.
     */
    public void requireReader(Securable securable) {
        if (access.holdsItself(securable, Privilege.CREATE_EXTERNAL_LOCATION)
                || access.allows(Securable.metastore(), Privilege.SELECT)) {
            return;
        }
        access.requireManage(securable);
    }

    /**
     * A new name (its grants follow it, and the external locations naming it), comment, identity
     * (one shape; while an external location names the credential, only with {@code force}), then
     * owner; null leaves each as it is. Needs ownership or MANAGE. {@code skipValidation} is taken
     * and changes nothing: no identity is tried against its cloud.
     */
    @Transactional
    public StorageCredential update(
            String name, String newName, String comment, String owner, boolean force, StorageIdentity... shapes) {
        Securable securable = securable(name);
        access.requireManage(securable);
        StorageCredential current = repository.require(securable.fullName());
        String renamed = newName == null || newName.isEmpty() ? current.name() : Names.part("credential", newName);
        if (Arrays.stream(shapes).anyMatch(Objects::nonNull)) {
            StorageIdentity identity = checked(exactlyOne(shapes), current.identity());
            if (!force) {
                repository.namedBy(current.name()).ifPresent(location -> {
                    throw ApiException.badRequest(
                            ErrorCode.VALIDATION_FAILED,
                            "Credential still used by external location '" + location
                                    + "': change its identity with force=true, or name another credential there.");
                });
            }
            repository.updateIdentity(current.name(), identity);
        }
        repository.update(
                current.name(),
                renamed,
                comment != null ? comment : current.comment(),
                access.caller().principal(),
                clock.instant());
        if (!renamed.equals(current.name())) {
            grants.rename(securable, Securable.credential(renamed).fullName());
            access.invalidate();
        }
        if (owner != null) {
            access.transferOwnership(Securable.credential(renamed), owner);
        }
        return repository.require(renamed);
    }

    /**
     * Needs ownership or MANAGE; refused (400, as UC) while an external location names it, unless
     * {@code force} (the location then names none). Its grants go with it.
     */
    @Transactional
    public void delete(String name, boolean force) {
        Securable securable = securable(name);
        access.requireManage(securable);
        repository.require(securable.fullName());
        if (!force) {
            repository.namedBy(securable.fullName()).ifPresent(location -> {
                throw ApiException.badRequest(
                        ErrorCode.VALIDATION_FAILED,
                        "Credential still used by external location '" + location + "'; delete it first, or force.");
            });
        }
        repository.delete(securable.fullName());
        grants.forget(securable);
        access.invalidate();
    }

    /**
     * The credential an external location may name: 404 unless it exists; a caller who is not a
     * metastore admin must own it or hold CREATE_EXTERNAL_LOCATION on it (UC's rule, besides the
     * one on the metastore that registering a location needs).
     */
    public StorageCredential requireNameable(String name) {
        Securable securable = securable(name);
        StorageCredential credential = repository.require(securable.fullName());
        if (!access.isMetastoreAdmin(access.caller())
                && !access.holdsItself(securable, Privilege.CREATE_EXTERNAL_LOCATION)) {
            throw new ApiException(
                    ErrorCode.FORBIDDEN,
                    "Principal '" + access.caller().principal() + "' lacks CREATE_EXTERNAL_LOCATION on " + securable
                            + ".");
        }
        return credential;
    }

    /** 404 unless it exists (the permissions API on {@code credential}). */
    public void requireExists(String name) {
        repository.require(name);
    }

    /** The platform's own AWS role (what UC answers as {@code unity_catalog_iam_arn}), or null. */
    public String platformRoleArn() {
        return vending.s3RoleArn();
    }

    private static Securable securable(String name) {
        return Securable.credential(Names.part("credential", name));
    }

    /** STORAGE (the default); SERVICE is refused: only storage credentials are served. */
    static String purpose(String purpose) {
        if (purpose == null || purpose.isEmpty() || purpose.equals(STORAGE)) {
            return STORAGE;
        }
        if (purpose.equals("SERVICE")) {
            throw ApiException.badRequest(
                    ErrorCode.VALIDATION_FAILED,
                    "purpose: only STORAGE credentials are served (SERVICE credentials are not).");
        }
        throw ApiException.badRequest(ErrorCode.VALIDATION_FAILED, "purpose must be STORAGE.");
    }

    private static StorageIdentity exactlyOne(StorageIdentity... shapes) {
        List<StorageIdentity> given =
                Arrays.stream(shapes).filter(Objects::nonNull).toList();
        if (given.size() != 1) {
            throw ApiException.badRequest(ErrorCode.VALIDATION_FAILED, "give exactly one of " + SHAPES + ".");
        }
        return given.get(0);
    }

    /** The shape with its required fields checked; an AWS role keeps its external id while its ARN stays. */
    private StorageIdentity checked(StorageIdentity identity, StorageIdentity current) {
        if (identity instanceof AwsIamRole aws) {
            String arn = required("aws_iam_role.role_arn", aws.roleArn());
            if (!arn.startsWith("arn:") || !arn.contains(":role/")) {
                throw ApiException.badRequest(
                        ErrorCode.VALIDATION_FAILED,
                        "aws_iam_role.role_arn must be an IAM role's ARN (arn:aws:iam::<account>:role/<name>).");
            }
            String externalId =
                    current instanceof AwsIamRole before && before.roleArn().equals(arn)
                            ? before.externalId()
                            : UUID.randomUUID().toString();
            return new AwsIamRole(arn, externalId);
        }
        if (identity instanceof AzureServicePrincipal sp) {
            String reference = sp.clientSecretReference();
            if (reference == null || reference.isBlank()) {
                throw ApiException.badRequest(
                        ErrorCode.VALIDATION_FAILED,
                        "azure_service_principal.client_secret is required: name a secret the operator provides ("
                                + secrets.rule() + ").");
            }
            if (!secrets.allowed(reference)) {
                // never echo it: it may be the secret itself
                throw ApiException.badRequest(
                        ErrorCode.VALIDATION_FAILED,
                        "azure_service_principal.client_secret takes a reference, never the secret itself: name a"
                                + " secret the operator provides (" + secrets.rule()
                                + "), e.g. DELTAPLANE_SECRET_AZURE_SP.");
            }
            return new AzureServicePrincipal(
                    required("azure_service_principal.directory_id", sp.directoryId()),
                    required("azure_service_principal.application_id", sp.applicationId()),
                    reference);
        }
        AzureManagedIdentity mi = (AzureManagedIdentity) identity;
        return new AzureManagedIdentity(
                required("azure_managed_identity.access_connector_id", mi.accessConnectorId()),
                mi.managedIdentityId() == null || mi.managedIdentityId().isBlank() ? null : mi.managedIdentityId());
    }

    private static String required(String field, String value) {
        if (value == null || value.isBlank()) {
            throw ApiException.badRequest(ErrorCode.VALIDATION_FAILED, field + " is required.");
        }
        return value.strip();
    }
}
