package io.deltaplane.metadata.unity;

import static java.util.Objects.requireNonNull;

import io.deltaplane.metadata.imports.ImportTableRequest;
import io.deltaplane.metadata.imports.TableImporter;
import io.deltaplane.metadata.managed.CatalogManagedVersionZero;
import io.deltaplane.metadata.names.SchemaName;
import io.deltaplane.metadata.names.TableName;
import io.deltaplane.metadata.table.api.CreateTableRequest;
import io.deltaplane.metadata.table.api.TableService;
import io.deltaplane.metadata.unity.UnityColumns.ColumnInfo;
import io.deltaplane.metadata.unity.delta.DeltaRestModels;
import io.deltaplane.metadata.unity.delta.DeltaRestService;
import io.deltaplane.metadata.views.TablesAndViews;
import io.deltaplane.metadata.views.ViewService;
import io.deltaplane.support.access.AccessControl;
import io.deltaplane.support.access.Privilege;
import io.deltaplane.support.paging.Page;
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
 * POST /staging-tables}. Views and metric views ({@code VIEW}, {@code METRIC_VIEW}) are kept by
 * {@link ViewService} and listed, loaded and dropped with the tables ({@link TablesAndViews}).
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
            Map<String, String> properties,
            String viewDefinition,
            UnityTableInfo.DependencyList viewDependencies) {}

    public record ListTablesResponse(List<UnityTableInfo> tables, String nextPageToken) {}

    public record TableSummary(String fullName, String tableType) {}

    public record ListTableSummariesResponse(List<TableSummary> tables, String nextPageToken) {}

    private final TableService tables;
    private final TableImporter importer;
    private final DeltaRestService staging;
    private final AccessControl access;
    private final ViewService views;
    private final TablesAndViews tablesAndViews;

    public UnityTablesController(
            TableService tables,
            TableImporter importer,
            DeltaRestService staging,
            AccessControl access,
            ViewService views,
            TablesAndViews tablesAndViews) {
        this.views = requireNonNull(views, "views");
        this.tablesAndViews = requireNonNull(tablesAndViews, "tablesAndViews");
        this.tables = requireNonNull(tables, "tables");
        this.importer = requireNonNull(importer, "importer");
        this.staging = requireNonNull(staging, "staging");
        this.access = requireNonNull(access, "access");
    }

    /** Needs CREATE_TABLE on the schema; the caller owns the new table. */
    @PostMapping(UnityCatalogApi.BASE + "/tables")
    public UnityTableInfo create(@RequestBody CreateTable request) {
        TableName table = TableName.of(request.catalogName(), request.schemaName(), request.name());
        if ("MANAGED".equals(request.tableType())) {
            return finalizeStaged(table, request);
        }
        var viewType = UnityViews.type(request.tableType());
        if (viewType.isPresent()) {
            return UnityViews.info(views.create(
                    table,
                    viewType.get(),
                    request.viewDefinition(),
                    UnityViews.dependencies(request.viewDependencies()),
                    UnityViews.columnsJson(request.columns()),
                    request.comment(),
                    UnityNames.properties(request.properties())));
        }
        if (!"EXTERNAL".equals(request.tableType())) {
            throw ApiException.badRequest(
                    ErrorCode.VALIDATION_FAILED,
                    "table_type: MANAGED (a staged table), EXTERNAL, VIEW or METRIC_VIEW"
                            + " (STREAMING_TABLE and MATERIALIZED_VIEW creation is not supported).");
        }
        if (request.dataSourceFormat() != null && !"DELTA".equals(request.dataSourceFormat())) {
            throw ApiException.badRequest(
                    ErrorCode.VALIDATION_FAILED, "data_source_format: Deltaplane keeps DELTA tables only.");
        }
        if (request.storageLocation() == null || request.storageLocation().isBlank()) {
            throw ApiException.badRequest(
                    ErrorCode.VALIDATION_FAILED, "storage_location is required for an EXTERNAL table.");
        }
        ImportTableRequest adopt =
                new ImportTableRequest(table.catalog(), table.schema(), table.name(), request.storageLocation());
        if (request.columns() == null || request.columns().isEmpty()) {
            // No columns: register the Delta table already at the location, with its own schema.
            return UnityTableInfos.of(importer.importTable(adopt));
        }
        try {
            return UnityTableInfos.of(tables.create(new CreateTableRequest(
                    table.catalog(),
                    table.schema(),
                    table.name(),
                    UnityColumns.schema(request.columns()),
                    UnityColumns.partitions(request.columns()),
                    UnityNames.properties(request.properties()),
                    request.storageLocation(),
                    request.comment())));
        } catch (ApiException e) {
            if (!e.is(ErrorCode.LOCATION_IN_USE)) {
                throw e;
            }
            // The location holds a Delta table already: its log and schema win over the columns.
            return UnityTableInfos.of(importer.importTable(adopt));
        }
    }

    /**
     * A MANAGED table is one created at a location staged with {@code POST /staging-tables}: its
     * version 0 is read from there when an engine wrote it (the Delta API's finalize, in UC's shape),
     * else written by the catalog from the request's columns and properties, as UC's own clients
     * register one; engines commit from version 1.
     */
    private UnityTableInfo finalizeStaged(TableName table, CreateTable request) {
        access.require(table.schemaName().securable(), Privilege.CREATE_TABLE);
        if (request.storageLocation() == null || request.storageLocation().isBlank()) {
            throw ApiException.badRequest(
                    ErrorCode.VALIDATION_FAILED,
                    "storage_location: a MANAGED table is created at the location POST /staging-tables handed out;"
                            + " POST /api/v1/tables creates one without staging.");
        }
        DeltaRestService.Created created = staging.finalizeCreate(
                table.catalog(),
                table.schema(),
                new DeltaRestModels.DeltaCreateTableRequest(
                        table.name(),
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
                request.columns() == null || request.columns().isEmpty()
                        ? null
                        : new CatalogManagedVersionZero.Columns(
                                UnityColumns.schema(request.columns()),
                                UnityColumns.partitions(request.columns()),
                                UnityNames.properties(request.properties())),
                access.caller().principal(),
                access.isMetastoreAdmin(access.caller()));
        access.makeCallerOwner(table.securable());
        return UnityTableInfos.of(tables.get(table));
    }

    @GetMapping(UnityCatalogApi.BASE + "/tables")
    public ListTablesResponse list(
            @RequestParam(name = "catalog_name") String catalogName,
            @RequestParam(name = "schema_name") String schemaName,
            @RequestParam(name = "max_results", required = false) Integer maxResults,
            @RequestParam(name = "page_token", required = false) String pageToken) {
        Page<UnityTableInfo> page = tablesAndViews
                .list(
                        SchemaName.of(catalogName, schemaName),
                        UnityCatalogApi.pageToken(pageToken),
                        UnityCatalogApi.pageSize(maxResults))
                .map(this::info);
        return new ListTablesResponse(page.items(), page.nextPageToken());
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
        Page<TableSummary> page = tables.summaries(
                        catalogName, schemaPattern, tablePattern, pageToken, UnityCatalogApi.pageSize(maxResults))
                .map(s -> new TableSummary(s.fullName(), s.tableType()));
        return new ListTableSummariesResponse(page.items(), page.nextPageToken());
    }

    /** An engine loads the table: an EXTERNAL table first takes in what engines committed to its log. */
    @GetMapping(UnityCatalogApi.BASE + "/tables/{fullName}")
    public UnityTableInfo get(@PathVariable String fullName) {
        return info(tablesAndViews.load(TableName.parse(fullName)));
    }

    private UnityTableInfo info(TablesAndViews.Listed listed) {
        if (listed instanceof TablesAndViews.Listed.ViewEntry view) {
            return UnityViews.info(view.view());
        }
        return UnityTableInfos.of(((TablesAndViews.Listed.Table) listed).table());
    }

    /**
     * {@code PATCH /tables/{full_name}} (Databricks' shape): a table's owner; needs ownership or
     * MANAGE. {@code new_name} is read so that it is refused rather than ignored: UC 0.6 has no
     * rename on this door (only the Delta API's {@code /rename}, which Deltaplane does not serve).
     */
    public record UpdateTable(String owner, String newName) {}

    @PatchMapping(UnityCatalogApi.BASE + "/tables/{fullName}")
    public UnityTableInfo update(@PathVariable String fullName, @RequestBody UpdateTable request) {
        return UnityTableInfos.of(UnityRenames.update(
                ErrorCode.TABLE_ALREADY_EXISTS,
                () -> tablesAndViews.update(TableName.parse(fullName), request.newName(), request.owner())));
    }

    /** Drops the table from the catalog; its files stay (purging them is {@code /api/v1}'s, for admins). */
    @DeleteMapping(UnityCatalogApi.BASE + "/tables/{fullName}")
    public Map<String, Object> delete(@PathVariable String fullName) {
        tablesAndViews.drop(TableName.parse(fullName));
        return Map.of();
    }
}
