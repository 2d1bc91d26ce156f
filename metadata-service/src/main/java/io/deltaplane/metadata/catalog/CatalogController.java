package io.deltaplane.metadata.catalog;

import static java.util.Objects.requireNonNull;

import io.deltaplane.metadata.table.StorageRoots;
import io.deltaplane.support.access.AccessControl;
import io.deltaplane.support.access.Privilege;
import io.deltaplane.support.access.Securable;
import io.deltaplane.support.access.SecurableType;
import io.deltaplane.support.names.Names;
import io.deltaplane.support.paging.PageTokens;
import java.time.Instant;
import java.util.List;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/**
 * Catalogs: create, list, get, delete (409 unless empty or {@code force=true}). Each is authorized
 * by the caller's grants ({@link AccessControl}); dropping needs ownership or MANAGE.
 */
@RestController
@RequestMapping("/api/v1/catalogs")
public class CatalogController {

    /**
     * @param storageRoot where the catalog's managed tables live ({@code s3://…}, {@code abfss://…},
     *     {@code file:/…}), strictly under a registered storage root; default the warehouse
     */
    public record CreateCatalog(String name, String comment, String storageRoot) {}

    public record Catalog(String name, String comment, String storageRoot, Instant createdAt) {}

    public record CatalogList(List<Catalog> catalogs, String nextPageToken) {}

    private final CatalogRepository repository;
    private final StorageRoots roots;
    private final AccessControl access;

    public CatalogController(CatalogRepository repository, StorageRoots roots, AccessControl access) {
        this.repository = requireNonNull(repository, "repository");
        this.roots = requireNonNull(roots, "roots");
        this.access = requireNonNull(access, "access");
    }

    /** Needs CREATE_CATALOG on the metastore; the caller owns the new catalog. */
    @PostMapping
    @ResponseStatus(HttpStatus.CREATED)
    public Catalog create(@RequestBody CreateCatalog request) {
        access.require(Securable.metastore(), Privilege.CREATE_CATALOG);
        String name = Names.part("catalog", request.name());
        String storageRoot =
                request.storageRoot() == null || request.storageRoot().isBlank()
                        ? null
                        : roots.catalogRoot(request.storageRoot());
        Catalog created = repository.createCatalog(name, request.comment(), storageRoot);
        access.makeCallerOwner(Securable.catalog(name));
        return created;
    }

    /** The catalogs the caller may use (USE_CATALOG, or ownership). */
    @GetMapping
    public CatalogList list(
            @RequestParam(name = "max_results", required = false) Integer maxResults,
            @RequestParam(name = "page_token", required = false) String pageToken) {
        int limit = PageTokens.limit(maxResults);
        String[] only = access.visibleChildNames(Securable.metastore(), SecurableType.CATALOG, Privilege.USE_CATALOG);
        List<Catalog> page = repository.listCatalogs(PageTokens.decode(pageToken), limit + 1, only);
        String next =
                page.size() > limit ? PageTokens.encode(page.get(limit - 1).name()) : null;
        return new CatalogList(page.subList(0, Math.min(limit, page.size())), next);
    }

    @GetMapping("/{name}")
    public Catalog get(@PathVariable String name) {
        String catalog = Names.part("catalog", name);
        access.require(Securable.catalog(catalog), Privilege.USE_CATALOG);
        return repository.getCatalog(catalog);
    }

    @DeleteMapping("/{name}")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    public void delete(@PathVariable String name, @RequestParam(defaultValue = "false") boolean force) {
        String catalog = Names.part("catalog", name);
        access.requireManage(Securable.catalog(catalog));
        DeadlockRetry.run(() -> repository.deleteCatalog(catalog, force));
    }
}
