package io.deltaplane.metadata.table.api;

import static java.util.Objects.requireNonNull;

import io.deltaplane.metadata.MetadataErrors;
import io.deltaplane.metadata.catalog.CatalogService;
import io.deltaplane.metadata.catalog.SchemaService;
import io.deltaplane.metadata.commit.CommitIntent;
import io.deltaplane.metadata.commit.CommitIntent.NewTable;
import io.deltaplane.metadata.commit.CommitPipeline;
import io.deltaplane.metadata.delta.ActionParser;
import io.deltaplane.metadata.delta.ColumnMapping;
import io.deltaplane.metadata.delta.DeltaSchema;
import io.deltaplane.metadata.delta.TableProtocols;
import io.deltaplane.metadata.managed.CatalogManagedTableService;
import io.deltaplane.metadata.names.SchemaName;
import io.deltaplane.metadata.names.TableName;
import io.deltaplane.metadata.table.StorageRoots;
import io.deltaplane.metadata.table.TableDropped;
import io.deltaplane.metadata.table.TableEntries;
import io.deltaplane.metadata.table.TableEntry;
import io.deltaplane.metadata.table.TableLocations;
import io.deltaplane.metadata.table.TableRepository;
import io.deltaplane.metadata.table.TableRepository.TableSummary;
import io.deltaplane.metadata.table.TableRow;
import io.deltaplane.support.access.AccessControl;
import io.deltaplane.support.access.Privilege;
import io.deltaplane.support.access.Securable;
import io.deltaplane.support.access.SecurableType;
import io.deltaplane.support.paging.Page;
import io.deltaplane.support.paging.PageTokens;
import io.deltaplane.support.problem.ApiException;
import io.deltaplane.support.problem.ErrorCode;
import io.deltaplane.support.security.ApiKeyRequests;
import io.deltaplane.support.security.Scope;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.Predicate;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.stereotype.Service;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * Tables for every door ({@code /api/v1/tables}, Unity Catalog's {@code /tables} and {@code
 * /table-summaries}): who may create, see, list, hand over and drop one, which a listing shows and
 * its paging, and the lifecycle itself — create (version 0), read, drop (optionally purging the
 * files). It answers {@link TableEntry}s, a table as the catalog knows it now; the doors only map
 * requests, and map the entries to their own shapes ({@code /api/v1}'s is {@code api.table.TableResponse}).
 */
@Service
public class TableService {

    static final String ENABLE_IN_COMMIT_TIMESTAMPS = "delta.enableInCommitTimestamps";

    private final TableRepository tables;
    private final TableEntries entries;
    private final TableFiles files;
    private final CommitPipeline pipeline;
    private final StorageRoots roots;
    private final CatalogService catalogs;
    private final SchemaService schemas;
    private final CatalogManagedTableService managed;
    private final AccessControl access;
    private final ApplicationEventPublisher events;
    private final Clock clock;

    public TableService(
            TableRepository tables,
            TableEntries entries,
            TableFiles files,
            CommitPipeline pipeline,
            StorageRoots roots,
            CatalogService catalogs,
            SchemaService schemas,
            CatalogManagedTableService managed,
            AccessControl access,
            ApplicationEventPublisher events,
            Clock clock) {
        this.tables = requireNonNull(tables, "tables");
        this.entries = requireNonNull(entries, "entries");
        this.files = requireNonNull(files, "files");
        this.pipeline = requireNonNull(pipeline, "pipeline");
        this.roots = requireNonNull(roots, "roots");
        this.catalogs = requireNonNull(catalogs, "catalogs");
        this.schemas = requireNonNull(schemas, "schemas");
        this.managed = requireNonNull(managed, "managed");
        this.access = requireNonNull(access, "access");
        this.events = requireNonNull(events, "events");
        this.clock = requireNonNull(clock, "clock");
    }

    /**
     * Version 0 from the request's schema and properties; needs USE_CATALOG, USE_SCHEMA and
     * CREATE_TABLE on the schema, and the caller owns the new table. No location: a managed one
     * under the catalog's storage root; a location: an EXTERNAL table there (under a root the
     * operator allowed, holding no Delta log yet).
     */
    public TableEntry create(CreateTableRequest request) {
        TableName table = TableName.of(request.catalogName(), request.schemaName(), request.name());
        access.require(table.schemaName().securable(), Privilege.CREATE_TABLE);
        String schemaString = schemaString(request.schema());
        List<String> partitions = request.partitionColumns() == null ? List.of() : request.partitionColumns();
        Map<String, String> properties = request.properties() == null ? Map.of() : request.properties();
        boolean managedLocation =
                request.location() == null || request.location().isBlank();
        boolean exists =
                tables.find(table.catalog(), table.schema(), table.name()).isPresent(); // ALREADY_EXISTS, below
        UUID id = UUID.randomUUID();
        String location;
        if (exists) {
            location = managedLocation
                    ? roots.managedLocation(table.catalog(), table.schema(), table.name())
                    : TableLocations.normalise(request.location());
        } else if (managedLocation) {
            location = roots.managed(table.catalog(), table.schema(), table.name(), id, files::holdsDeltaLog);
        } else {
            location = roots.external(request.location());
            files.requireNoDeltaLog(location);
        }
        Instant now = clock.instant();
        // In-Commit Timestamps unless the caller turns them off: readers then time-travel by the
        // commit's own timestamp (the API's committed_at), not by a file's modification time.
        boolean inCommitTimestamps = !"false".equalsIgnoreCase(properties.get(ENABLE_IN_COMMIT_TIMESTAMPS));
        Map<String, String> configuration = new LinkedHashMap<>(properties);
        if (inCommitTimestamps) {
            configuration.put(ENABLE_IN_COMMIT_TIMESTAMPS, "true");
        }
        ObjectNode protocol = TableProtocols.forTable(configuration, schemaString, inCommitTimestamps);
        if (ColumnMapping.mode(configuration.get(ColumnMapping.MODE_PROPERTY)) != ColumnMapping.Mode.NONE) {
            schemaString = ColumnMapping.assign(schemaString, configuration); // ids and physical names
        }
        ObjectNode metadata = ActionParser.newMetadata(
                id, schemaString, partitions, configuration, request.comment(), now.toEpochMilli());
        List<JsonNode> actions = List.of(wrap("protocol", protocol), wrap("metaData", metadata));
        TableRow row = pipeline.commit(new CommitIntent.Create(
                        new NewTable(
                                table.catalog(),
                                table.schema(),
                                table.name(),
                                location,
                                request.comment(),
                                managedLocation),
                        actions,
                        now,
                        "CREATE TABLE"))
                .table();
        access.makeCallerOwner(table.securable());
        return entries.of(row);
    }

    /** The table, needing SELECT or MODIFY. */
    public TableEntry get(TableName name) {
        access.requireAny(name.securable(), Privilege.SELECT, Privilege.MODIFY);
        return entries.require(name);
    }

    /**
     * The table as an engine loads it through a catalog, needing SELECT or MODIFY: an EXTERNAL table
     * first takes in what engines committed to its log (its log is the table); the periodic
     * reconcile does the same for every table.
     */
    public TableEntry load(TableName name) {
        return entries.of(loadRow(name));
    }

    /** {@link #load}, as the table's row (for a door that answers in a shape of its own). */
    public TableRow loadRow(TableName name) {
        access.requireAny(name.securable(), Privilege.SELECT, Privilege.MODIFY);
        return managed.follow(tables.require(name));
    }

    /**
     * The table's row at the catalog's latest version, authorized as {@link #loadRow}, without
     * taking in what engines wrote to an EXTERNAL table's log (that is the periodic reconcile's, or a
     * Delta engine's load): a read that never commits.
     */
    public TableRow readRow(TableName name) {
        access.requireAny(name.securable(), Privilege.SELECT, Privilege.MODIFY);
        return tables.require(name);
    }

    /**
     * The schema's tables the caller may see (SELECT, or ownership); needs USE_SCHEMA. A page is one
     * statement ({@link TableEntries#page}), after the authorization's.
     */
    public Page<TableEntry> list(SchemaName schema, String pageToken, int limit) {
        schemas.get(schema); // USE_SCHEMA; 404 for a schema that does not exist
        String[] only = access.visibleChildNames(schema.securable(), SecurableType.TABLE, Privilege.SELECT);
        List<TableEntry> fetched =
                entries.page(schema.catalog(), schema.name(), PageTokens.decode(pageToken), limit + 1, only);
        return Page.of(fetched, limit, TableEntry::name);
    }

    /**
     * A catalog's tables across the schemas the caller may use, by {@code schema.name}, names
     * matching the SQL LIKE patterns ({@code %}, {@code _}; null or empty matches all); needs
     * USE_CATALOG. Filtered by table grants batch by batch, so a page is full whenever more tables
     * are visible.
     */
    public Page<Summary> summaries(
            String catalogName, String schemaPattern, String tablePattern, String pageToken, int limit) {
        String catalog = catalogs.get(catalogName).name(); // USE_CATALOG; 404 for a catalog that does not exist
        String schemaLike = like(schemaPattern);
        String tableLike = like(tablePattern);
        String[] visibleSchemas =
                access.visibleChildNames(Securable.catalog(catalog), SecurableType.SCHEMA, Privilege.USE_SCHEMA);
        List<TableSummary> page = new ArrayList<>();
        // the tables visible in each schema, asked once a schema, not once a table
        Map<String, Optional<Set<String>>> visibleTables = new HashMap<>();
        String after = PageTokens.decode(pageToken);
        while (page.size() <= limit) {
            List<TableSummary> batch =
                    tables.summaries(catalog, visibleSchemas, schemaLike, tableLike, after, limit + 1);
            for (TableSummary summary : batch) {
                if (visibleTables
                        .computeIfAbsent(
                                summary.schema(),
                                schema -> access.visibleChildren(
                                        Securable.schema(catalog, schema), SecurableType.TABLE, Privilege.SELECT))
                        .map(names -> names.contains(summary.fullName()))
                        .orElse(true)) {
                    page.add(summary);
                }
            }
            if (batch.size() <= limit) {
                break;
            }
            after = cursor(batch.get(batch.size() - 1));
        }
        return Page.of(page, limit, TableService::cursor)
                .map(s -> new Summary(
                        s.fullName(),
                        roots.isManaged(s.managed(), s.catalogRoot(), s.catalog(), s.schema(), s.name(), s.location())
                                ? "MANAGED"
                                : "EXTERNAL"));
    }

    /** A table in a catalog's summary listing: its full name and MANAGED or EXTERNAL. */
    public record Summary(String fullName, String tableType) {}

    /** Hands the table to {@code owner} (null: unchanged); needs ownership or MANAGE. */
    public TableEntry transferOwnership(TableName name, String owner) {
        access.requireManage(name.securable());
        TableRow row = tables.require(name); // 404 before any owner is written
        if (owner != null) {
            access.transferOwnership(name.securable(), owner);
        }
        return entries.of(row);
    }

    /**
     * Refuses a new name: tables keep theirs (grants, lineage, engines and the published log name
     * them). The refusal (400) comes after the checks Unity Catalog's server makes of a rename, in
     * its order, so the answer says what is wrong first: ownership or MANAGE (403), a malformed name
     * (400 INVALID_NAME), no such table (404), a name a table or a view ({@code viewNamed}) has (409
     * ALREADY_EXISTS). The same name, in any case, is no rename.
     */
    public void refuseRename(TableName name, String newName, Predicate<TableName> viewNamed) {
        if (newName == null || newName.isEmpty() || newName.equalsIgnoreCase(name.name())) {
            return;
        }
        access.requireManage(name.securable());
        TableName target = TableName.of(name.catalog(), name.schema(), newName);
        tables.require(name);
        if (tables.find(target.catalog(), target.schema(), target.name()).isPresent() || viewNamed.test(target)) {
            throw ApiException.conflict(ErrorCode.ALREADY_EXISTS, "Table already exists: " + target + ".");
        }
        throw ApiException.badRequest(
                ErrorCode.BAD_REQUEST,
                "Renaming is not supported: tables keep their names (grants, lineage and engines name them).");
    }

    /**
     * Drops the table from the catalog; needs ownership or MANAGE. With {@code purge}, which only an
     * admin key may ask, also deletes its files — only what is the table's (see {@link TableFiles}).
     */
    public void drop(TableName name, boolean purge) {
        access.requireManage(name.securable());
        if (purge) {
            // Decided on the bound value the drop acts on (an owner may drop, only an admin deletes files).
            ApiKeyRequests.require(Scope.ADMIN, "Purging a table's files");
        }
        TableRow table = tables.require(name);
        List<String> dataFiles = purge ? tables.dataFilePaths(table.id()) : List.of();
        if (!tables.delete(table.id())) {
            throw MetadataErrors.tableNotFound(name.toString());
        }
        if (purge) {
            files.purge(table, dataFiles);
        }
        events.publishEvent(new TableDropped(table.id(), table.fullName(), table.location(), table.managed(), purge));
    }

    private static String cursor(TableSummary summary) {
        return summary.cursor();
    }

    private static String like(String pattern) {
        if (pattern == null || pattern.isEmpty()) {
            return "%";
        }
        if (pattern.length() > 255) {
            throw ApiException.badRequest(ErrorCode.VALIDATION_FAILED, "name patterns are at most 255 characters.");
        }
        return pattern.toLowerCase(java.util.Locale.ROOT); // names are stored folded
    }

    private static String schemaString(JsonNode schema) {
        if (schema == null || schema.isNull()) {
            throw MetadataErrors.invalidAction("schema is required (a Delta StructType)");
        }
        String text = schema.isString() ? schema.stringValue() : schema.toString();
        DeltaSchema.parse(text);
        return text;
    }

    private static ObjectNode wrap(String kind, ObjectNode body) {
        ObjectNode action = JsonNodeFactory.instance.objectNode();
        action.set(kind, body);
        return action;
    }
}
