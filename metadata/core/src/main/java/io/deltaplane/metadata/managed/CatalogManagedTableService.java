package io.deltaplane.metadata.managed;

import static java.util.Objects.requireNonNull;

import io.deltaplane.metadata.MetadataErrors;
import io.deltaplane.metadata.commit.DeltaLogPublication;
import io.deltaplane.metadata.managed.CatalogManagedTables.StagedTable;
import io.deltaplane.metadata.publish.PublishState;
import io.deltaplane.metadata.publish.PublishStates;
import io.deltaplane.metadata.table.StorageRoots;
import io.deltaplane.metadata.table.TableRepository;
import io.deltaplane.metadata.table.TableRow;
import io.deltaplane.support.problem.ApiException;
import io.deltaplane.support.problem.ErrorCode;
import java.util.List;
import java.util.OptionalLong;
import java.util.UUID;
import org.springframework.stereotype.Service;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Loading catalog-managed tables (and any table an engine loads through the catalog), for every door
 * that serves them: the table as its engines load it, with the ratified commits whose {@code
 * <version>.json} may not be in place yet. Staging and finalizing them is {@link
 * CatalogManagedCreation}'s.
 */
@Service
public class CatalogManagedTableService {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    /** A table a principal may finalize: the staged location or the UC id its engine declared. */
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

    private final TableRepository tables;
    private final CatalogManagedTables managed;
    private final StorageRoots roots;
    private final PublishStates publishStates;
    private final DeltaLogPublication publication;
    private final ExternalTableLogs externalLogs;
    private final CatalogTableReads catalogTables;

    public CatalogManagedTableService(
            TableRepository tables,
            CatalogManagedTables managed,
            StorageRoots roots,
            PublishStates publishStates,
            DeltaLogPublication publication,
            ExternalTableLogs externalLogs,
            CatalogTableReads catalogTables) {
        this.tables = requireNonNull(tables, "tables");
        this.managed = requireNonNull(managed, "managed");
        this.roots = requireNonNull(roots, "roots");
        this.publishStates = requireNonNull(publishStates, "publishStates");
        this.publication = requireNonNull(publication, "publication");
        this.externalLogs = requireNonNull(externalLogs, "externalLogs");
        this.catalogTables = requireNonNull(catalogTables, "catalogTables");
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
}
