package io.deltaplane.metadata.unity.delta;

import static java.util.Objects.requireNonNull;

import io.deltaplane.metadata.maintenance.EngineMaintenance;
import io.deltaplane.metadata.managed.CatalogCommit;
import io.deltaplane.metadata.managed.CatalogManagedCreation;
import io.deltaplane.metadata.managed.CatalogManagedTableService;
import io.deltaplane.metadata.managed.CatalogManagedTableService.LoadedTable;
import io.deltaplane.metadata.managed.CatalogManagedTables.StagedTable;
import io.deltaplane.metadata.managed.CatalogManagedVersionZero;
import io.deltaplane.metadata.managed.CatalogTable;
import io.deltaplane.metadata.managed.StagedCommitRules;
import io.deltaplane.metadata.table.TableRow;
import io.deltaplane.metadata.unity.delta.DeltaRestModels.DeltaCommit;
import io.deltaplane.metadata.unity.delta.DeltaRestModels.DeltaCreateTableRequest;
import io.deltaplane.metadata.unity.delta.DeltaRestModels.DeltaLoadTableResponse;
import io.deltaplane.metadata.unity.delta.DeltaRestModels.DeltaProtocol;
import io.deltaplane.metadata.unity.delta.DeltaRestModels.DeltaStagingTableResponse;
import io.deltaplane.metadata.unity.delta.DeltaRestModels.DeltaTableMetadata;
import io.deltaplane.support.names.Names;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.UUID;
import org.springframework.stereotype.Service;
import tools.jackson.databind.JsonNode;

/**
 * The Delta REST API's shapes over {@link CatalogManagedCreation} and {@link CatalogManagedTableService}: staging, finalizing and
 * loading catalog-managed tables, as Unity Catalog's clients send and read them. Request/response
 * mapping only; what the catalog decides lives in the {@code managed} package.
 */
@Service
public class DeltaRestService {

    /** What every catalog-managed table declares (the protocol's catalogManaged needs ICT). */
    static final DeltaProtocol REQUIRED_PROTOCOL = new DeltaProtocol(
            3, 7, CatalogManagedCreation.REQUIRED_READER_FEATURES, CatalogManagedCreation.REQUIRED_WRITER_FEATURES);

    private final CatalogManagedTableService tables;
    private final CatalogManagedCreation creation;
    private final EngineMaintenance maintenance;

    public DeltaRestService(
            CatalogManagedTableService tables, CatalogManagedCreation creation, EngineMaintenance maintenance) {
        this.maintenance = requireNonNull(maintenance, "maintenance");
        this.tables = requireNonNull(tables, "tables");
        this.creation = requireNonNull(creation, "creation");
    }

    /** Reserves a UC table id and the table's managed location; staging the same name again answers the same. */
    public DeltaStagingTableResponse stage(String catalog, String schema, String name, String principal) {
        StagedTable staged = creation.stage(catalog, schema, name, principal);
        return new DeltaStagingTableResponse(
                staged.unityId(),
                "MANAGED",
                staged.location(),
                REQUIRED_PROTOCOL,
                new DeltaProtocol(3, 7, List.of(), List.of()),
                CatalogManagedCreation.requiredProperties(staged),
                Map.of(),
                List.of());
    }

    /** A table an engine created, and how it loads now. */
    public record Created(String fullName, DeltaLoadTableResponse table) {}

    /**
     * Registers the table the engine created at a staged location. A repeated finalize of the same
     * table answers it again (engines retry creates that may have landed).
     */
    public Created finalizeCreate(
            String catalog, String schema, DeltaCreateTableRequest request, String principal, boolean admin) {
        return finalizeCreate(catalog, schema, request, null, principal, admin);
    }

