package io.deltaplane.metadata.unity;

import static java.util.Objects.requireNonNull;

import io.deltaplane.metadata.catalog.CatalogEntry;
import io.deltaplane.metadata.catalog.CatalogRepository;
import io.deltaplane.metadata.catalog.DeadlockRetry;
import io.deltaplane.metadata.table.StorageRoots;
import io.deltaplane.support.access.AccessControl;
import io.deltaplane.support.access.GrantStore;
import io.deltaplane.support.access.Privilege;
import io.deltaplane.support.access.Securable;
import io.deltaplane.support.access.SecurableType;
import io.deltaplane.support.names.Names;
import io.deltaplane.support.paging.PageTokens;
import java.util.List;
import java.util.Map;
import java.util.UUID;
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
 * Unity Catalog's catalogs: the same catalogs as {@code /api/v1/catalogs}, in UC's shape, with the
 * same grants. Renaming is refused: grants, lineage and engines name catalogs by name.
 */
@RestController
@RequestMapping(UnityCatalogApi.BASE + "/catalogs")
public class UnityCatalogsController {

    public record CreateCatalog(String name, String comment, Map<String, String> properties, String storageRoot) {}

    public record UpdateCatalog(String comment, Map<String, String> properties, String newName, String owner) {}

    public record CatalogInfo(
            String name,
            String comment,
            Map<String, String> properties,
            String owner,
            Long createdAt,
            Long updatedAt,
            UUID id,
            String storageRoot) {}

    public record ListCatalogsResponse(List<CatalogInfo> catalogs, String nextPageToken) {}

    private final CatalogRepository repository;
    private final StorageRoots roots;
    private final AccessControl access;
    private final GrantStore grants;

    public UnityCatalogsController(
            CatalogRepository repository, StorageRoots roots, AccessControl access, GrantStore grants) {
        this.repository = requireNonNull(repository, "repository");
        this.roots = requireNonNull(roots, "roots");
        this.access = requireNonNull(access, "access");
        this.grants = requireNonNull(grants, "grants");
    }

    /** Needs CREATE_CATALOG on the metastore; the caller owns the new catalog. */
    @PostMapping
    public CatalogInfo create(@RequestBody CreateCatalog request) {
        access.require(Securable.metastore(), Privilege.CREATE_CATALOG);
        String name = Names.part("catalog", request.name());
        String storageRoot =
                request.storageRoot() == null || request.storageRoot().isBlank()
                        ? null
                        : roots.catalogRoot(request.storageRoot());
        repository.createCatalog(name, request.comment(), storageRoot, UnityNames.properties(request.properties()));
        access.makeCallerOwner(Securable.catalog(name));
        return info(repository.catalogEntry(name));
    }

    /** The catalogs the caller may use, in name order. */
    @GetMapping
    public ListCatalogsResponse list(
            @RequestParam(name = "max_results", required = false) Integer maxResults,
            @RequestParam(name = "page_token", required = false) String pageToken) {
        int limit = UnityCatalogApi.pageSize(maxResults);
        String[] only = access.visibleChildNames(Securable.metastore(), SecurableType.CATALOG, Privilege.USE_CATALOG);
        List<CatalogEntry> page = repository.catalogEntries(PageTokens.decode(pageToken), limit + 1, only);
        String next =
                page.size() > limit ? PageTokens.encode(page.get(limit - 1).name()) : null;
        return new ListCatalogsResponse(
                page.subList(0, Math.min(limit, page.size())).stream()
                        .map(this::info)
                        .toList(),
                next);
    }

    @GetMapping("/{name}")
    public CatalogInfo get(@PathVariable String name) {
        String catalog = Names.part("catalog", name);
        access.require(Securable.catalog(catalog), Privilege.USE_CATALOG);
        return info(repository.catalogEntry(catalog));
    }

    /** Comment, properties and owner (a transfer); needs ownership or MANAGE. */
    @PatchMapping("/{name}")
    public CatalogInfo update(@PathVariable String name, @RequestBody UpdateCatalog request) {
        String catalog = Names.part("catalog", name);
        access.requireManage(Securable.catalog(catalog));
        UnityNames.refuseRename(catalog, request.newName());
        CatalogEntry updated =
                repository.updateCatalog(catalog, request.comment(), UnityNames.propertiesOrNull(request.properties()));
        if (request.owner() == null) {
            return info(updated);
        }
        // after the update: a catalog that is not there (404) got no owner
        access.transferOwnership(Securable.catalog(catalog), request.owner());
        return info(repository.catalogEntry(catalog));
    }

    /** UC answers 200 with an empty body; {@code force} drops what is inside too. */
    @DeleteMapping("/{name}")
    public Map<String, Object> delete(@PathVariable String name, @RequestParam(defaultValue = "false") boolean force) {
        String catalog = Names.part("catalog", name);
        access.requireManage(Securable.catalog(catalog));
        DeadlockRetry.run(() -> repository.deleteCatalog(catalog, force));
        return Map.of();
    }

    private CatalogInfo info(CatalogEntry entry) {
        return new CatalogInfo(
                entry.name(),
                entry.comment(),
                entry.properties(),
                grants.owner(Securable.catalog(entry.name())).orElse(null),
                UnityCatalogApi.millis(entry.createdAt()),
                UnityCatalogApi.millis(entry.updatedAt()),
                entry.id(),
                entry.storageRoot());
    }
}
