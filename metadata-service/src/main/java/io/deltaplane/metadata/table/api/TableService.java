package io.deltaplane.metadata.table.api;

import static java.util.Objects.requireNonNull;

import io.deltaplane.metadata.MetadataErrors;
import io.deltaplane.metadata.commit.LogAppender;
import io.deltaplane.metadata.commit.LogAppender.NewTable;
import io.deltaplane.metadata.delta.ActionParser;
import io.deltaplane.metadata.delta.DeltaSchema;
import io.deltaplane.metadata.delta.TableProtocols;
import io.deltaplane.metadata.table.DroppedLocations;
import io.deltaplane.metadata.table.PublishStatusSource;
import io.deltaplane.metadata.table.StorageRoots;
import io.deltaplane.metadata.table.TableDropped;
import io.deltaplane.metadata.table.TableLocations;
import io.deltaplane.metadata.table.TableRepository;
import io.deltaplane.metadata.table.TableRow;
import io.deltaplane.metadata.table.WarehouseProperties;
import io.deltaplane.storage.Storage;
import io.deltaplane.storage.Storages;
import io.deltaplane.support.names.Names;
import io.deltaplane.support.problem.ApiException;
import io.deltaplane.support.problem.ErrorCode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.stereotype.Service;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/** Table lifecycle: create (version 0), read, list, drop (optionally purging the files). */
@Service
public class TableService {

    private final TableRepository tables;
    private final LogAppender appender;
    private final WarehouseProperties warehouse;
    private final StorageRoots roots;
    private final Storages storages;
    private final ObjectProvider<PublishStatusSource> publish;
    private final ApplicationEventPublisher events;
    private final Clock clock;
    private final DroppedLocations dropped;
    private final JsonMapper json = JsonMapper.builder().build();

    public TableService(
            TableRepository tables,
            LogAppender appender,
            WarehouseProperties warehouse,
            StorageRoots roots,
            Storages storages,
            ObjectProvider<PublishStatusSource> publish,
            ApplicationEventPublisher events,
            Clock clock,
            DroppedLocations dropped) {
        this.roots = requireNonNull(roots, "roots");
        this.storages = requireNonNull(storages, "storages");
        this.tables = requireNonNull(tables, "tables");
        this.appender = requireNonNull(appender, "appender");
        this.warehouse = requireNonNull(warehouse, "warehouse");
        this.publish = requireNonNull(publish, "publish");
        this.events = requireNonNull(events, "events");
        this.clock = requireNonNull(clock, "clock");
        this.dropped = requireNonNull(dropped, "dropped");
    }

    static final String ENABLE_IN_COMMIT_TIMESTAMPS = "delta.enableInCommitTimestamps";

    public TableResponse create(CreateTableRequest request) {
        String catalog = Names.part("catalog", request.catalogName());
        String schema = Names.part("schema", request.schemaName());
        String name = Names.part("table", request.name());
        String schemaString = schemaString(request.schema());
        List<String> partitions = request.partitionColumns() == null ? List.of() : request.partitionColumns();
        Map<String, String> properties = request.properties() == null ? Map.of() : request.properties();
        boolean exists = tables.find(catalog, schema, name).isPresent(); // ALREADY_EXISTS, below
        String location = request.location() == null || request.location().isBlank()
                ? (exists ? null : roots.managed(catalog, schema, name))
                : (exists ? TableLocations.normalise(request.location()) : roots.external(request.location()));
        if (!exists) {
            requireNoDeltaLog(location);
        } else if (location == null) {
            location = roots.managedLocation(catalog, schema, name);
        }
        Instant now = clock.instant();
        UUID id = UUID.randomUUID();
        // In-Commit Timestamps unless the caller turns them off: readers then time-travel by the
        // commit's own timestamp (the API's committed_at), not by a file's modification time.
        boolean inCommitTimestamps = !"false".equalsIgnoreCase(properties.get(ENABLE_IN_COMMIT_TIMESTAMPS));
        Map<String, String> configuration = new java.util.LinkedHashMap<>(properties);
        if (inCommitTimestamps) {
            configuration.put(ENABLE_IN_COMMIT_TIMESTAMPS, "true");
        }
        ObjectNode protocol = TableProtocols.forProperties(configuration, inCommitTimestamps);
        ObjectNode metadata = ActionParser.newMetadata(
                id, schemaString, partitions, configuration, request.comment(), now.toEpochMilli());
        List<JsonNode> actions = List.of(wrap("protocol", protocol), wrap("metaData", metadata));
        TableRow row = appender.createTable(
                new NewTable(catalog, schema, name, location, request.comment()), actions, now, "CREATE TABLE");
        if (request.location() == null || request.location().isBlank()) {
            dropped.release(location); // the platform's own directory again
        }
        return response(row);
    }

