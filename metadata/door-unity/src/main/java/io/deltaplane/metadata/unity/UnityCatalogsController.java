package io.deltaplane.metadata.unity;

import static java.util.Objects.requireNonNull;

import io.deltaplane.metadata.catalog.CatalogEntry;
import io.deltaplane.metadata.catalog.CatalogService;
import io.deltaplane.support.paging.Page;
import io.deltaplane.support.problem.ErrorCode;
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
 * Unity Catalog's catalogs: the same catalogs as {@code /api/v1/catalogs}, in UC's shape, over the
 * same {@link CatalogService} (its grants, visibility and paging). Renaming is refused: grants, lineage and engines name catalogs by name.
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

    private final CatalogService catalogs;

    public UnityCatalogsController(CatalogService catalogs) {
        this.catalogs = requireNonNull(catalogs, "catalogs");
    }

    /** Needs CREATE_CATALOG on the metastore; the caller owns the new catalog. */
    @PostMapping
    public CatalogInfo create(@RequestBody CreateCatalog request) {
        return info(catalogs.create(
                request.name(), request.comment(), request.storageRoot(), UnityNames.properties(request.properties())));
    }

    /** The catalogs the caller may use, in name order. */
    @GetMapping
    public ListCatalogsResponse list(
            @RequestParam(name = "max_results", required = false) Integer maxResults,
            @RequestParam(name = "page_token", required = false) String pageToken) {
        Page<CatalogInfo> page = catalogs.list(
                        UnityCatalogApi.pageToken(pageToken), UnityCatalogApi.pageSize(maxResults))
                .map(this::info);
        return new ListCatalogsResponse(page.items(), page.nextPageToken());
    }

    @GetMapping("/{name}")
    public CatalogInfo get(@PathVariable String name) {
        return info(catalogs.get(name));
    }

    /**
     * Comment, properties and owner (a transfer); needs ownership or MANAGE. A new name is refused
     * (400), after UC's own answers: malformed 400, no such catalog 404, taken 400
     * CATALOG_ALREADY_EXISTS.
     */
    @PatchMapping("/{name}")
    public CatalogInfo update(@PathVariable String name, @RequestBody UpdateCatalog request) {
        return info(UnityRenames.update(
                ErrorCode.CATALOG_ALREADY_EXISTS,
                () -> catalogs.update(
                        name,
                        request.newName(),
                        request.comment(),
                        UnityNames.propertiesOrNull(request.properties()),
                        request.owner())));
    }

    /** UC answers 200 with an empty body; {@code force} drops what is inside too. */
    @DeleteMapping("/{name}")
    public Map<String, Object> delete(@PathVariable String name, @RequestParam(defaultValue = "false") boolean force) {
        catalogs.delete(name, force);
        return Map.of();
    }

    private CatalogInfo info(CatalogEntry entry) {
        return new CatalogInfo(
                entry.name(),
                entry.comment(),
                entry.properties(),
                entry.owner(),
                UnityCatalogApi.millis(entry.createdAt()),
                UnityCatalogApi.millis(entry.updatedAt()),
                entry.id(),
                entry.storageRoot());
    }
}
