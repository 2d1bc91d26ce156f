package io.deltaplane.metadata.unity.delta;

import static java.util.Objects.requireNonNull;

import io.deltaplane.metadata.MetadataErrors;
import io.deltaplane.metadata.catalog.CatalogRepository;
import io.deltaplane.metadata.commit.DeltaLogPublication;
import io.deltaplane.metadata.commit.LogAppender;
import io.deltaplane.metadata.commit.LogAppender.NewTable;
import io.deltaplane.metadata.deltalog.DeltaLogNames;
import io.deltaplane.metadata.managed.CatalogCommit;
import io.deltaplane.metadata.managed.CatalogManagedTables;
import io.deltaplane.metadata.managed.CatalogManagedTables.StagedTable;
import io.deltaplane.metadata.managed.StagedCommitRules;
import io.deltaplane.metadata.publish.PublishRepository;
import io.deltaplane.metadata.publish.PublishStates;
import io.deltaplane.metadata.table.StorageRoots;
import io.deltaplane.metadata.table.TableLocations;
import io.deltaplane.metadata.table.TableRepository;
import io.deltaplane.metadata.table.TableRow;
import io.deltaplane.metadata.unity.delta.DeltaRestModels.DeltaCommit;
import io.deltaplane.metadata.unity.delta.DeltaRestModels.DeltaCreateTableRequest;
import io.deltaplane.metadata.unity.delta.DeltaRestModels.DeltaLoadTableResponse;
import io.deltaplane.metadata.unity.delta.DeltaRestModels.DeltaProtocol;
import io.deltaplane.metadata.unity.delta.DeltaRestModels.DeltaStagingTableResponse;
import io.deltaplane.metadata.unity.delta.DeltaRestModels.DeltaTableMetadata;
import io.deltaplane.storage.Storage;
import io.deltaplane.storage.Storages;
import io.deltaplane.support.problem.ApiException;
import io.deltaplane.support.problem.ErrorCode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Staging, finalizing and loading catalog-managed tables for the Delta REST API. An engine stages a
 * table (we hand out its UC id and managed location), writes version 0 there itself, and finalizes
 * it: version 0 is read from the table's {@code _delta_log} and written to Postgres through the
 * same {@link LogAppender} as every table, then adopted as published. Loading answers the ratified
 * commits whose {@code <version>.json} may not be in place yet ({@code StagedCommitRatifier} has them written).
 */
@Service
public class DeltaRestService {

    static final String UNITY_TABLE_ID = StagedCommitRules.UNITY_TABLE_ID;
    static final String CATALOG_MANAGED = StagedCommitRules.CATALOG_MANAGED;
    static final String CURRENT_PROTOCOL =
            "SELECT action::text FROM protocol_versions WHERE table_id = ? ORDER BY version DESC LIMIT 1";

    /** What every catalog-managed table declares (the protocol's catalogManaged needs ICT). */
    static final DeltaProtocol REQUIRED_PROTOCOL =
            new DeltaProtocol(3, 7, List.of(CATALOG_MANAGED), List.of(CATALOG_MANAGED, "inCommitTimestamp"));

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final CatalogRepository catalogs;
    private final TableRepository tables;
    private final CatalogManagedTables managed;
    private final StorageRoots roots;
    private final Storages storages;
    private final LogAppender appender;
    private final PublishRepository publish;
    private final PublishStates publishStates;
    private final DeltaLogPublication publication;
    private final TransactionTemplate tx;
    private final JdbcClient jdbc;
    private final Clock clock;

    public DeltaRestService(
            CatalogRepository catalogs,
            TableRepository tables,
            CatalogManagedTables managed,
            StorageRoots roots,
            Storages storages,
            LogAppender appender,
            PublishRepository publish,
            PublishStates publishStates,
            DeltaLogPublication publication,
            TransactionTemplate tx,
            JdbcClient jdbc,
            Clock clock) {
        this.catalogs = requireNonNull(catalogs, "catalogs");
        this.tables = requireNonNull(tables, "tables");
        this.managed = requireNonNull(managed, "managed");
        this.roots = requireNonNull(roots, "roots");
        this.storages = requireNonNull(storages, "storages");
        this.appender = requireNonNull(appender, "appender");
        this.publish = requireNonNull(publish, "publish");
        this.publishStates = requireNonNull(publishStates, "publishStates");
        this.publication = requireNonNull(publication, "publication");
        this.tx = requireNonNull(tx, "tx");
        this.jdbc = requireNonNull(jdbc, "jdbc");
        this.clock = requireNonNull(clock, "clock");
    }

