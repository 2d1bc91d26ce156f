package io.deltaplane.metadata.catalog;

import static java.util.Objects.requireNonNull;

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

/** Schemas inside a catalog: create, list by catalog, get and delete by {@code catalog.schema}. */
@RestController
@RequestMapping("/api/v1/schemas")
public class SchemaController {

    public record CreateSchema(String catalogName, String name, String comment) {}

    public record Schema(String catalogName, String name, String fullName, String comment, Instant createdAt) {}

    public record SchemaList(List<Schema> schemas, String nextPageToken) {}

    private final CatalogRepository repository;

    public SchemaController(CatalogRepository repository) {
        this.repository = requireNonNull(repository, "repository");
    }

    @PostMapping
    @ResponseStatus(HttpStatus.CREATED)
    public Schema create(@RequestBody CreateSchema request) {
        return repository.createSchema(
                Names.part("catalog", request.catalogName()), Names.part("schema", request.name()), request.comment());
    }

    @GetMapping
    public SchemaList list(
            @RequestParam(name = "catalog_name") String catalogName,
            @RequestParam(name = "max_results", required = false) Integer maxResults,
            @RequestParam(name = "page_token", required = false) String pageToken) {
        int limit = PageTokens.limit(maxResults);
        String catalog = Names.part("catalog", catalogName);
        repository.getCatalog(catalog);
        List<Schema> page = repository.listSchemas(catalog, PageTokens.decode(pageToken), limit + 1);
        String next =
                page.size() > limit ? PageTokens.encode(page.get(limit - 1).name()) : null;
        return new SchemaList(page.subList(0, Math.min(limit, page.size())), next);
    }

    @GetMapping("/{fullName}")
    public Schema get(@PathVariable String fullName) {
        String[] parts = Names.split(fullName, 2, "schema");
        return repository.getSchema(parts[0], parts[1]);
    }

    @DeleteMapping("/{fullName}")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    public void delete(@PathVariable String fullName, @RequestParam(defaultValue = "false") boolean force) {
        String[] parts = Names.split(fullName, 2, "schema");
        DeadlockRetry.run(() -> repository.deleteSchema(parts[0], parts[1], force));
    }
}