    /**
     * {@link #finalizeCreate}, for a client that may register the table by its {@code columns}
     * rather than write version 0 (Unity Catalog's {@code POST /tables}); null: it wrote it.
     */
    public Created finalizeCreate(
            String catalog,
            String schema,
            DeltaCreateTableRequest request,
            CatalogManagedVersionZero.Columns columns,
            String principal,
            boolean admin) {
        String declared =
                request.properties() == null ? null : request.properties().get(StagedCommitRules.UNITY_TABLE_ID);
        TableRow created = creation.finalizeCreate(
                catalog,
                schema,
                new CatalogManagedCreation.Finalize(
                        request.name() == null ? null : Names.part("table", request.name()),
                        request.location(),
                        declared,
                        request.comment(),
                        columns),
                principal,
                admin);
        return new Created(created.fullName(), load(created));
    }

    public DeltaLoadTableResponse load(String catalog, String schema, String name) {
        return response(tables.load(catalog, schema, name));
    }

    /** The UC id of a table: the staged id for tables engines created, else the table's own id. */
    public UUID unityId(TableRow table) {
        return tables.unityId(table);
    }

    DeltaLoadTableResponse load(TableRow table) {
        return response(tables.load(table));
    }

    /** The table as an engine loads it, from what the caller read (and published) already. */
    DeltaLoadTableResponse load(CatalogTable table, OptionalLong publishedVersion) {
        return response(tables.load(table, publishedVersion));
    }

    /** The table by name with its registration, read once for a request; 404 when there is none. */
    CatalogTable catalogTable(String catalog, String schema, String name) {
        return tables.catalogTable(catalog, schema, name);
    }

    /** The table with this UC id with its registration, read once for a request; 404 when there is none. */
    CatalogTable catalogTableByUnityId(String id) {
        return tables.catalogTableByUnityId(id);
    }

    /** The ratified commits not yet known to be published (see {@link CatalogManagedTableService}). */
    public List<CatalogCommit> unpublishedCommits(TableRow table) {
        return tables.unpublishedCommits(table);
    }

    /** The table with this UC id (as staged, or a table's own id), or 404. */
    public TableRow tableByUnityId(String id) {
        return tables.tableByUnityId(id);
    }

    private DeltaLoadTableResponse response(LoadedTable loaded) {
        TableRow table = loaded.table();
        JsonNode metadata = loaded.metadata();
        JsonNode protocol = loaded.protocol();
        Map<String, String> properties = new LinkedHashMap<>();
        metadata.path("configuration")
                .properties()
                .forEach(e -> properties.put(e.getKey(), e.getValue().asString()));
        properties.put(
                "delta.minReaderVersion", protocol.path("minReaderVersion").asString());
        properties.put(
                "delta.minWriterVersion", protocol.path("minWriterVersion").asString());
        for (String list : List.of("readerFeatures", "writerFeatures")) {
            protocol.path(list).forEach(f -> properties.put("delta.feature." + f.asString(), "supported"));
        }
        properties.put("delta.lastUpdateVersion", Long.toString(table.currentVersion()));
        properties.put(
                "delta.lastCommitTimestamp",
                Long.toString(table.lastCommittedAt().toEpochMilli()));
        List<String> partitions = new ArrayList<>();
        metadata.path("partitionColumns").forEach(p -> partitions.add(p.asString()));
        List<DeltaCommit> unpublished = loaded.unpublished().stream()
                .map(c -> new DeltaCommit(
                        c.version(), c.timestamp(), c.fileName(), c.fileSize(), c.fileModificationTimestamp()))
                .toList();
        return new DeltaLoadTableResponse(
                new DeltaTableMetadata(
                        "v" + table.currentVersion(),
                        loaded.managed() ? "MANAGED" : "EXTERNAL",
                        loaded.unityId(),
                        table.location(),
                        table.createdAt().toEpochMilli(),
                        table.updatedAt().toEpochMilli(),
                        DeltaColumns.of(metadata.path("schemaString").asString()),
                        partitions,
                        properties,
                        table.currentVersion(),
                        table.lastCommittedAt().toEpochMilli()),
                unpublished,
                table.currentVersion(),
                (loaded.inheritedProperties() == null
                                ? maintenance.allowed(table, loaded.managed(), metadata.path("configuration"))
                                : maintenance.allowed(
                                        loaded.managed(), metadata.path("configuration"), loaded.inheritedProperties()))
                        .stream().map(EngineMaintenance.Operation::name).toList());
    }
}
