package io.deltaplane.metadata.volumes;

import static java.util.Objects.requireNonNull;

import io.deltaplane.metadata.catalog.NamespaceDropped;
import io.deltaplane.metadata.catalog.SchemaService;
import io.deltaplane.metadata.credentials.CredentialVending;
import io.deltaplane.metadata.names.SchemaName;
import io.deltaplane.metadata.names.VolumeName;
import io.deltaplane.metadata.table.DroppedLocations;
import io.deltaplane.metadata.table.LocationClaims;
import io.deltaplane.metadata.table.StorageRoots;
import io.deltaplane.support.access.AccessControl;
import io.deltaplane.support.access.GrantStore;
import io.deltaplane.support.access.Privilege;
import io.deltaplane.support.access.SecurableType;
import io.deltaplane.support.paging.Page;
import io.deltaplane.support.paging.PageTokens;
import io.deltaplane.support.problem.ApiException;
import io.deltaplane.support.problem.ErrorCode;
import java.time.Clock;
import java.util.Map;
import java.util.UUID;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Volumes, Unity Catalog's securable for files that are not a table: who may make, see, rename and
 * drop one, and where its directory is. A MANAGED volume's directory is placed by the catalog
 * ({@link StorageRoots#managedVolume}); an EXTERNAL one lies under an external location on which
 * the caller holds {@code CREATE_EXTERNAL_VOLUME}. No volume's directory overlaps another's or a
 * table's. A dropped MANAGED volume's directory is kept for the dropped-table retention, reserved,
 * then deleted ({@link DroppedLocations}), as a managed table's is.
 */
@Service
public class VolumeService {

    private final VolumeRepository repository;
    private final SchemaService schemas;
    private final StorageRoots roots;
    private final LocationClaims claims;
    private final DroppedLocations dropped;
    private final AccessControl access;
    private final GrantStore grants;
    private final CredentialVending vending;
    private final Clock clock;

    VolumeService(
            VolumeRepository repository,
            SchemaService schemas,
            StorageRoots roots,
            LocationClaims claims,
            DroppedLocations dropped,
            AccessControl access,
            GrantStore grants,
            CredentialVending vending,
            Clock clock) {
        this.repository = requireNonNull(repository, "repository");
        this.schemas = requireNonNull(schemas, "schemas");
        this.roots = requireNonNull(roots, "roots");
        this.claims = requireNonNull(claims, "claims");
        this.dropped = requireNonNull(dropped, "dropped");
        this.access = requireNonNull(access, "access");
        this.grants = requireNonNull(grants, "grants");
        this.vending = requireNonNull(vending, "vending");
        this.clock = requireNonNull(clock, "clock");
    }

    /**
     * Needs {@code CREATE_VOLUME} on the schema (with USE_CATALOG and USE_SCHEMA), and for an
     * EXTERNAL volume {@code CREATE_EXTERNAL_VOLUME} where it lies; the caller owns the new volume.
     */
    @Transactional
    public Volume create(VolumeName name, String volumeType, String storageLocation, String comment) {
        access.require(name.schemaName().securable(), Privilege.CREATE_VOLUME);
        VolumeType type = VolumeType.parse(volumeType);
        schemas.get(name.schemaName()); // 404 for a schema that does not exist
        UUID id = UUID.randomUUID();
        String location;
        if (type == VolumeType.MANAGED) {
            if (storageLocation != null && !storageLocation.isEmpty()) {
                throw ApiException.badRequest(
                        ErrorCode.VALIDATION_FAILED,
                        "storage_location: a MANAGED volume's directory is placed by the catalog; leave it out.");
            }
            location = roots.managedVolume(name.catalog(), id);
        } else {
            if (storageLocation == null || storageLocation.isBlank()) {
                throw ApiException.badRequest(
                        ErrorCode.VALIDATION_FAILED, "storage_location is required for an EXTERNAL volume.");
            }
            location = roots.externalVolume(storageLocation);
        }
        claims.claimDirectory(location);
        String caller = access.caller().principal();
        repository.insert(id, name, type, location, comment, caller, clock.instant());
        access.makeCallerOwner(name.securable());
        return repository.require(name);
    }

    /** The schema's volumes the caller may see (READ_VOLUME or WRITE_VOLUME, or ownership); needs USE_SCHEMA. */
    public Page<Volume> list(SchemaName schema, String pageToken, int limit) {
        schemas.get(schema); // USE_SCHEMA; 404 for a schema that does not exist
        String[] only = access.visibleChildNames(schema.securable(), SecurableType.VOLUME, Privilege.READ_VOLUME);
        return Page.of(
                repository.page(schema, PageTokens.decode(pageToken), only, limit + 1),
                limit,
                volume -> volume.name().name());
    }

    /** Needs READ_VOLUME or WRITE_VOLUME on it (or ownership), with USE_CATALOG and USE_SCHEMA. */
    public Volume get(VolumeName name) {
        access.requireAny(name.securable(), Privilege.READ_VOLUME, Privilege.WRITE_VOLUME);
        return repository.require(name);
    }

    /**
     * A new name (its grants follow it) and comment (null: unchanged), then the owner (null:
     * unchanged); needs ownership or MANAGE.
     */
    @Transactional
    public Volume update(VolumeName name, String newName, String comment, String owner) {
        access.requireManage(name.securable());
        // the new name before the volume, as Unity Catalog checks them: a malformed one is 400 either way
        VolumeName renamed = newName == null || newName.isEmpty() ? name : name.renamed(newName);
        Volume current = repository.require(name);
        if (!renamed.equals(name) || comment != null) {
            repository.update(
                    name,
                    renamed.name(),
                    comment != null ? comment : current.comment(),
                    access.caller().principal(),
                    clock.instant());
            if (!renamed.equals(name)) {
                grants.rename(name.securable(), renamed.securable().fullName());
                access.invalidate();
            }
        }
        if (owner != null) {
            access.transferOwnership(renamed.securable(), owner);
        }
        return repository.require(renamed);
    }

    /**
     * Needs ownership or MANAGE; its grants go with it. A MANAGED volume's directory stays reserved
     * for the retention, then is deleted; an EXTERNAL one's files are left where they are.
     */
    @Transactional
    public void delete(VolumeName name) {
        access.requireManage(name.securable());
        Volume volume = repository.require(name);
        repository.delete(name);
        if (volume.type() == VolumeType.MANAGED) {
            dropped.reserve(volume.storageLocation(), volume.id(), "volume " + name);
        }
        grants.forget(name.securable());
        access.invalidate();
    }

    /** 404 unless it exists (the permissions API on {@code volume}). */
    public void requireExists(VolumeName name) {
        repository.require(name);
    }

    /**
     * Unity Catalog's {@code TemporaryCredentials} for the volume with id {@code volumeId}: {@code
     * READ_VOLUME} needs READ_VOLUME (or WRITE_VOLUME), {@code WRITE_VOLUME} needs WRITE_VOLUME.
     * Vended for MANAGED volumes, as for managed tables: an EXTERNAL volume's files are read with
     * the engine's own credentials for its location.
     */
    public Map<String, Object> temporaryCredentials(String volumeId, String operation) {
        boolean write = switch (operation == null ? "" : operation) {
            case "READ_VOLUME" -> false;
            case "WRITE_VOLUME" -> true;
            default ->
                throw ApiException.badRequest(
                        ErrorCode.VALIDATION_FAILED, "operation must be READ_VOLUME or WRITE_VOLUME.");
        };
        UUID id;
        try {
            id = UUID.fromString(volumeId == null ? "" : volumeId);
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest(ErrorCode.VALIDATION_FAILED, "volume_id must be a volume's id.");
        }
        // As for a table's UC id: the id is looked up first (it is unguessable), then the grants.
        Volume volume = repository.byId(id).orElseThrow(() -> VolumeRepository.notFound(volumeId));
        if (write) {
            access.require(volume.name().securable(), Privilege.WRITE_VOLUME);
        } else {
            access.requireAny(volume.name().securable(), Privilege.READ_VOLUME, Privilege.WRITE_VOLUME);
        }
        if (volume.type() != VolumeType.MANAGED) {
            throw new ApiException(
                    ErrorCode.UNSUPPORTED_LOCATION,
                    volume.name() + " is an EXTERNAL volume (its creator named " + volume.storageLocation()
                            + "): credentials are vended only for MANAGED volumes; use the engine's own credentials"
                            + " for that location.");
        }
        return vending.unity(volume.storageLocation(), write, access.caller().principal());
    }

    /**
     * A dropped schema or catalog takes its volumes with it: each MANAGED one's directory is kept
     * for the retention, reserved, as a dropped table's is.
     */
    @EventListener
    public void onNamespaceDropped(NamespaceDropped event) {
        String[] parts = event.securable().fullName().split("\\.", 2);
        if (event.securable().type() != SecurableType.CATALOG
                && event.securable().type() != SecurableType.SCHEMA) {
            return;
        }
        for (VolumeRepository.ManagedDirectory directory :
                repository.managedIn(parts[0], parts.length > 1 ? parts[1] : null)) {
            dropped.reserve(directory.location(), directory.id(), "volume " + directory.fullName());
        }
    }
}
