package io.deltaplane.metadata.api.table;

import static java.util.Objects.requireNonNull;

import io.deltaplane.metadata.names.SchemaName;
import io.deltaplane.metadata.names.TableName;
import io.deltaplane.metadata.table.TableEntry;
import io.deltaplane.metadata.table.api.CreateTableRequest;
import io.deltaplane.metadata.table.api.TableService;
import io.deltaplane.support.paging.Page;
import io.deltaplane.support.paging.PageTokens;
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
 * Tables: create (version 0), list by schema, get, delete ({@code purge=true} also deletes files).
 * {@link TableService} answers {@link TableEntry}s; this door shows them as {@link TableResponse}s.
 */
@RestController
@RequestMapping("/api/v1/tables")
public class TableController {

    public record TableList(List<TableResponse> tables, String nextPageToken) {}

    private final TableService service;

    public TableController(TableService service) {
        this.service = requireNonNull(service, "service");
    }

    /** Needs USE_CATALOG, USE_SCHEMA and CREATE_TABLE on the schema; the caller owns the new table. */
    @PostMapping
    @ResponseStatus(HttpStatus.CREATED)
    public TableResponse create(@RequestBody CreateTableRequest request) {
        return TableResponse.of(service.create(request));
    }

    @GetMapping
    public TableList list(
            @RequestParam(name = "catalog_name") String catalogName,
            @RequestParam(name = "schema_name") String schemaName,
            @RequestParam(name = "max_results", required = false) Integer maxResults,
            @RequestParam(name = "page_token", required = false) String pageToken) {
        Page<TableResponse> page = service.list(
                        SchemaName.of(catalogName, schemaName), pageToken, PageTokens.limit(maxResults))
                .map(TableResponse::of);
        return new TableList(page.items(), page.nextPageToken());
    }

    @GetMapping("/{fullName}")
    public TableResponse get(@PathVariable String fullName) {
        return TableResponse.of(service.get(TableName.parse(fullName)));
    }

    @DeleteMapping("/{fullName}")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    public void delete(@PathVariable String fullName, @RequestParam(defaultValue = "false") boolean purge) {
        service.drop(TableName.parse(fullName), purge);
    }
}
