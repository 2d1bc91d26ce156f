package io.deltaplane.metadata.unity.delta;

import static java.util.Objects.requireNonNull;

import io.deltaplane.metadata.names.SchemaName;
import io.deltaplane.metadata.names.TableName;
import io.deltaplane.metadata.unity.delta.DeltaRestModels.DeltaCatalogConfig;
import io.deltaplane.metadata.unity.delta.DeltaRestModels.DeltaCreateTableRequest;
import io.deltaplane.metadata.unity.delta.DeltaRestModels.DeltaLoadTableResponse;
import io.deltaplane.metadata.unity.delta.DeltaRestModels.DeltaStagingTableRequest;
import io.deltaplane.metadata.unity.delta.DeltaRestModels.DeltaStagingTableResponse;
import io.deltaplane.metadata.unity.delta.DeltaRestModels.DeltaUpdateTableRequest;
import io.deltaplane.metadata.views.TablesAndViews;
import io.deltaplane.support.access.AccessControl;
import io.deltaplane.support.access.Privilege;
import io.deltaplane.support.access.Securable;
import io.deltaplane.support.names.Names;
import io.deltaplane.support.problem.ApiException;
import io.deltaplane.support.problem.ErrorCode;
import java.util.List;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestMethod;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.JsonNode;

/**
 * Unity Catalog's Delta REST API v1, the catalog-managed commit path of Delta Kernel and
 * delta-spark ≥ 4.3: stage a table, finalize its create, load it (or ask whether it exists), commit
 * to it, drop it. Every call is authorized by the caller's grants: staging and creating need
 * CREATE_TABLE on the schema, loading SELECT or MODIFY on the table, committing MODIFY, dropping
 * ownership or MANAGE.
 */
@RestController
@RequestMapping(DeltaRestController.DELTA_V1)
public class DeltaRestController {

    /** Unity Catalog's Delta REST API v1 (kebab-case, its own error shape). */
    public static final String DELTA_V1 = "/api/2.1/unity-catalog/delta/v1";

    static final String SCHEMA = "/catalogs/{catalog}/schemas/{schema}";
    static final String TABLE = SCHEMA + "/tables/{table}";

    private final DeltaRestService service;
    private final DeltaTableUpdates updates;
    private final AccessControl access;
    private final TablesAndViews tables;

    public DeltaRestController(
            DeltaRestService service, DeltaTableUpdates updates, AccessControl access, TablesAndViews tables) {
        this.service = requireNonNull(service, "service");
        this.updates = requireNonNull(updates, "updates");
        this.access = requireNonNull(access, "access");
        this.tables = requireNonNull(tables, "tables");
    }

    /** What this server implements of the API, for clients that ask. */
    @GetMapping("/config")
    public DeltaCatalogConfig config() {
        return new DeltaCatalogConfig(
                List.of(
                        "POST " + SCHEMA + "/staging-tables",
                        "POST " + SCHEMA + "/tables",
                        "GET " + TABLE,
                        "HEAD " + TABLE,
                        "POST " + TABLE,
                        "DELETE " + TABLE,
                        "POST " + TABLE + "/metrics"),
                "1.0");
    }

    @PostMapping(SCHEMA + "/staging-tables")
    public DeltaStagingTableResponse stage(
            @PathVariable String catalog, @PathVariable String schema, @RequestBody DeltaStagingTableRequest request) {
        SchemaName in = SchemaName.of(catalog, schema);
        access.require(in.securable(), Privilege.CREATE_TABLE);
        return service.stage(
                in.catalog(),
                in.name(),
                Names.part("table", request.name()),
                access.caller().principal());
    }

    /** Finalizes a staged create; the caller owns the new table. */
    @PostMapping(SCHEMA + "/tables")
    public DeltaLoadTableResponse create(
            @PathVariable String catalog, @PathVariable String schema, @RequestBody DeltaCreateTableRequest request) {
        SchemaName in = SchemaName.of(catalog, schema);
        access.require(in.securable(), Privilege.CREATE_TABLE);
        if (request.tableType() != null && !"MANAGED".equals(request.tableType())) {
            throw ApiException.badRequest(
                    ErrorCode.VALIDATION_FAILED,
                    "table-type: the Delta API creates MANAGED (catalog-managed) tables; register an EXTERNAL"
                            + " table with POST /api/2.1/unity-catalog/tables");
        }
        DeltaRestService.Created created = service.finalizeCreate(
                in.catalog(),
                in.name(),
                request,
                access.caller().principal(),
                access.isMetastoreAdmin(access.caller()));
        access.makeCallerOwner(Securable.table(created.fullName()));
        return created.table();
    }

    @GetMapping(TABLE)
    public DeltaLoadTableResponse load(
            @PathVariable String catalog, @PathVariable String schema, @PathVariable String table) {
        TableName name = TableName.of(catalog, schema, table);
        access.requireAny(name.securable(), Privilege.SELECT, Privilege.MODIFY);
        return service.load(name.catalog(), name.schema(), name.name());
    }

    /** Whether the table is there (204) or not (404), for a caller who may load it; as UC's {@code tableExists}. */
    @RequestMapping(path = TABLE, method = RequestMethod.HEAD)
    public ResponseEntity<Void> exists(
            @PathVariable String catalog, @PathVariable String schema, @PathVariable String table) {
        TableName name = TableName.of(catalog, schema, table);
        access.requireAny(name.securable(), Privilege.SELECT, Privilege.MODIFY);
        service.catalogTable(name.catalog(), name.schema(), name.name()); // 404 when there is none
        return ResponseEntity.noContent().build();
    }

    /**
     * Drops the table as Unity Catalog's {@code DELETE /tables} does (ownership or MANAGE; a managed
     * table's directory is kept for the dropped-table retention, then purged); 204, as UC's Delta API
     * answers.
     */
    @DeleteMapping(TABLE)
    public ResponseEntity<Void> drop(
            @PathVariable String catalog, @PathVariable String schema, @PathVariable String table) {
        tables.drop(TableName.of(catalog, schema, table));
        return ResponseEntity.noContent().build();
    }

    /** Commits ({@code add-commit}) and the updates that describe it, atomically. */
    @PostMapping(TABLE)
    public DeltaLoadTableResponse update(
            @PathVariable String catalog,
            @PathVariable String schema,
            @PathVariable String table,
            @RequestBody DeltaUpdateTableRequest request) {
        TableName name = TableName.of(catalog, schema, table);
        access.require(name.securable(), Privilege.MODIFY);
        return updates.update(name.catalog(), name.schema(), name.name(), request);
    }

    /** Engines report commit metrics; accepted (and audited like every call), not kept; 204 as UC answers. */
    @PostMapping(TABLE + "/metrics")
    public ResponseEntity<Void> metrics(
            @PathVariable String catalog,
            @PathVariable String schema,
            @PathVariable String table,
            @RequestBody JsonNode report) {
        access.require(TableName.of(catalog, schema, table).securable(), Privilege.MODIFY);
        if (!report.isObject()) {
            throw new ApiException(ErrorCode.VALIDATION_FAILED, "A metrics report is a JSON object.");
        }
        return ResponseEntity.noContent().build();
    }
}
