package io.deltaplane.metadata.managed;

import static java.util.Objects.requireNonNull;

import io.deltaplane.metadata.MetadataErrors;
import io.deltaplane.metadata.catalog.CatalogRepository;
import io.deltaplane.metadata.commit.CommitIntent;
import io.deltaplane.metadata.commit.CommitIntent.NewTable;
import io.deltaplane.metadata.commit.CommitPipeline;
import io.deltaplane.metadata.commit.DeltaLogPublication;
import io.deltaplane.metadata.deltalog.DeltaLogJson;
import io.deltaplane.metadata.deltalog.DeltaLogNames;
import io.deltaplane.metadata.managed.CatalogManagedTables.StagedTable;
import io.deltaplane.metadata.publish.PublishRepository;
import io.deltaplane.metadata.publish.PublishState;
import io.deltaplane.metadata.publish.PublishStates;
import io.deltaplane.metadata.table.StorageRoots;
import io.deltaplane.metadata.table.TableLocations;
import io.deltaplane.metadata.table.TableRepository;
import io.deltaplane.metadata.table.TableRow;
import io.deltaplane.storage.NotARegularFileException;
import io.deltaplane.storage.Storage;
import io.deltaplane.storage.Storages;
import io.deltaplane.support.problem.ApiException;
import io.deltaplane.support.problem.ErrorCode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.UUID;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Staging, finalizing and loading catalog-managed tables, for every door that creates them (Unity
 * Catalog's Delta REST API and its {@code /staging-tables} and {@code /tables}). An engine stages a
 * table (the catalog hands out its UC id and managed location), writes version 0 there itself, and
 * finalizes it: version 0 is read from the table's {@code _delta_log} and written to Postgres
 * through the same {@link CommitPipeline} as every table, then adopted as published. Loading answers
 * the ratified commits whose {@code <version>.json} may not be in place yet.
 */
@Service
public class CatalogManagedTableService {

    /** What every catalog-managed table declares: the protocol's catalogManaged needs ICT. */
    public static final List<String> REQUIRED_READER_FEATURES = List.of(StagedCommitRules.CATALOG_MANAGED);

    public static final List<String> REQUIRED_WRITER_FEATURES =
            List.of(StagedCommitRules.CATALOG_MANAGED, StagedCommitRules.IN_COMMIT_TIMESTAMP);

    private static final JsonMapper JSON = JsonMapper.builder().build();

    /** A table a principal may finalize: the staged location or the UC id its engine declared. */
    /**
     * A table to finalize at its staged location; {@code columns}: what to write as version 0 when
     * the client registers the table by its columns instead of writing it (null: the engine wrote it).
     */
    public record Finalize(
            String name,
            String location,
            String declaredUnityId,
            String comment,
            CatalogManagedVersionZero.Columns columns) {}

    /**
     * A catalog-managed (or any) table as its engines load it: the current metaData and protocol,
     * whether the catalog manages its location, its UC id, and the ratified commits not yet known
     * to be published; its schema's and catalog's properties when they were read with the table
     * ({@link CatalogTable.Current}; else null).
     */
    public record LoadedTable(
            TableRow table,
            JsonNode metadata,
            JsonNode protocol,
            boolean managed,
            UUID unityId,
            List<CatalogCommit> unpublished,
            List<String> inheritedProperties) {}

    private final CatalogRepository catalogs;
    private final TableRepository tables;
    private final CatalogManagedTables managed;
    private final StorageRoots roots;
    private final Storages storages;
    private final CommitPipeline pipeline;
    private final PublishRepository publish;
    private final PublishStates publishStates;
    private final DeltaLogPublication publication;
    private final TransactionTemplate tx;
    private final Clock clock;
    private final ExternalTableLogs externalLogs;
    private final CatalogTableReads catalogTables;

    public CatalogManagedTableService(
            CatalogRepository catalogs,
            TableRepository tables,
            CatalogManagedTables managed,
            StorageRoots roots,
            Storages storages,
            CommitPipeline pipeline,
            PublishRepository publish,
            PublishStates publishStates,
            DeltaLogPublication publication,
            TransactionTemplate tx,
            Clock clock,
            ExternalTableLogs externalLogs,
            CatalogTableReads catalogTables) {
        this.catalogs = requireNonNull(catalogs, "catalogs");
        this.tables = requireNonNull(tables, "tables");
        this.managed = requireNonNull(managed, "managed");
        this.roots = requireNonNull(roots, "roots");
        this.storages = requireNonNull(storages, "storages");
        this.pipeline = requireNonNull(pipeline, "pipeline");
        this.publish = requireNonNull(publish, "publish");
        this.publishStates = requireNonNull(publishStates, "publishStates");
        this.publication = requireNonNull(publication, "publication");
        this.tx = requireNonNull(tx, "tx");
        this.clock = requireNonNull(clock, "clock");
        this.externalLogs = requireNonNull(externalLogs, "externalLogs");
        this.catalogTables = requireNonNull(catalogTables, "catalogTables");
    }

    /** The table properties an engine must set on a table it creates at {@code staged}. */
    public static Map<String, String> requiredProperties(StagedTable staged) {
        return Map.of(
                StagedCommitRules.UNITY_TABLE_ID,
                staged.unityId().toString(),
                StagedCommitRules.ENABLE_IN_COMMIT_TIMESTAMPS,
                "true");
    }

    /** Reserves a UC table id and the table's managed location; staging the same name again answers the same. */
    public StagedTable stage(String catalog, String schema, String name, String principal) {
        catalogs.schemaEntry(catalog, schema);
        if (tables.find(catalog, schema, name).isPresent()) {
            throw ApiException.conflict(
                    ErrorCode.ALREADY_EXISTS, "Table " + catalog + "." + schema + "." + name + " already exists");
        }
        StagedTable staged = managed.stagedByName(catalog, schema, name).orElseGet(() -> {
            UUID unityId = UUID.randomUUID();
            StagedTable fresh = new StagedTable(
                    unityId,
                    catalog,
                    schema,
                    name,
                    roots.managed(
                            catalog,
                            schema,
                            name,
                            unityId,
                            location -> TableLocations.holdsDeltaLog(storages, location)),
                    null,
                    principal);
            try {
                managed.stage(fresh, clock.instant());
                return fresh;
            } catch (DuplicateKeyException raced) {
                // another staging of the name landed between the read and the insert: it is the one
                return managed.stagedByName(catalog, schema, name)
                        .orElseThrow(() -> ApiException.conflict(
                                ErrorCode.ALREADY_EXISTS,
                                "Table " + catalog + "." + schema + "." + name + " is being created concurrently"));
            }
        });
        if (staged.stagedBy() != null && !staged.stagedBy().equals(principal)) {
            throw ApiException.conflict(
                    ErrorCode.ALREADY_EXISTS,
                    "Table " + catalog + "." + schema + "." + name + " is being created by another principal");
        }
        return staged;
    }

    /**
     * Registers the table the engine created at a staged location. A repeated finalize of the same
     * table answers it again (engines retry creates that may have landed).
     */
    public TableRow finalizeCreate(String catalog, String schema, Finalize request, String principal, boolean admin) {
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
        if (staged.tableId() != null) {
            return tables.findById(staged.tableId()).orElseThrow();
        }
        Optional<List<JsonNode>> written = read(staged.location(), DeltaLogNames.commitFile(0));
        if (written.isEmpty() && request.columns() == null) {
            throw ApiException.badRequest(
                    ErrorCode.VALIDATION_FAILED,
                    "No version 0 at " + staged.location()
                            + ": write 00000000000000000000.json, then finalize (or register the table by its columns).");
        }
        // Registered by its columns: the catalog writes version 0, published like any version.
        boolean byColumns = written.isEmpty();
        List<JsonNode> actions = written.orElseGet(
                () -> CatalogManagedVersionZero.actions(staged.unityId(), request.columns(), clock.instant()));
        StagedCommitRules.requireCatalogManaged(actions, staged.unityId());
        OptionalLong ict = DeltaLogJson.inCommitTimestamp(actions);
        Instant at = ict.isPresent() ? Instant.ofEpochMilli(ict.getAsLong()) : clock.instant();
        TableRow finalized = tx.execute(status -> {
            TableRow created = pipeline.commit(new CommitIntent.Create(
                            new NewTable(catalog, schema, staged.name(), staged.location(), request.comment(), true),
                            actions,
                            at,
                            "CREATE TABLE"))
                    .table();
            managed.finalized(staged.unityId(), created.id());
            if (!byColumns) {
                // The engine wrote version 0 itself: the publisher starts after it.
                publish.adoptImported(created.id(), created.fullName(), created.location(), 0, null);
            }
            return created;
        });
        if (byColumns) {
            // in _delta_log before the answer, as engines load a catalog-managed table from there,
            // with the directory engines stage their commits in, as an engine's create leaves it
            publication.publishCommitted(finalized.id(), 0);
            CatalogManagedConversion.stagedCommitsDirectory(finalized.location());
        }
        return finalized;
    }

    public LoadedTable load(String catalog, String schema, String name) {
        return load(table(catalog, schema, name));
    }

    /**
     * An EXTERNAL table after taking in what engines committed to its log (other tables as they
     * are); what an engine loading a table through the catalog sees.
     */
    public TableRow follow(TableRow table) {
        return externalLogs.follow(table) ? tables.findById(table.id()).orElse(table) : table;
    }

    /** {@link #follow(TableRow)} by the table's full name; 404 when there is no such table. */
    public void follow(String fullName) {
        externalLogs.follow(tables.require(fullName));
    }

    /** The table by name, as it is now, or 404. */
    public TableRow table(String catalog, String schema, String name) {
        return tables.find(catalog, schema, name)
                .orElseThrow(() -> MetadataErrors.tableNotFound(catalog + "." + schema + "." + name));
    }

    /**
     * The table by name with its registration in {@code unity_tables} and what an engine is
     * answered besides the row, read once for a request, in one statement; 404 when there is none.
     */
    public CatalogTable catalogTable(String catalog, String schema, String name) {
        return catalogTables
                .byName(catalog, schema, name)
                .orElseThrow(() -> MetadataErrors.tableNotFound(catalog + "." + schema + "." + name));
    }

    /** The table as it is now (after a commit), or 404. */
    public TableRow table(TableRow table) {
        return tables.findById(table.id()).orElseThrow(() -> MetadataErrors.tableNotFound(table.fullName()));
    }

    /**
     * The table as an engine loads it; an EXTERNAL table first takes in what engines committed to
     * its log ({@link ExternalTableLogs}).
     */
    public LoadedTable load(TableRow given) {
        return load(new CatalogTable(given, managed.byTable(given.id())), OptionalLong.empty());
    }

    /**
     * {@link #load(TableRow)} of the table and registration the caller read (after a commit: as the
     * commit left them), and its published version if the caller knows it (it published the
     * commit); neither is read again.
     */
    public LoadedTable load(CatalogTable given, OptionalLong publishedVersion) {
        CatalogTable target = given;
        OptionalLong published = publishedVersion;
        if (externalLogs.follow(given)) {
            // an EXTERNAL table took in what engines committed: as it is now
            target = given.with(tables.findById(given.table().id()).orElse(given.table()), false);
            published = OptionalLong.empty();
        }
        TableRow table = target.table();
        // what was read with the row (carried past a commit that changed neither), else read now
        CatalogTable.Current current = target.current().orElseGet(() -> {
            TableRepository.CurrentActions read = tables.currentMetadataAndProtocol(table.id());
            return new CatalogTable.Current(read.metadata(), read.protocol(), List.of());
        });
        return new LoadedTable(
                table,
                JSON.readTree(current.metadata()),
                JSON.readTree(current.protocol()),
                roots.isManaged(table) || target.registration().isPresent(),
                target.unityId(),
                unpublishedCommits(table, published),
                target.current().map(CatalogTable.Current::inheritedProperties).orElse(null));
    }

    /** The UC id of a table: the staged id for tables engines created, else the table's own id. */
    public UUID unityId(TableRow table) {
        return unityId(table.id());
    }

    /** The UC id of the table with this id (see {@link #unityId(TableRow)}). */
    public UUID unityId(UUID tableId) {
        return managed.byTable(tableId).map(StagedTable::unityId).orElse(tableId);
    }

    /**
     * The ratified commits whose {@code <version>.json} the publisher has not confirmed, ascending
     * and gap-free up to the latest version (engines read them from their staged files).
     */
    public List<CatalogCommit> unpublishedCommits(TableRow table) {
        return unpublishedCommits(table, OptionalLong.empty());
    }

    /** {@link #unpublishedCommits(TableRow)}, with the table's published version if the caller knows it. */
    private List<CatalogCommit> unpublishedCommits(TableRow table, OptionalLong publishedVersion) {
        long published = publishedVersion.isPresent() ? publishedVersion.getAsLong() : publishedVersion(table);
        if (published >= table.currentVersion()) {
            return List.of(); // every version is published: nothing to read
        }
        List<CatalogCommit> unpublished = managed.commits(table.id(), published, table.currentVersion());
        if (unpublished.size() < table.currentVersion() - published) {
            // Versions committed without a staged file (through /api/v1) are not in the list: an
            // engine can only read them published, so they are published now, before answering.
            OptionalLong now = publication.publishThrough(table.id(), table.currentVersion());
            published = now.isPresent() ? now.getAsLong() : publishedVersion(table);
            if (published >= table.currentVersion()) {
                return List.of();
            }
            unpublished = managed.commits(table.id(), published, table.currentVersion());
            if (!unpublished.isEmpty() && unpublished.get(0).version() != published + 1) {
                return List.of(); // written, not yet marked by the publisher: the files are in place
            }
        }
        return unpublished;
    }

    private long publishedVersion(TableRow table) {
        return publishStates
                .state(table.id())
                .map(PublishState::publishedVersion)
                .orElse(-1L);
    }

    /** The table with this UC id (as staged, or a table's own id), or 404. */
    public TableRow tableByUnityId(String id) {
        return tableByUnityId(id, unityId(id));
    }

    /**
     * {@link #tableByUnityId} with the table's registration in {@code unity_tables}, read once for a
     * request (the row the UC id found, when it is the table's).
     */
    public CatalogTable catalogTableByUnityId(String id) {
        return catalogTables.byUnityId(unityId(id)).orElseThrow(() -> MetadataErrors.tableNotFound(id));
    }

    private TableRow tableByUnityId(String id, UUID unityId) {
        UUID tableId = managed.byUnityId(unityId).map(StagedTable::tableId).orElse(unityId);
        return tables.findById(tableId == null ? unityId : tableId).orElseThrow(() -> MetadataErrors.tableNotFound(id));
    }

    private static UUID unityId(String id) {
        try {
            return UUID.fromString(id == null ? "" : id);
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest(ErrorCode.VALIDATION_FAILED, "table_id must be a UUID");
        }
    }

    private StagedTable staged(Finalize request) {
        if (request.location() != null && !request.location().isBlank()) {
            Optional<StagedTable> byLocation = managed.byLocation(TableLocations.normalise(request.location()));
            if (byLocation.isPresent()) {
                return byLocation.get();
            }
        }
        String id = request.declaredUnityId();
        if (id != null) {
            try {
                Optional<StagedTable> byId = managed.byUnityId(UUID.fromString(id));
                if (byId.isPresent()) {
                    return byId.get();
                }
            } catch (IllegalArgumentException e) {
                throw ApiException.badRequest(
                        ErrorCode.VALIDATION_FAILED, StagedCommitRules.UNITY_TABLE_ID + " must be a UUID");
            }
        }
        throw ApiException.badRequest(
                ErrorCode.VALIDATION_FAILED,
                "No staging table at " + request.location() + ": create one with POST .../staging-tables first.");
    }

    /** The actions of a log file (one JSON object per line), or empty if there is no such file. */
    private Optional<List<JsonNode>> read(String location, String relative) {
        try {
            Storage storage = storages.forLocation(location);
            return storage.readOwnFile(location, relative).map(StagedCommitRules::actions);
        } catch (NotARegularFileException e) {
            throw ApiException.badRequest(
                    ErrorCode.VALIDATION_FAILED, relative + " must be a regular file of the table: " + e.getMessage());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