    /** Reserves a UC table id and the table's managed location; staging the same name again answers the same. */
    public DeltaStagingTableResponse stage(String catalog, String schema, String name, String principal) {
        catalogs.getSchema(catalog, schema);
        if (tables.find(catalog, schema, name).isPresent()) {
            throw ApiException.conflict(
                    ErrorCode.ALREADY_EXISTS, "Table " + catalog + "." + schema + "." + name + " already exists");
        }
        StagedTable staged = managed.stagedByName(catalog, schema, name).orElseGet(() -> {
            StagedTable fresh = new StagedTable(
                    UUID.randomUUID(), catalog, schema, name, roots.managed(catalog, schema, name), null, principal);
            managed.stage(fresh, clock.instant());
            return fresh;
        });
        if (staged.stagedBy() != null && !staged.stagedBy().equals(principal)) {
            throw ApiException.conflict(
                    ErrorCode.ALREADY_EXISTS,
                    "Table " + catalog + "." + schema + "." + name + " is being created by another principal");
        }
        return new DeltaStagingTableResponse(
                staged.unityId(),
                "MANAGED",
                staged.location(),
                REQUIRED_PROTOCOL,
                new DeltaProtocol(3, 7, List.of(), List.of()),
                Map.of(UNITY_TABLE_ID, staged.unityId().toString(), "delta.enableInCommitTimestamps", "true"),
                Map.of(),
                List.of());
    }

    /**
     * Registers the table the engine created at a staged location. A repeated finalize of the same
     * table answers it again (engines retry creates that may have landed).
     */
    /** A table an engine created, and how it loads now. */
    public record Created(String fullName, DeltaLoadTableResponse table) {}

    public Created finalizeCreate(
            String catalog, String schema, DeltaCreateTableRequest request, String principal, boolean admin) {
        StagedTable staged = staged(request);
        if (staged.stagedBy() != null && !staged.stagedBy().equals(principal) && !admin) {
            // Another writer of the same schema may not take over a table someone else is creating.
            throw new ApiException(
                    ErrorCode.FORBIDDEN, "The table at " + staged.location() + " was staged by another principal");
        }
        if (!staged.catalog().equals(catalog)
                || !staged.schema().equals(schema)
                || (request.name() != null && !staged.name().equals(request.name()))) {
            throw ApiException.badRequest(
                    ErrorCode.VALIDATION_FAILED,
                    "location " + staged.location() + " was staged for " + staged.catalog() + "." + staged.schema()
                            + "." + staged.name());
        }
        String fullName = catalog + "." + schema + "." + staged.name();
        if (staged.tableId() != null) {
            return new Created(fullName, load(tables.findById(staged.tableId()).orElseThrow()));
        }
        List<JsonNode> actions = read(staged.location(), DeltaLogNames.commitFile(0))
                .orElseThrow(() -> ApiException.badRequest(
                        ErrorCode.VALIDATION_FAILED,
                        "No version 0 at " + staged.location() + ": write 00000000000000000000.json, then finalize."));
        requireCatalogManaged(actions, staged.unityId());
        Instant at = inCommitTimestamp(actions).map(Instant::ofEpochMilli).orElseGet(clock::instant);
        TableRow row = tx.execute(status -> {
            TableRow created = appender.createTable(
                    new NewTable(catalog, schema, staged.name(), staged.location(), request.comment()),
                    actions,
                    at,
                    "CREATE TABLE");
            managed.finalized(staged.unityId(), created.id());
            // The engine wrote version 0 itself: the publisher starts after it.
            publish.adoptImported(created.id(), created.fullName(), created.location(), 0, null);
            return created;
        });
        return new Created(fullName, load(row));
    }

    public DeltaLoadTableResponse load(String catalog, String schema, String name) {
        return load(tables.find(catalog, schema, name)
                .orElseThrow(() -> MetadataErrors.tableNotFound(catalog + "." + schema + "." + name)));
    }

    /** The UC id of a table: the staged id for tables engines created, else the table's own id. */
    public UUID unityId(TableRow table) {
        return managed.byTable(table.id()).map(StagedTable::unityId).orElse(table.id());
    }

    DeltaLoadTableResponse load(TableRow table) {
        JsonNode metadata = JSON.readTree(tables.currentMetadata(table.id()));
        JsonNode protocol = JSON.readTree(
                jdbc.sql(CURRENT_PROTOCOL).param(table.id()).query(String.class).single());
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
        List<DeltaCommit> unpublished = unpublishedCommits(table).stream()
                .map(c -> new DeltaCommit(
                        c.version(), c.timestamp(), c.fileName(), c.fileSize(), c.fileModificationTimestamp()))
                .toList();
        return new DeltaLoadTableResponse(
                new DeltaTableMetadata(
                        "v" + table.currentVersion(),
                        roots.isManaged(table.catalog(), table.schema(), table.name(), table.location())
                                        || managed.byTable(table.id()).isPresent()
                                ? "MANAGED"
                                : "EXTERNAL",
                        unityId(table),
                        table.location(),
                        table.createdAt().toEpochMilli(),
                        table.updatedAt().toEpochMilli(),
                        DeltaColumns.of(metadata.path("schemaString").asString()),
                        partitions,
                        properties,
                        table.currentVersion(),
                        table.lastCommittedAt().toEpochMilli()),
                unpublished,
                table.currentVersion());
    }

