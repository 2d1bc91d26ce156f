package io.deltaplane.metadata.catalog;

import static java.util.Objects.requireNonNull;

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
 * Schemas inside a catalog: create, list by catalog, get and delete by {@code catalog.schema}, each
 * authorized by the caller's grants; a listing shows the schemas the caller may use.
 */
@RestController
@RequestMapping("/api/v1/schemas")
public class SchemaController {

    public record CreateSchema(String catalogName, String name, String comment) {}

    public record Schema(String catalogName, String name, String fullName, String comment, Instant createdAt) {}

    public record SchemaList(List<Schema> schemas, String nextPageToken) {}

    private final CatalogRepository repository;
    private final AccessControl access;

    public SchemaController(CatalogRepository repository, AccessControl access) {
        this.repository = requireNonNull(repository, "repository");
        this.access = requireNonNull(access, "access");
    }

    /** Needs USE_CATALOG and CREATE_SCHEMA on the catalog; the caller owns the new schema. */
    @PostMapping
    @ResponseStatus(HttpStatus.CREATED)
    public Schema create(@RequestBody CreateSchema request) {
        String catalog = Names.part("catalog", request.catalogName());
        String name = Names.part("schema", request.name());
        access.require(Securable.catalog(catalog), Privilege.CREATE_SCHEMA);
        Schema created = repository.createSchema(catalog, name, request.comment());
        access.makeCallerOwner(Securable.schema(catalog, name));
        return created;
    }

    @GetMapping
    public SchemaList list(
            @RequestParam(name = "catalog_name") String catalogName,
            @RequestParam(name = "max_results", required = false) Integer maxResults,
            @RequestParam(name = "page_token", required = false) String pageToken) {
        int limit = PageTokens.limit(maxResults);
        String catalog = Names.part("catalog", catalogName);
        access.require(Securable.catalog(catalog), Privilege.USE_CATALOG);
        repository.getCatalog(catalog);
        String[] only =
                access.visibleChildNames(Securable.catalog(catalog), SecurableType.SCHEMA, Privilege.USE_SCHEMA);
        List<Schema> page = repository.listSchemas(catalog, PageTokens.decode(pageToken), limit + 1, only);
        String next =
                page.size() > limit ? PageTokens.encode(page.get(limit - 1).name()) : null;
        return new SchemaList(page.subList(0, Math.min(limit, page.size())), next);
    }

    @GetMapping("/{fullName}")
    public Schema get(@PathVariable String fullName) {
        String[] parts = Names.split(fullName, 2, "schema");
        access.require(Securable.schema(parts[0], parts[1]), Privilege.USE_SCHEMA);
        return repository.getSchema(parts[0], parts[1]);
    }

    @DeleteMapping("/{fullName}")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    public void delete(@PathVariable String fullName, @RequestParam(defaultValue = "false") boolean force) {
        String[] parts = Names.split(fullName, 2, "schema");
        access.requireManage(Securable.schema(parts[0], parts[1]));
        DeadlockRetry.run(() -> repository.deleteSchema(parts[0], parts[1], force));
    }
}
