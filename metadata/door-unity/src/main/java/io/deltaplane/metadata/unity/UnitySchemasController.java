package io.deltaplane.metadata.unity;

import static java.util.Objects.requireNonNull;

import io.deltaplane.metadata.catalog.SchemaEntry;
import io.deltaplane.metadata.catalog.SchemaService;
import io.deltaplane.metadata.names.SchemaName;
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

    private final SchemaService schemas;

    public UnitySchemasController(SchemaService schemas) {
        this.schemas = requireNonNull(schemas, "schemas");
    }

    /** Needs USE_CATALOG and CREATE_SCHEMA on the catalog; the caller owns the new schema. */
    @PostMapping
    public SchemaInfo create(@RequestBody CreateSchema request) {
        return info(schemas.create(
                SchemaName.of(request.catalogName(), request.name()),
                request.comment(),
                UnityNames.properties(request.properties())));
    }

    @GetMapping
    public ListSchemasResponse list(
            @RequestParam(name = "catalog_name") String catalogName,
            @RequestParam(name = "max_results", required = false) Integer maxResults,
            @RequestParam(name = "page_token", required = false) String pageToken) {
        Page<SchemaInfo> page = schemas.list(
                        catalogName, UnityCatalogApi.pageToken(pageToken), UnityCatalogApi.pageSize(maxResults))
                .map(this::info);
        return new ListSchemasResponse(page.items(), page.nextPageToken());
    }

    @GetMapping("/{fullName}")
    public SchemaInfo get(@PathVariable String fullName) {
        return info(schemas.get(SchemaName.parse(fullName)));
    }

    /**
     * Comment, properties and owner (a transfer); needs ownership or MANAGE. A new name is refused
     * (400), after UC's own answers: malformed 400, no such schema 404, taken 400
     * SCHEMA_ALREADY_EXISTS.
     */
    @PatchMapping("/{fullName}")
    public SchemaInfo update(@PathVariable String fullName, @RequestBody UpdateSchema request) {
        return info(UnityRenames.update(
                ErrorCode.SCHEMA_ALREADY_EXISTS,
                () -> schemas.update(
                        SchemaName.parse(fullName),
                        request.newName(),
                        request.comment(),
                        UnityNames.propertiesOrNull(request.properties()),
                        request.owner())));
    }

    @DeleteMapping("/{fullName}")
    public Map<String, Object> delete(
            @PathVariable String fullName, @RequestParam(defaultValue = "false") boolean force) {
        schemas.delete(SchemaName.parse(fullName), force);
        return Map.of();
    }

    private SchemaInfo info(SchemaEntry entry) {
        return new SchemaInfo(
                entry.name(),
                entry.catalog(),
                entry.comment(),
                entry.properties(),
                entry.fullName(),
                entry.owner(),
                UnityCatalogApi.millis(entry.createdAt()),
                UnityCatalogApi.millis(entry.updatedAt()),
                entry.id());
    }
}
