package io.deltaplane.metadata.api.catalog;

import static java.util.Objects.requireNonNull;

import io.deltaplane.metadata.catalog.CatalogEntry;
import io.deltaplane.metadata.catalog.CatalogService;
import io.deltaplane.support.paging.Page;
import io.deltaplane.support.paging.PageTokens;
import java.time.Instant;
import java.util.List;
import java.util.Map;
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
 * Catalogs in {@code /api/v1}'s shape over {@link CatalogService}, which authorizes each call:
 * create, list, get, delete (409 unless empty or {@code force=true}).
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

    private final CatalogService catalogs;

    public CatalogController(CatalogService catalogs) {
        this.catalogs = requireNonNull(catalogs, "catalogs");
    }

    /** Needs CREATE_CATALOG on the metastore; the caller owns the new catalog. */
    @PostMapping
    @ResponseStatus(HttpStatus.CREATED)
    public Catalog create(@RequestBody CreateCatalog request) {
        return catalog(catalogs.create(request.name(), request.comment(), request.storageRoot(), Map.of()));
    }

    /** The catalogs the caller may use (USE_CATALOG, or ownership). */
    @GetMapping
    public CatalogList list(
            @RequestParam(name = "max_results", required = false) Integer maxResults,
            @RequestParam(name = "page_token", required = false) String pageToken) {
        Page<Catalog> page =
                catalogs.list(pageToken, PageTokens.limit(maxResults)).map(CatalogController::catalog);
        return new CatalogList(page.items(), page.nextPageToken());
    }

    @GetMapping("/{name}")
    public Catalog get(@PathVariable String name) {
        return catalog(catalogs.get(name));
    }

    @DeleteMapping("/{name}")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    public void delete(@PathVariable String name, @RequestParam(defaultValue = "false") boolean force) {
        catalogs.delete(name, force);
    }

    private static Catalog catalog(CatalogEntry entry) {
        return new Catalog(entry.name(), entry.comment(), entry.storageRoot(), entry.createdAt());
    }
}
