package io.deltaplane.metadata.table.api;

import static java.util.Objects.requireNonNull;

import io.deltaplane.metadata.catalog.CatalogRepository;
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

    public TableController(TableService service, CatalogRepository catalogs) {
        this.service = requireNonNull(service, "service");
        this.catalogs = requireNonNull(catalogs, "catalogs");
    }

    @PostMapping
    @ResponseStatus(HttpStatus.CREATED)
    public TableResponse create(@RequestBody CreateTableRequest request) {
        return service.create(request);
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
        catalogs.getSchema(catalog, schema); // 404 for a schema that does not exist
        List<TableResponse> page = service.list(catalog, schema, PageTokens.decode(pageToken), limit + 1);
        String next =
                page.size() > limit ? PageTokens.encode(page.get(limit - 1).name()) : null;
        return new TableList(page.subList(0, Math.min(limit, page.size())), next);
    }

    @GetMapping("/{fullName}")
    public TableResponse get(@PathVariable String fullName) {
        return service.get(fullName);
    }

    @DeleteMapping("/{fullName}")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    public void delete(@PathVariable String fullName, @RequestParam(defaultValue = "false") boolean purge) {
        if (purge) {
            // Decided on the bound value the drop acts on (a write key may drop, only admin deletes files).
            ApiKeyRequests.require(Scope.ADMIN, "Purging a table's files");
        }
        service.drop(fullName, purge);
    }
}
