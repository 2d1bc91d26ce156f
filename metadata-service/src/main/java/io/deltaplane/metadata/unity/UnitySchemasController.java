package io.deltaplane.metadata.unity;

import static java.util.Objects.requireNonNull;

import io.deltaplane.metadata.catalog.CatalogRepository;
import io.deltaplane.metadata.catalog.DeadlockRetry;
import io.deltaplane.metadata.catalog.SchemaEntry;
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

/** Unity Catalog's schemas: the same schemas as {@code /api/v1/schemas}, in UC's shape, same grants. */
@RestController
@RequestMapping(UnityCatalogApi.BASE + "/schemas")
public class UnitySchemasController {

    public record CreateSchema(String name, String catalogName, String comment, Map<String, String> properties) {}

    public record UpdateSchema(String comment, Map<String, String> properties, String newName, String owner) {}

    public record SchemaInfo(
            String name,
            String catalogName,
            String comment,
            Map<String, String> properties,
            String fullName,
            String owner,
            Long createdAt,
            Long updatedAt,
            UUID schemaId) {}

    public record ListSchemasResponse(List<SchemaInfo> schemas, String nextPageToken) {}

    private final CatalogRepository repository;
    private final AccessControl access;
    private final GrantStore grants;

    public UnitySchemasController(CatalogRepository repository, AccessControl access, GrantStore grants) {
        this.repository = requireNonNull(repository, "repository");
        this.access = requireNonNull(access, "access");
        this.grants = requireNonNull(grants, "grants");
    }

    /** Needs USE_CATALOG and CREATE_SCHEMA on the catalog; the caller owns the new schema. */
    @PostMapping
    public SchemaInfo create(@RequestBody CreateSchema request) {
        String catalog = Names.part("catalog", request.catalogName());
        String name = Names.part("schema", request.name());
        access.require(Securable.catalog(catalog), Privilege.CREATE_SCHEMA);
        repository.createSchema(catalog, name, request.comment(), UnityNames.properties(request.properties()));
        access.makeCallerOwner(Securable.schema(catalog, name));
        return info(repository.schemaEntry(catalog, name));
    }

    @GetMapping
    public ListSchemasResponse list(
            @RequestParam(name = "catalog_name") String catalogName,
            @RequestParam(name = "max_results", required = false) Integer maxResults,
            @RequestParam(name = "page_token", required = false) String pageToken) {
        int limit = UnityCatalogApi.pageSize(maxResults);
        String catalog = Names.part("catalog", catalogName);
        access.require(Securable.catalog(catalog), Privilege.USE_CATALOG);
        repository.getCatalog(catalog);
        String[] only =
                access.visibleChildNames(Securable.catalog(catalog), SecurableType.SCHEMA, Privilege.USE_SCHEMA);
        List<SchemaEntry> page = repository.schemaEntries(catalog, PageTokens.decode(pageToken), limit + 1, only);
        String next =
                page.size() > limit ? PageTokens.encode(page.get(limit - 1).name()) : null;
        return new ListSchemasResponse(
                page.subList(0, Math.min(limit, page.size())).stream()
                        .map(this::info)
                        .toList(),
                next);
    }

    @GetMapping("/{fullName}")
    public SchemaInfo get(@PathVariable String fullName) {
        String[] parts = Names.split(fullName, 2, "schema");
        access.require(Securable.schema(parts[0], parts[1]), Privilege.USE_SCHEMA);
        return info(repository.schemaEntry(parts[0], parts[1]));
    }

    /** Comment, properties and owner (a transfer); needs ownership or MANAGE. */
    @PatchMapping("/{fullName}")
    public SchemaInfo update(@PathVariable String fullName, @RequestBody UpdateSchema request) {
        String[] parts = Names.split(fullName, 2, "schema");
        access.requireManage(Securable.schema(parts[0], parts[1]));
        UnityNames.refuseRename(fullName, request.newName());
        SchemaEntry updated = repository.updateSchema(
                parts[0], parts[1], request.comment(), UnityNames.propertiesOrNull(request.properties()));
        if (request.owner() == null) {
            return info(updated);
        }
        // after the update: a schema that is not there (404) got no owner
        access.transferOwnership(Securable.schema(parts[0], parts[1]), request.owner());
        return info(repository.schemaEntry(parts[0], parts[1]));
    }

    @DeleteMapping("/{fullName}")
    public Map<String, Object> delete(
            @PathVariable String fullName, @RequestParam(defaultValue = "false") boolean force) {
        String[] parts = Names.split(fullName, 2, "schema");
        access.requireManage(Securable.schema(parts[0], parts[1]));
        DeadlockRetry.run(() -> repository.deleteSchema(parts[0], parts[1], force));
        return Map.of();
    }

    private SchemaInfo info(SchemaEntry entry) {
        return new SchemaInfo(
                entry.name(),
                entry.catalog(),
                entry.comment(),
                entry.properties(),
                entry.fullName(),
                grants.owner(Securable.schema(entry.catalog(), entry.name())).orElse(null),
                UnityCatalogApi.millis(entry.createdAt()),
                UnityCatalogApi.millis(entry.updatedAt()),
                entry.id());
    }
}
