package io.deltaplane.metadata.unity;

import static java.util.Objects.requireNonNull;

import io.deltaplane.metadata.catalog.CatalogService;
import io.deltaplane.metadata.catalog.SchemaName;
import io.deltaplane.metadata.catalog.SchemaService;
import io.deltaplane.metadata.imports.ImportTableRequest;
import io.deltaplane.metadata.imports.TableImporter;
import io.deltaplane.metadata.table.api.CreateTableRequest;
import io.deltaplane.metadata.table.api.TableResponse;
import io.deltaplane.metadata.table.api.TableService;
import io.deltaplane.metadata.unity.UnityColumns.ColumnInfo;
import io.deltaplane.metadata.unity.delta.DeltaRestModels;
import io.deltaplane.metadata.unity.delta.DeltaRestService;
import io.deltaplane.support.access.AccessControl;
import io.deltaplane.support.access.Privilege;
import io.deltaplane.support.access.Securable;
import io.deltaplane.support.access.SecurableType;
import io.deltaplane.support.names.Names;
import io.deltaplane.support.paging.PageTokens;
import io.deltaplane.support.problem.ApiException;
import io.deltaplane.support.problem.ErrorCode;
import java.util.List;
import java.util.Map;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * Unity Catalog's tables: the same tables as {@code /api/v1/tables}, in UC's shape, same grants.
 * {@code POST /tables} registers an EXTERNAL Delta table: a location that already holds a Delta log
 * is adopted (as {@code /api/v1/tables/import} does), an empty one gets version 0 from the columns.
 * A MANAGED table is finalized here after an engine created it at a location staged with {@code
 * POST /staging-tables}.
 */
@RestController
public class UnityTablesController {

    public record CreateTable(
            String name,
            String catalogName,
            String schemaName,
            String tableType,
            String dataSourceFormat,
            List<ColumnInfo> columns,
            String storageLocation,
            String comment,
            Map<String, String> properties) {}

    public record ListTablesResponse(List<UnityTableInfo> tables, String nextPageToken) {}

    public record TableSummary(String fullName, String tableType) {}

    public record ListTableSummariesResponse(List<TableSummary> tables, String nextPageToken) {}

    private final TableService tables;
    private final TableImporter importer;
    private final CatalogService catalogs;
    private final SchemaService schemas;
    private final UnityTableInfos infos;
    private final DeltaRestService staging;
    private final AccessControl access;

    public UnityTablesController(
            TableService tables,
            TableImporter importer,
            CatalogService catalogs,
            SchemaService schemas,
            UnityTableInfos infos,
            DeltaRestService staging,
            AccessControl access) {
        this.tables = requireNonNull(tables, "tables");
        this.importer = requireNonNull(importer, "importer");
        this.catalogs = requireNonNull(catalogs, "catalogs");
        this.schemas = requireNonNull(schemas, "schemas");
        this.infos = requireNonNull(infos, "infos");
        this.staging = requireNonNull(staging, "staging");
        this.access = requireNonNull(access, "access");
    }

    /** Needs CREATE_TABLE on the schema; the caller owns the new table. */
    @PostMapping(UnityCatalogApi.BASE + "/tables")
    public UnityTableInfo create(@RequestBody CreateTable request) {
        String catalog = Names.part("catalog", request.catalogName());
        String schema = Names.part("schema", request.schemaName());
        String name = Names.part("table", request.name());
        access.require(Securable.schema(catalog, schema), Privilege.CREATE_TABLE);
        if ("MANAGED".equals(request.tableType())) {
            return finalizeStaged(catalog, schema, name, request);
        }
        if (!"EXTERNAL".equals(request.tableType())) {
            throw ApiException.badRequest(
                    ErrorCode.VALIDATION_FAILED, "table_type: MANAGED (a staged table) or EXTERNAL.");
        }
        if (request.dataSourceFormat() != null && !"DELTA".equals(request.dataSourceFormat())) {
            throw ApiException.badRequest(
                    ErrorCode.VALIDATION_FAILED, "data_source_format: Deltaplane keeps DELTA tables only.");
        }
        if (request.storageLocation() == null || request.storageLocation().isBlank()) {
            throw ApiException.badRequest(
                    ErrorCode.VALIDATION_FAILED, "storage_location is required for an EXTERNAL table.");
        }
        ImportTableRequest adopt = new ImportTableRequest(catalog, schema, name, request.storageLocation());
        TableResponse created;
        if (request.columns() == null || request.columns().isEmpty()) {
            // No columns: register the Delta table already at the location, with its own schema.
            created = importer.importTable(adopt);
        } else {
            try {
                created = tables.create(new CreateTableRequest(
                        catalog,
                        schema,
                        name,
                        UnityColumns.schema(request.columns()),
                        UnityColumns.partitions(request.columns()),
                        UnityNames.properties(request.properties()),
                        request.storageLocation(),
                        request.comment()));
            } catch (ApiException e) {
                if (!ErrorCode.LOCATION_IN_USE.code().equals(e.errorCode())) {
                    throw e;
                }
                // The location holds a Delta table already: its log and schema win over the columns.
                created = importer.importTable(adopt);
            }
        }
        access.makeCallerOwner(Securable.table(created.fullName()));
        return infos.of(created);
    }

