package io.deltaplane.metadata.api.catalog;

import static java.util.Objects.requireNonNull;

import io.deltaplane.metadata.catalog.SchemaEntry;
import io.deltaplane.metadata.catalog.SchemaService;
import io.deltaplane.metadata.names.SchemaName;
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
 * Schemas in {@code /api/v1}'s shape over {@link SchemaService}, which authorizes each call: create,
 * list by catalog, get and delete by {@code catalog.schema}.
 */
@RestController
@RequestMapping("/api/v1/schemas")
public class SchemaController {

    public record CreateSchema(String catalogName, String name, String comment) {}

    public record Schema(String catalogName, String name, String fullName, String comment, Instant createdAt) {}

    public record SchemaList(List<Schema> schemas, String nextPageToken) {}

    private final SchemaService schemas;

    public SchemaController(SchemaService schemas) {
        this.schemas = requireNonNull(schemas, "schemas");
    }

    /** Needs USE_CATALOG and CREATE_SCHEMA on the catalog; the caller owns the new schema. */
    @PostMapping
    @ResponseStatus(HttpStatus.CREATED)
    public Schema create(@RequestBody CreateSchema request) {
        return schema(
                schemas.create(SchemaName.of(request.catalogName(), request.name()), request.comment(), Map.of()));
    }

    @GetMapping
    public SchemaList list(
            @RequestParam(name = "catalog_name") String catalogName,
            @RequestParam(name = "max_results", required = false) Integer maxResults,
            @RequestParam(name = "page_token", required = false) String pageToken) {
        Page<Schema> page = schemas.list(catalogName, pageToken, PageTokens.limit(maxResults))
                .map(SchemaController::schema);
        return new SchemaList(page.items(), page.nextPageToken());
    }

    @GetMapping("/{fullName}")
    public Schema get(@PathVariable String fullName) {
        return schema(schemas.get(SchemaName.parse(fullName)));
    }

    @DeleteMapping("/{fullName}")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    public void delete(@PathVariable String fullName, @RequestParam(defaultValue = "false") boolean force) {
        schemas.delete(SchemaName.parse(fullName), force);
    }

    private static Schema schema(SchemaEntry entry) {
        return new Schema(entry.catalog(), entry.name(), entry.fullName(), entry.comment(), entry.createdAt());
    }
}
