package io.deltaplane.metadata.catalog;

import static java.util.Objects.requireNonNull;

import io.deltaplane.metadata.delta.FreshnessSla;
import io.deltaplane.metadata.names.SchemaName;
import io.deltaplane.metadata.settings.MaintenanceSettings;
import io.deltaplane.support.access.AccessControl;
import io.deltaplane.support.access.Privilege;
import io.deltaplane.support.access.Securable;
import io.deltaplane.support.access.SecurableType;
import io.deltaplane.support.names.Names;
import io.deltaplane.support.paging.Page;
import io.deltaplane.support.paging.PageTokens;
import java.util.Map;
import org.springframework.stereotype.Service;

/**
 * Schemas for every door ({@code /api/v1/schemas}, Unity Catalog's {@code /schemas}): who may
 * create, see, change and drop one, which a listing shows, and its paging; the doors only map
 * requests and answers.
 */
@Service
public class SchemaService {

    private final CatalogRepository repository;
    private final AccessControl access;

    public SchemaService(CatalogRepository repository, AccessControl access) {
        this.repository = requireNonNull(repository, "repository");
        this.access = requireNonNull(access, "access");
    }

    /** Needs USE_CATALOG and CREATE_SCHEMA on the catalog; the caller owns the new schema. */
    public SchemaEntry create(SchemaName name, String comment, Map<String, String> properties) {
        access.require(Securable.catalog(name.catalog()), Privilege.CREATE_SCHEMA);
        MaintenanceSettings.check(properties);
        FreshnessSla.check(properties);
        repository.createSchema(name.catalog(), name.name(), comment, properties == null ? Map.of() : properties);
        access.makeCallerOwner(name.securable());
        return repository.schemaEntry(name.catalog(), name.name());
    }

    /** The catalog's schemas the caller may use (USE_SCHEMA, or ownership); needs USE_CATALOG. */
    public Page<SchemaEntry> list(String catalogName, String pageToken, int limit) {
        String catalog = Names.part("catalog", catalogName);
        access.require(Securable.catalog(catalog), Privilege.USE_CATALOG);
        repository.catalogEntry(catalog); // 404 for a catalog that does not exist
        String[] only =
                access.visibleChildNames(Securable.catalog(catalog), SecurableType.SCHEMA, Privilege.USE_SCHEMA);
        return Page.of(
                repository.schemaEntries(catalog, PageTokens.decode(pageToken), limit + 1, only),
                limit,
                SchemaEntry::name);
    }

    /** Needs USE_SCHEMA. */
    public SchemaEntry get(SchemaName name) {
        access.require(name.securable(), Privilege.USE_SCHEMA);
        return repository.schemaEntry(name.catalog(), name.name());
    }

    /**
     * Comment and properties (null: unchanged), then the owner (null: unchanged); needs ownership
     * or MANAGE. A {@code newName} other than the name is refused: schemas keep their names (a
     * missing schema is still 404, a malformed or taken new name 400 or 409).
     */
    public SchemaEntry update(
            SchemaName name, String newName, String comment, Map<String, String> properties, String owner) {
        access.requireManage(name.securable());
        if (NamespaceEntries.renames(name.name(), newName)) {
            String target = Names.part("schema", newName);
            NamespaceEntries.refuseRename(
                    "Schema",
                    name.toString(),
                    name.catalog() + "." + target,
                    () -> repository.schemaEntry(name.catalog(), name.name()),
                    repository.schemaExists(name.catalog(), target));
        }
        MaintenanceSettings.check(properties);
        FreshnessSla.check(properties);
        SchemaEntry updated = repository.updateSchema(name.catalog(), name.name(), comment, properties);
        if (owner == null) {
            return updated;
        }
        // after the update: a schema that is not there (404) got no owner
        access.transferOwnership(name.securable(), owner);
        return repository.schemaEntry(name.catalog(), name.name());
    }

    /** 409 SCHEMA_NOT_EMPTY unless empty or {@code force}; needs ownership or MANAGE. */
    public void delete(SchemaName name, boolean force) {
        access.requireManage(name.securable());
        DeadlockRetry.run(() -> repository.deleteSchema(name.catalog(), name.name(), force));
    }
}
