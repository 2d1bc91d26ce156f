package io.deltaplane.metadata.managed;

import static java.util.Objects.requireNonNull;

import io.deltaplane.metadata.catalog.CatalogRepository;
import io.deltaplane.metadata.commit.CommitIntent;
import io.deltaplane.metadata.commit.CommitIntent.NewTable;
import io.deltaplane.metadata.commit.CommitPipeline;
import io.deltaplane.metadata.commit.DeltaLogPublication;
import io.deltaplane.metadata.deltalog.DeltaLogJson;
import io.deltaplane.metadata.deltalog.DeltaLogNames;
import io.deltaplane.metadata.managed.CatalogManagedTables.StagedTable;
import io.deltaplane.metadata.publish.PublishRepository;
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

/**
 * Creating catalog-managed tables, for every door that creates them (Unity Catalog's Delta REST API
 * and its {@code /staging-tables} and {@code /tables}). An engine stages a table (the catalog hands
 * out its UC id and managed location), writes version 0 there itself, and finalizes it: version 0 is
 * read from the table's {@code _delta_log} and written to Postgres through the same {@link
 * CommitPipeline} as every table, then adopted as published. A client that registers the table by
 * its columns instead has the catalog write version 0 ({@link CatalogManagedVersionZero}), published
 * before the answer.
 */
@Service
public class CatalogManagedCreation {

    /** What every catalog-managed table declares: the protocol's catalogManaged needs ICT. */
    public static final List<String> REQUIRED_READER_FEATURES = List.of(StagedCommitRules.CATALOG_MANAGED);

    public static final List<String> REQUIRED_WRITER_FEATURES =
            List.of(StagedCommitRules.CATALOG_MANAGED, StagedCommitRules.IN_COMMIT_TIMESTAMP);

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

    private final CatalogRepository catalogs;
    private final TableRepository tables;
    private final CatalogManagedTables managed;
    private final StorageRoots roots;
    private final Storages storages;
    private final CommitPipeline pipeline;
    private final PublishRepository publish;
    private final DeltaLogPublication publication;
    private final TransactionTemplate tx;
    private final Clock clock;

    public CatalogManagedCreation(
            CatalogRepository catalogs,
            TableRepository tables,
            CatalogManagedTables managed,
            StorageRoots roots,
            Storages storages,
            CommitPipeline pipeline,
            PublishRepository publish,
            DeltaLogPublication publication,
            TransactionTemplate tx,
            Clock clock) {
        this.catalogs = requireNonNull(catalogs, "catalogs");
        this.tables = requireNonNull(tables, "tables");
        this.managed = requireNonNull(managed, "managed");
        this.roots = requireNonNull(roots, "roots");
        this.storages = requireNonNull(storages, "storages");
        this.pipeline = requireNonNull(pipeline, "pipeline");
        this.publish = requireNonNull(publish, "publish");
        this.publication = requireNonNull(publication, "publication");
        this.tx = requireNonNull(tx, "tx");
        this.clock = requireNonNull(clock, "clock");
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