    /**
     * A new table must not take over another table's log (a dropped but not purged table, or one
     * written by another engine): its version 0 would clash with the files already there.
     */
    private void requireNoDeltaLog(String location) {
        boolean inUse;
        try {
            Storage storage = storages.forLocation(location);
            inUse = !storage.list(storage.resolve(location, "_delta_log")).isEmpty();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (inUse) {
            throw ApiException.conflict(
                    ErrorCode.LOCATION_IN_USE,
                    location + " already holds a Delta table: adopt it with POST /api/v1/tables/import, purge the"
                            + " dropped table's files, or choose another location.");
        }
    }

    public TableResponse get(String fullName) {
        return response(tables.require(fullName));
    }

    /** A catalog's tables by {@code schema.name}, for listings across its schemas (see the repository). */
    public List<TableRepository.TableSummary> summaries(
            String catalog, String[] schemas, String schemaLike, String tableLike, String after, int limit) {
        return tables.summaries(catalog, schemas, schemaLike, tableLike, after, limit);
    }

    public List<TableResponse> list(String catalog, String schema, String after, int limit, String[] only) {
        return tables.list(catalog, schema, after, limit, only).stream()
                .map(this::response)
                .toList();
    }

    /**
     * Drops the table from the catalog. With {@code purge} (admin), deletes its files too — only what
     * is the table's: its {@code _delta_log} and the data files its log ever referenced, and the
     * whole directory when the platform made it (a managed location). Never a foreign file.
     */
    public void drop(String fullName, boolean purge) {
        TableRow table = tables.require(fullName);
        List<String> dataFiles = purge ? tables.dataFilePaths(table.id()) : List.of();
        if (!tables.delete(table.id())) {
            throw MetadataErrors.tableNotFound(fullName);
        }
        if (purge && TableLocations.isObjectStore(table.location())) {
            purgeObjects(table.location(), dataFiles);
        } else if (purge && table.location().startsWith("file:")) {
            Path root = TableLocations.path(table.location());
            if (roots.isManaged(table.catalog(), table.schema(), table.name(), table.location())) {
                deleteRecursively(root);
            } else {
                purgeOwnFiles(root, dataFiles);
            }
        }
        events.publishEvent(new TableDropped(table.id(), table.fullName(), table.location(), purge));
    }

    /**
     * On an object store: the objects of the log and the data files the log referenced, by name —
     * never a listing of the whole prefix, so a neighbour's objects under it stay.
     */
    private void purgeObjects(String location, List<String> dataFiles) {
        Storage storage = storages.forLocation(location);
        try {
            String log = storage.resolve(location, "_delta_log");
            for (String name : storage.list(log)) {
                storage.delete(storage.resolve(log, name));
            }
            for (String relative : dataFiles) {
                if (relative.contains(":") || relative.startsWith("/") || relative.contains("..")) {
                    continue; // absolute or escaping paths were never the table's to delete
                }
                storage.delete(storage.resolve(location, relative));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("could not purge " + location, e);
        }
    }

    /** The log and the referenced data files, then the directories they leave empty. */
    private static void purgeOwnFiles(Path root, List<String> dataFiles) {
        deleteRecursively(root.resolve("_delta_log"));
        for (String relative : dataFiles) {
            Path file = root.resolve(relative).normalize();
            if (!file.startsWith(root) || relative.contains(":")) {
                continue; // absolute or escaping paths were never the table's to delete
            }
            try {
                Files.deleteIfExists(file);
                for (Path dir = file.getParent();
                        dir != null && dir.startsWith(root) && !dir.equals(root);
                        dir = dir.getParent()) {
                    try (Stream<Path> left = Files.list(dir)) {
                        if (left.findAny().isPresent()) {
                            break;
                        }
                    }
                    Files.delete(dir);
                }
            } catch (IOException e) {
                throw new UncheckedIOException("could not purge " + file, e);
            }
        }
    }

    private TableResponse response(TableRow row) {
        JsonNode metadata = json.readTree(tables.currentMetadata(row.id()));
        var status = publish.stream()
                .findFirst()
                .flatMap(source -> source.status(row.id(), row.currentVersion()))
                .orElse(null);
        return new TableResponse(
                row.id(),
                row.fullName(),
                row.catalog(),
                row.schema(),
                row.name(),
                row.location(),
                row.currentVersion(),
                metadata.get("schemaString").stringValue(),
                row.partitionColumns(),
                metadata.get("configuration").toString(),
                row.comment(),
                row.createdAt(),
                row.updatedAt(),
                status);
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

    private static void deleteRecursively(Path root) {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("could not purge " + root, e);
        }
    }
}
