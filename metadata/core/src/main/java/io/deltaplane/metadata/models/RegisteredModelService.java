package io.deltaplane.metadata.models;

import static java.util.Objects.requireNonNull;

import io.deltaplane.metadata.catalog.NamespaceDropped;
import io.deltaplane.metadata.catalog.SchemaService;
import io.deltaplane.metadata.names.RegisteredModelName;
import io.deltaplane.metadata.names.SchemaName;
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
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Registered models, Unity Catalog's securable for an ML model's registry entry (MLflow's UC
 * registry): who may make, see, rename and drop one, and where its directory is. Its directory is
 * placed by the catalog as a MANAGED volume's is ({@link StorageRoots#managedStorage}) and overlaps
 * nothing else's; a dropped model's directory (its versions' files inside) is kept for the
 * dropped-table retention, reserved, then deleted ({@link DroppedLocations}). Reading a model needs
 * {@code EXECUTE} on it, as in UC; changing or dropping it, ownership or {@code MANAGE}.
 */
@Service
public class RegisteredModelService {

    /** Rows read per statement while a metastore-wide listing skips the models the caller may not see. */
    static final int SCAN_BATCH = 200;

    private final RegisteredModelRepository repository;
    private final ModelVersionRepository versions;
    private final SchemaService schemas;
    private final StorageRoots roots;
    private final LocationClaims claims;
    private final DroppedLocations dropped;
    private final AccessControl access;
    private final GrantStore grants;
    private final Clock clock;

    RegisteredModelService(
            RegisteredModelRepository repository,
            ModelVersionRepository versions,
            SchemaService schemas,
            StorageRoots roots,
            LocationClaims claims,
            DroppedLocations dropped,
            AccessControl access,
            GrantStore grants,
            Clock clock) {
        this.repository = requireNonNull(repository, "repository");
        this.versions = requireNonNull(versions, "versions");
        this.schemas = requireNonNull(schemas, "schemas");
        this.roots = requireNonNull(roots, "roots");
        this.claims = requireNonNull(claims, "claims");
        this.dropped = requireNonNull(dropped, "dropped");
        this.access = requireNonNull(access, "access");
        this.grants = requireNonNull(grants, "grants");
        this.clock = requireNonNull(clock, "clock");
    }

    /** Needs {@code CREATE_MODEL} on the schema (with USE_CATALOG and USE_SCHEMA); the caller owns the new model. */
    @Transactional
    public RegisteredModel create(RegisteredModelName name, String comment) {
        access.require(name.schemaName().securable(), Privilege.CREATE_MODEL);
        schemas.get(name.schemaName()); // 404 for a schema that does not exist
        UUID id = UUID.randomUUID();
        String location = roots.managedStorage(name.catalog(), "models", id);
        claims.claimDirectory(location);
        repository.insert(id, name, location, comment, access.caller().principal(), clock.instant());
        access.makeCallerOwner(name.securable());
        return repository.require(name);
    }

    /**
     * The models the caller may see (EXECUTE on them or above, or ownership): a schema's (needs
     * USE_SCHEMA) by name, or — neither catalog nor schema named, as UC allows — the metastore's,
     * by full name. A catalog without a schema, or a schema without a catalog, is 400 as in UC.
     */
    public Page<RegisteredModel> list(String catalog, String schema, String pageToken, int limit) {
        boolean inCatalog = catalog != null && !catalog.isEmpty();
        boolean inSchema = schema != null && !schema.isEmpty();
        if (inCatalog != inSchema) {
            throw ApiException.badRequest(
                    ErrorCode.VALIDATION_FAILED,
                    "catalog_name and schema_name are given together, or neither (every model in the metastore).");
        }
        if (!inCatalog) {
            return listMetastore(pageToken, limit);
        }
        SchemaName in = SchemaName.of(catalog, schema);
        schemas.get(in); // USE_SCHEMA; 404 for a schema that does not exist
        String[] only = access.visibleChildNames(in.securable(), SecurableType.REGISTERED_MODEL, Privilege.EXECUTE);
        return Page.of(
                repository.page(in, PageTokens.decode(pageToken), only, limit + 1),
                limit,
                model -> model.name().name());
    }

    /** Every schema's models the caller may see, in full-name order; the token is the last full name shown. */
    private Page<RegisteredModel> listMetastore(String pageToken, int limit) {
        String cursor = PageTokens.decode(pageToken);
        RegisteredModelName after =
                cursor.isEmpty() ? new RegisteredModelName("", "", "") : RegisteredModelName.parse(cursor);
        Map<SchemaName, Set<String>> visible = new HashMap<>(); // per schema: null = all
        List<RegisteredModel> shown = new ArrayList<>();
        while (shown.size() <= limit) {
            List<RegisteredModel> batch = repository.allAfter(after, SCAN_BATCH);
            for (RegisteredModel model : batch) {
                Set<String> names = visible.computeIfAbsent(model.name().schemaName(), this::visibleIn);
                if (names == null || names.contains(model.name().name())) {
                    shown.add(model);
                    if (shown.size() > limit) {
                        break;
                    }
                }
            }
            if (batch.size() < SCAN_BATCH) {
                break;
            }
            after = batch.get(batch.size() - 1).name();
        }
        return Page.of(shown, limit, model -> model.name().toString());
    }

    /** The names of the schema's models the caller may see; null for all of them. */
    private Set<String> visibleIn(SchemaName schema) {
        if (!access.allows(schema.securable(), Privilege.USE_SCHEMA)) {
            return Set.of();
        }
        String[] names =
                access.visibleChildNames(schema.securable(), SecurableType.REGISTERED_MODEL, Privilege.EXECUTE);
        return names == null ? null : Set.copyOf(Arrays.asList(names));
    }

    /** Needs EXECUTE on it (or ownership), with USE_CATALOG and USE_SCHEMA. */
    public RegisteredModel get(RegisteredModelName name) {
        access.require(name.securable(), Privilege.EXECUTE);
        return repository.require(name);
    }

    /**
     * A new name (its grants follow it; its versions and directory stay) and comment (null:
     * unchanged); needs ownership or MANAGE. Neither given is 400, as in UC.
     */
    @Transactional
    public RegisteredModel update(RegisteredModelName name, String newName, String comment) {
        access.requireManage(name.securable());
        if (newName == null && comment == null) {
            throw ApiException.badRequest(
                    ErrorCode.VALIDATION_FAILED, "No updated fields defined (new_name, comment).");
        }
        RegisteredModel current = repository.require(name);
        RegisteredModelName renamed = newName == null ? name : name.renamed(newName);
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
        return repository.require(renamed);
    }

    /**
     * Needs ownership or MANAGE; its grants go with it. A model with versions is refused (409)
     * unless {@code force}, which drops them too, as in UC. Its directory stays reserved for the
     * retention, then is deleted.
     */
    @Transactional
    public void delete(RegisteredModelName name, boolean force) {
        access.requireManage(name.securable());
        RegisteredModel model = repository.require(name);
        if (!force && versions.any(model.id())) {
            throw ApiException.conflict(
                    ErrorCode.REGISTERED_MODEL_NOT_EMPTY,
                    "Unable to delete a registered model with existing model versions: " + name
                            + " (delete its versions first, or pass force=true).");
        }
        repository.delete(model.id());
        dropped.reserve(model.storageLocation(), model.id(), "model " + name);
        grants.forget(name.securable());
        access.invalidate();
    }

    /** 404 unless it exists (the permissions API on {@code registered_model}). */
    public void requireExists(RegisteredModelName name) {
        repository.require(name);
    }

    /**
     * A dropped schema or catalog takes its models (and their versions) with it: each model's
     * directory is kept for the retention, reserved, as a dropped managed volume's is.
     */
    @EventListener
    public void onNamespaceDropped(NamespaceDropped event) {
        if (event.securable().type() != SecurableType.CATALOG
                && event.securable().type() != SecurableType.SCHEMA) {
            return;
        }
        String[] parts = event.securable().fullName().split("\\.", 2);
        for (RegisteredModelRepository.ModelDirectory directory :
                repository.in(parts[0], parts.length > 1 ? parts[1] : null)) {
            dropped.reserve(directory.location(), directory.id(), "model " + directory.fullName());
        }
    }
}