    /**
     * A MANAGED table is one an engine created at a location staged with {@code POST
     * /staging-tables}: its version 0 is read from there (the Delta API's finalize, in UC's shape).
     */
    private UnityTableInfo finalizeStaged(String catalog, String schema, String name, CreateTable request) {
        if (request.storageLocation() == null || request.storageLocation().isBlank()) {
            throw ApiException.badRequest(
                    ErrorCode.VALIDATION_FAILED,
                    "storage_location: a MANAGED table is created at the location POST /staging-tables handed out;"
                            + " POST /api/v1/tables creates one without staging.");
        }
        DeltaRestService.Created created = staging.finalizeCreate(
                catalog,
                schema,
                new DeltaRestModels.DeltaCreateTableRequest(
                        name,
                        request.storageLocation(),
                        "MANAGED",
                        "DELTA",
                        request.comment(),
                        null,
                        null,
                        null,
                        request.properties(),
                        null,
                        null,
                        null),
                access.caller().principal(),
                access.isMetastoreAdmin(access.caller()));
        access.makeCallerOwner(Securable.table(created.fullName()));
        return infos.of(tables.get(created.fullName()));
    }

    @GetMapping(UnityCatalogApi.BASE + "/tables")
    public ListTablesResponse list(
            @RequestParam(name = "catalog_name") String catalogName,
            @RequestParam(name = "schema_name") String schemaName,
            @RequestParam(name = "max_results", required = false) Integer maxResults,
            @RequestParam(name = "page_token", required = false) String pageToken) {
        int limit = UnityCatalogApi.pageSize(maxResults);
        String catalog = Names.part("catalog", catalogName);
        String schema = Names.part("schema", schemaName);
        Securable parent = Securable.schema(catalog, schema);
        schemas.get(SchemaName.of(catalog, schema)); // USE_SCHEMA; 404 for a schema that does not exist
        List<TableResponse> page = tables.list(
                catalog,
                schema,
                PageTokens.decode(pageToken),
                limit + 1,
                access.visibleChildNames(parent, SecurableType.TABLE, Privilege.SELECT));
        String next =
                page.size() > limit ? PageTokens.encode(page.get(limit - 1).name()) : null;
        return new ListTablesResponse(
                page.subList(0, Math.min(limit, page.size())).stream()
                        .map(infos::of)
                        .toList(),
                next);
    }

    /**
     * Names and types of the tables of a catalog's schemas, for engines that list before they load.
     * {@code schema_name_pattern} and {@code table_name_pattern} are SQL LIKE patterns ({@code %},
     * {@code _}); absent or empty matches all.
     */
    @GetMapping(UnityCatalogApi.BASE + "/table-summaries")
    public ListTableSummariesResponse summaries(
            @RequestParam(name = "catalog_name") String catalogName,
            @RequestParam(name = "schema_name_pattern", required = false) String schemaPattern,
            @RequestParam(name = "table_name_pattern", required = false) String tablePattern,
            @RequestParam(name = "max_results", required = false) Integer maxResults,
            @RequestParam(name = "page_token", required = false) String pageToken) {
        int limit = UnityCatalogApi.pageSize(maxResults);
        String catalog = Names.part("catalog", catalogName);
        catalogs.get(catalog); // USE_CATALOG; 404 for a catalog that does not exist
        String[] visibleSchemas =
                access.visibleChildNames(Securable.catalog(catalog), SecurableType.SCHEMA, Privilege.USE_SCHEMA);
        // Filtered by table grants batch by batch, so a page is full whenever more tables are visible.
        List<UnityTableInfos.Summary> page = new java.util.ArrayList<>();
        String after = PageTokens.decode(pageToken);
        while (page.size() <= limit) {
            List<UnityTableInfos.Summary> batch =
                    infos.summaries(catalog, visibleSchemas, like(schemaPattern), like(tablePattern), after, limit + 1);
            for (UnityTableInfos.Summary summary : batch) {
                if (access.visibleChildren(
                                Securable.schema(catalog, summary.schema()), SecurableType.TABLE, Privilege.SELECT)
                        .map(names -> names.contains(summary.fullName()))
                        .orElse(true)) {
                    page.add(summary);
                }
            }
            if (batch.size() <= limit) {
                break;
            }
            after = batch.get(batch.size() - 1).cursor();
        }
        String next =
                page.size() > limit ? PageTokens.encode(page.get(limit - 1).cursor()) : null;
        return new ListTableSummariesResponse(
                page.subList(0, Math.min(limit, page.size())).stream()
                        .map(s -> new TableSummary(s.fullName(), s.tableType()))
                        .toList(),
                next);
    }

    @GetMapping(UnityCatalogApi.BASE + "/tables/{fullName}")
    public UnityTableInfo get(@PathVariable String fullName) {
        access.requireAny(Securable.table(fullName), Privilege.SELECT, Privilege.MODIFY);
        infos.followLog(fullName); // an EXTERNAL table's log is the table: engines may have committed
        return infos.of(tables.get(fullName));
    }

    /** {@code PATCH /tables/{full_name}} (Databricks' shape): a table's owner; needs ownership or MANAGE. */
    public record UpdateTable(String owner) {}

    @PatchMapping(UnityCatalogApi.BASE + "/tables/{fullName}")
    public UnityTableInfo update(@PathVariable String fullName, @RequestBody UpdateTable request) {
        access.requireManage(Securable.table(fullName));
        tables.get(fullName); // 404 before any owner is written
        if (request.owner() != null) {
            access.transferOwnership(Securable.table(fullName), request.owner());
        }
        return infos.of(tables.get(fullName));
    }

    /** Drops the table from the catalog; its files stay (purging them is {@code /api/v1}'s, for admins). */
    @DeleteMapping(UnityCatalogApi.BASE + "/tables/{fullName}")
    public Map<String, Object> delete(@PathVariable String fullName) {
        access.requireManage(Securable.table(fullName));
        tables.drop(fullName, false);
        return Map.of();
    }

    private static String like(String pattern) {
        if (pattern == null || pattern.isEmpty()) {
            return "%";
        }
        if (pattern.length() > 255) {
            throw ApiException.badRequest(ErrorCode.VALIDATION_FAILED, "name patterns are at most 255 characters.");
        }
        return pattern;
    }
}
