package io.deltaplane.metadata.locations;

import static java.util.Objects.requireNonNull;

import io.deltaplane.metadata.storagecredentials.StorageCredential;
import io.deltaplane.metadata.storagecredentials.StorageCredentialService;
import io.deltaplane.metadata.table.StorageRoots;
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
import java.util.UUID;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * External locations, Unity Catalog's securable for storage: a prefix under the operator's storage
 * roots, registered by whoever holds {@code CREATE_EXTERNAL_LOCATION} on the metastore (a metastore
 * admin), whose grantees may register EXTERNAL tables ({@code CREATE_EXTERNAL_TABLE}) or catalog
 * storage roots ({@code CREATE_MANAGED_STORAGE}) under it — {@link StorageRoots} enforces that where
 * a location is claimed. Locations do not overlap, so a prefix has one set of grantees. A location
 * may name a storage credential ({@link StorageCredentialService}): recorded and governed, while
 * vending keeps the platform's own identity.
 */
@Service
public class ExternalLocationService {

    /** Who may read a location's metadata and grants. */
    public static final Privilege[] READERS = {
        Privilege.CREATE_EXTERNAL_TABLE, Privilege.CREATE_MANAGED_STORAGE, Privilege.MANAGE, Privilege.SELECT
    };

    private final ExternalLocationRepository repository;
    private final StorageRoots roots;
    private final StorageCredentialService credentials;
    private final AccessControl access;
    private final GrantStore grants;
    private final Clock clock;

    ExternalLocationService(
            ExternalLocationRepository repository,
            StorageRoots roots,
            StorageCredentialService credentials,
            AccessControl access,
            GrantStore grants,
            Clock clock) {
        this.repository = requireNonNull(repository, "repository");
        this.roots = requireNonNull(roots, "roots");
        this.credentials = requireNonNull(credentials, "credentials");
        this.access = requireNonNull(access, "access");
        this.grants = requireNonNull(grants, "grants");
        this.clock = requireNonNull(clock, "clock");
    }

    /**
     * Needs CREATE_EXTERNAL_LOCATION on the metastore, and to name a credential (optional) also on
     * that credential unless a metastore admin (UC's rule); the caller owns the new location.
     */
    @Transactional
    public ExternalLocation create(String name, String url, String credentialName, String comment) {
        access.require(Securable.metastore(), Privilege.CREATE_EXTERNAL_LOCATION);
        String checkedName = Names.part("external location", name);
        if (url == null || url.isBlank()) {
            throw ApiException.badRequest(ErrorCode.VALIDATION_FAILED, "url is required.");
        }
        String normalised = roots.underStorageRoot(url);
        repository.overlapping(normalised).ifPresent(other -> {
            throw ApiException.badRequest(
                    ErrorCode.VALIDATION_FAILED,
                    normalised + " overlaps external location " + other + " (locations may not nest).");
        });
        StorageCredential credential = named(credentialName);
        ExternalLocation location = new ExternalLocation(
                UUID.randomUUID(),
                checkedName,
                normalised,
                credential == null ? null : credential.name(),
                credential == null ? null : credential.id(),
                comment,
                clock.instant(),
                access.caller().principal(),
                null);
        repository.insert(location);
        access.makeCallerOwner(Securable.externalLocation(checkedName));
        return location;
    }

    /** The locations the caller holds a privilege on or owns (every one, for a metastore admin). */
    public Page<ExternalLocation> list(String pageToken, int limit) {
        String[] only = access.visibleChildNames(
                Securable.metastore(), SecurableType.EXTERNAL_LOCATION, Privilege.CREATE_EXTERNAL_LOCATION);
        return Page.of(repository.page(PageTokens.decode(pageToken), only, limit + 1), limit, ExternalLocation::name);
    }

    /**
     * Needs a privilege on it, ownership or MANAGE — or SELECT on the metastore (which cannot be
     * granted on a location: a metastore-wide reader, such as a read-scope key).
     */
    public ExternalLocation get(String name) {
        Securable securable = Securable.externalLocation(Names.part("external location", name));
        access.requireAny(securable, READERS);
        return repository.require(securable.fullName());
    }

    /**
     * Credential (as on create), comment, then owner — null leaves each unchanged; needs ownership
     * or MANAGE. The url stays.
     */
    @Transactional
    public ExternalLocation update(String name, String url, String credentialName, String comment, String owner) {
        Securable securable = Securable.externalLocation(Names.part("external location", name));
        access.requireManage(securable);
        ExternalLocation current = repository.require(securable.fullName());
        if (url != null && !roots.underStorageRoot(url).equals(current.url())) {
            throw ApiException.badRequest(
                    ErrorCode.VALIDATION_FAILED,
                    "an external location keeps its url: the tables under it were registered by it; make another.");
        }
        StorageCredential credential = named(credentialName);
        if (credential != null) {
            repository.credential(securable.fullName(), credential.id(), clock.instant());
        }
        if (comment != null) {
            repository.comment(securable.fullName(), comment, clock.instant());
        }
        if (owner != null) {
            access.transferOwnership(securable, owner);
        }
        return repository.require(securable.fullName());
    }

    /**
     * Needs ownership or MANAGE; its grants go with it. Tables registered under it stay (their
     * owners keep them); new ones there need another location.
     */
    @Transactional
    public void delete(String name) {
        Securable securable = Securable.externalLocation(Names.part("external location", name));
        access.requireManage(securable);
        if (!repository.delete(securable.fullName())) {
            repository.require(securable.fullName());
        }
        grants.forget(securable);
        access.invalidate();
    }

    /** The credential a location names (404 unless it exists, 403 unless the caller may name it), or null. */
    private StorageCredential named(String credentialName) {
        return credentialName == null || credentialName.isEmpty() ? null : credentials.requireNameable(credentialName);
    }

    /** 404 unless it exists (the permissions API on {@code external_location}). */
    public void requireExists(String name) {
        repository.require(name);
    }

    /** Who owns it, if anyone. */
    public String owner(String name) {
        return grants.owner(Securable.externalLocation(name)).orElse(null);
    }
}
