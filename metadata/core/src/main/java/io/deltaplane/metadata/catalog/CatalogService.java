package io.deltaplane.metadata.catalog;

import static java.util.Objects.requireNonNull;

import io.deltaplane.metadata.delta.FreshnessSla;
import io.deltaplane.metadata.settings.MaintenanceSettings;
import io.deltaplane.metadata.table.StorageRoots;
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
 * Catalogs for every door ({@code /api/v1/catalogs}, Unity Catalog's {@code /catalogs}): who may
 * create, see, change and drop one, which a listing shows, and its paging; the doors only map
 * requests and answers. Names are checked here, once.
 */
@Service
public class CatalogService {

    private final CatalogRepository repository;
    private final StorageRoots roots;
    private final AccessControl access;

    public CatalogService(CatalogRepository repository, StorageRoots roots, AccessControl access) {
        this.repository = requireNonNull(repository, "repository");
        this.roots = requireNonNull(roots, "roots");
        this.access = requireNonNull(access, "access");
    }

    /**
     * Needs CREATE_CATALOG on the metastore; the caller owns the new catalog. {@code storageRoot}
     * (null or blank: the warehouse) must pass the rules of an external location.
     */
    public CatalogEntry create(String name, String comment, String storageRoot, Map<String, String> properties) {
        access.require(Securable.metastore(), Privilege.CREATE_CATALOG);
        String catalog = Names.part("catalog", name);
        MaintenanceSettings.check(properties);
        FreshnessSla.check(properties);
        String root = storageRoot == null || storageRoot.isBlank() ? null : roots.catalogRoot(storageRoot);
        repository.createCatalog(catalog, comment, root, properties == null ? Map.of() : properties);
        access.makeCallerOwner(Securable.catalog(catalog));
        return repository.catalogEntry(catalog);
    }

    /** The installation's metastore id, stable for its lifetime (anyone authenticated may read it). */
    public java.util.UUID metastoreId() {
        return repository.metastoreId();
    }

    /** The catalogs the caller may use (USE_CATALOG, or ownership), in name order. */
    public Page<CatalogEntry> list(String pageToken, int limit) {
        String[] only = access.visibleChildNames(Securable.metastore(), SecurableType.CATALOG, Privilege.USE_CATALOG);
        return Page.of(
                repository.catalogEntries(PageTokens.decode(pageToken), limit + 1, only), limit, CatalogEntry::name);
    }

    /** Needs USE_CATALOG. */
    public CatalogEntry get(String name) {
        String catalog = Names.part("catalog", name);
        access.require(Securable.catalog(catalog), Privilege.USE_CATALOG);
        return repository.catalogEntry(catalog);
    }

    /**
     * Comment and properties (null: unchanged), then the owner (null: unchanged); needs ownership
     * or MANAGE. A {@code newName} other than the name is refused: catalogs keep their names (a
     * missing catalog is still 404, a malformed or taken new name 400 or 409).
     */
    public CatalogEntry update(
            String name, String newName, String comment, Map<String, String> properties, String owner) {
        String catalog = Names.part("catalog", name);
        access.requireManage(Securable.catalog(catalog));
        if (NamespaceEntries.renames(catalog, newName)) {
            String target = Names.part("catalog", newName);
            NamespaceEntries.refuseRename(
                    "Catalog",
                    catalog,
                    target,
                    () -> repository.catalogEntry(catalog),
                    repository.catalogExists(target));
        }
        MaintenanceSettings.check(properties);
        FreshnessSla.check(properties);
        CatalogEntry updated = repository.updateCatalog(catalog, comment, properties);
        if (owner == null) {
            return updated;
        }
        // after the update: a catalog that is not there (404) got no owner
        access.transferOwnership(Securable.catalog(catalog), owner);
        return repository.catalogEntry(catalog);
    }

    /** 409 CATALOG_NOT_EMPTY unless empty or {@code force}; needs ownership or MANAGE. */
    public void delete(String name, boolean force) {
        String catalog = Names.part("catalog", name);
        access.requireManage(Securable.catalog(catalog));
        DeadlockRetry.run(() -> repository.deleteCatalog(catalog, force));
    }
}
