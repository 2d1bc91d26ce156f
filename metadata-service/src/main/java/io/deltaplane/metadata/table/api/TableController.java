package io.deltaplane.metadata.table.api;

import static java.util.Objects.requireNonNull;

import io.deltaplane.metadata.catalog.CatalogRepository;
import io.deltaplane.support.access.AccessControl;
import io.deltaplane.support.access.Privilege;
import io.deltaplane.support.access.Securable;
import io.deltaplane.support.access.SecurableType;
import io.deltaplane.support.names.Names;
import io.deltaplane.support.paging.PageTokens;
import io.deltaplane.support.security.ApiKeyRequests;
import io.deltaplane.support.security.Scope;
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

/** Tables: create (version 0), list by schema, get, delete ({@code purge=true} also deletes files). */
@RestController
@RequestMapping("/api/v1/tables")
public class TableController {

    public record TableList(List<TableResponse> tables, String nextPageToken) {}

    private final TableService service;
    private final CatalogRepository catalogs;
    private final AccessControl access;

    public TableController(TableService service, CatalogRepository catalogs, AccessControl access) {
        this.service = requireNonNull(service, "service");
        this.catalogs = requireNonNull(catalogs, "catalogs");
        this.access = requireNonNull(access, "access");
    }

    /** Needs USE_CATALOG, USE_SCHEMA and CREATE_TABLE on the schema; the caller owns the new table. */
    @PostMapping
    @ResponseStatus(HttpStatus.CREATED)
    public TableResponse create(@RequestBody CreateTableRequest request) {
        Securable schema = Securable.schema(
                Names.part("catalog", request.catalogName()), Names.part("schema", request.schemaName()));
        access.require(schema, Privilege.CREATE_TABLE);
        TableResponse created = service.create(request);
        access.makeCallerOwner(Securable.table(created.fullName()));
        return created;
    }

    @GetMapping
    public TableList list(
            @RequestParam(name = "catalog_name") String catalogName,
            @RequestParam(name = "schema_name") String schemaName,
            @RequestParam(name = "max_results", required = false) Integer maxResults,
            @RequestParam(name = "page_token", required = false) String pageToken) {
        int limit = PageTokens.limit(maxResults);
        String catalog = Names.part("catalog", catalogName);
        String schema = Names.part("schema", schemaName);
        Securable parent = Securable.schema(catalog, schema);
        access.require(parent, Privilege.USE_SCHEMA);
        catalogs.schemaEntry(catalog, schema); // 404 for a schema that does not exist
        String[] only = access.visibleChildNames(parent, SecurableType.TABLE, Privilege.SELECT);
        List<TableResponse> page = service.list(catalog, schema, PageTokens.decode(pageToken), limit + 1, only);
        String next =
                page.size() > limit ? PageTokens.encode(page.get(limit - 1).name()) : null;
        return new TableList(page.subList(0, Math.min(limit, page.size())), next);
    }

    @GetMapping("/{fullName}")
    public TableResponse get(@PathVariable String fullName) {
        access.requireAny(Securable.table(fullName), Privilege.SELECT, Privilege.MODIFY);
        return service.get(fullName);
    }

    @DeleteMapping("/{fullName}")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    public void delete(@PathVariable String fullName, @RequestParam(defaultValue = "false") boolean purge) {
        access.requireManage(Securable.table(fullName));
        if (purge) {
            // Decided on the bound value the drop acts on (an owner may drop, only an admin deletes files).
            ApiKeyRequests.require(Scope.ADMIN, "Purging a table's files");
        }
        service.drop(fullName, purge);
    }
}