    /**
     * The ratified commits whose {@code <version>.json} the publisher has not confirmed, ascending
     * and gap-free up to the latest version (engines read them from their staged files).
     */
    public List<CatalogCommit> unpublishedCommits(TableRow table) {
        long published = publishedVersion(table);
        List<CatalogCommit> unpublished = managed.commits(table.id(), published, table.currentVersion());
        if (unpublished.size() < table.currentVersion() - published) {
            // Versions committed without a staged file (through /api/v1) are not in the list: an
            // engine can only read them published, so they are published now, before answering.
            publication.publishThrough(table.id(), table.currentVersion());
            published = publishedVersion(table);
            unpublished = managed.commits(table.id(), published, table.currentVersion());
            if (!unpublished.isEmpty() && unpublished.get(0).version() != published + 1) {
                return List.of(); // written, not yet marked by the publisher: the files are in place
            }
        }
        return unpublished;
    }

    private long publishedVersion(TableRow table) {
        return publishStates.state(table.id()).map(s -> s.publishedVersion()).orElse(-1L);
    }

    /** The table with this UC id (as staged, or a table's own id), or 404. */
    public TableRow tableByUnityId(String id) {
        UUID unityId;
        try {
            unityId = UUID.fromString(id == null ? "" : id);
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest(ErrorCode.VALIDATION_FAILED, "table_id must be a UUID");
        }
        UUID tableId = managed.byUnityId(unityId).map(StagedTable::tableId).orElse(unityId);
        return tables.findById(tableId == null ? unityId : tableId).orElseThrow(() -> MetadataErrors.tableNotFound(id));
    }

    private StagedTable staged(DeltaCreateTableRequest request) {
        if (request.location() != null && !request.location().isBlank()) {
            Optional<StagedTable> byLocation = managed.byLocation(TableLocations.normalise(request.location()));
            if (byLocation.isPresent()) {
                return byLocation.get();
            }
        }
        String id = request.properties() == null ? null : request.properties().get(UNITY_TABLE_ID);
        if (id != null) {
            try {
                Optional<StagedTable> byId = managed.byUnityId(UUID.fromString(id));
                if (byId.isPresent()) {
                    return byId.get();
                }
            } catch (IllegalArgumentException e) {
                throw ApiException.badRequest(ErrorCode.VALIDATION_FAILED, UNITY_TABLE_ID + " must be a UUID");
            }
        }
        throw ApiException.badRequest(
                ErrorCode.VALIDATION_FAILED,
                "No staging table at " + request.location() + ": create one with POST .../staging-tables first.");
    }

    /** Version 0 must make the table catalog-managed, and name the UC id it was staged with. */
    private static void requireCatalogManaged(List<JsonNode> actions, UUID unityId) {
        boolean feature = false;
        String declared = null;
        for (JsonNode action : actions) {
            for (JsonNode f : action.path("protocol").path("writerFeatures")) {
                feature |= CATALOG_MANAGED.equals(f.asString());
            }
            JsonNode id = action.path("metaData").path("configuration").get(UNITY_TABLE_ID);
            if (id != null) {
                declared = id.asString();
            }
        }
        if (!feature || !unityId.toString().equals(declared)) {
            throw ApiException.badRequest(
                    ErrorCode.VALIDATION_FAILED,
                    "Version 0 of a staged table must have the catalogManaged feature and " + UNITY_TABLE_ID + "="
                            + unityId);
        }
    }

    static Optional<Long> inCommitTimestamp(List<JsonNode> actions) {
        for (JsonNode action : actions) {
            JsonNode ict = action.path("commitInfo").get("inCommitTimestamp");
            if (ict != null && ict.canConvertToLong()) {
                return Optional.of(ict.asLong());
            }
        }
        return Optional.empty();
    }

    /** The actions of a log file (one JSON object per line), or empty if there is no such file. */
    Optional<List<JsonNode>> read(String location, String relative) {
        try {
            Storage storage = storages.forLocation(location);
            return storage.read(storage.resolve(location, relative)).map(StagedCommitRules::actions);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
