package io.deltaplane.metadata.maintenance;

import static java.util.Objects.requireNonNull;

import io.deltaplane.metadata.MetadataErrors;
import io.deltaplane.metadata.delta.ColumnMapping;
import io.deltaplane.metadata.delta.DeltaTableProperties;
import io.deltaplane.metadata.delta.RowTracking;
import io.deltaplane.metadata.delta.TablePaths;
import io.deltaplane.metadata.maintenance.CompactionPlan.Bin;
import io.deltaplane.metadata.maintenance.CompactionPlan.DataFile;
import io.deltaplane.metadata.settings.PropertyLevels;
import io.deltaplane.metadata.snapshot.SnapshotRepository;
import io.deltaplane.metadata.snapshot.SnapshotRepository.LiveFile;
import io.deltaplane.metadata.table.TableRepository;
import io.deltaplane.metadata.table.TableRow;
import io.deltaplane.storage.Storage;
import io.deltaplane.support.problem.ApiException;
import io.deltaplane.support.problem.ErrorCode;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Plans an OPTIMIZE from what Postgres says is live at the table's current version, as Delta's
 * bin-packing does: in each partition, the files smaller than the target size, smallest first,
 * packed into bins of at most the target size; a bin of one file is left alone.
 */
@Component
class CompactionPlanner {

    /** How many of the table's removes are still live: all of them, or a concurrent commit took one. */
    static final String STILL_LIVE =
            "SELECT count(*) FROM files WHERE table_id = ? AND removed_version IS NULL AND path = ANY(?)";

    /** The properties a table's schema and catalog carry (Unity Catalog's), schema first. */
    private static final int PAGE = 5_000;

    private final TableRepository tables;
    private final SnapshotRepository snapshots;
    private final JdbcClient jdbc;
    private final JsonMapper json;
    private final PropertyLevels levels;
    private final MaintenanceProperties properties;

    CompactionPlanner(
            TableRepository tables,
            SnapshotRepository snapshots,
            JdbcClient jdbc,
            JsonMapper json,
            PropertyLevels levels,
            MaintenanceProperties properties) {
        this.tables = requireNonNull(tables, "tables");
        this.snapshots = requireNonNull(snapshots, "snapshots");
        this.jdbc = requireNonNull(jdbc, "jdbc");
        this.json = requireNonNull(json, "json");
        this.levels = requireNonNull(levels, "levels");
        this.properties = requireNonNull(properties, "properties");
    }

    /** The bins of {@code fullName}'s current version (none when nothing is worth rewriting). */
    CompactionPlan plan(TableRow table, OptimizeRequest request, Storage storage) {
        String metadata = tables.currentMetadata(table.id());
        JsonNode configuration = json.readTree(metadata).path("configuration");
        if ("true"
                .equalsIgnoreCase(
                        configuration.path(RowTracking.ENABLE_PROPERTY).asString(""))) {
            throw new ApiException(
                    ErrorCode.UNSUPPORTED_DELTA_PROTOCOL,
                    "OPTIMIZE of " + table.fullName() + " would give the rows it rewrites new stable row ids: the"
                            + " table has " + RowTracking.ENABLE_PROPERTY + "=true and this platform's rewrite does"
                            + " not write materialized row ids; compact it with an engine that does (Spark)");
        }
        if (ColumnMapping.mode(configuration) == ColumnMapping.Mode.ID) {
            throw new ApiException(
                    ErrorCode.UNSUPPORTED_DELTA_PROTOCOL,
                    "OPTIMIZE of " + table.fullName() + " would drop the Parquet field ids its readers resolve"
                            + " columns by (" + ColumnMapping.MODE_PROPERTY + "=id); compact it with an engine"
                            + " (Spark)");
        }
        Map<String, String> where = where(table, request.where());
        long target = targetFileSize(request, configuration);
        Map<Map<String, String>, List<DataFile>> small = new LinkedHashMap<>();
        String after = "";
        List<LiveFile> page;
        do {
            page = snapshots.files(table.id(), table.currentVersion(), table.currentVersion(), after, PAGE);
            for (LiveFile live : page) {
                JsonNode add = json.readTree(live.action());
                DataFile file = dataFile(table, storage, add);
                if (file != null && file.size() < target && matches(file, where)) {
                    small.computeIfAbsent(file.partitionValues(), k -> new ArrayList<>())
                            .add(file);
                }
                after = live.path();
            }
        } while (page.size() == PAGE);
        List<Bin> bins = new ArrayList<>();
        for (List<DataFile> files : small.values()) {
            bins.addAll(bins(files, target));
        }
        return new CompactionPlan(
                table, table.currentVersion(), metadata, table.partitionColumns(), target, where, List.copyOf(bins));
    }

    /** True while every file the plan removes is live in the table's current version. */
    boolean stillLive(CompactionPlan plan) {
        String[] paths = plan.files().stream().map(DataFile::path).toArray(String[]::new);
        long live = jdbc.sql(STILL_LIVE)
                .params(plan.table().id(), paths)
                .query(Long.class)
                .single();
        return live == paths.length;
    }

    /** True while the table's metaData is the one the plan read (its schema and partitioning). */
    boolean sameMetadata(CompactionPlan plan) {
        return plan.metadata().equals(tables.currentMetadata(plan.table().id()));
    }

    TableRow current(String fullName) {
        return tables.require(fullName);
    }

    TableRow current(UUID tableId) {
        return tables.findById(tableId).orElseThrow(() -> MetadataErrors.tableNotFound(tableId.toString()));
    }

    /** A file worth compacting, or null: one outside the table's location is not ours to rewrite. */
    private static DataFile dataFile(TableRow table, Storage storage, JsonNode add) {
        String path = add.path("path").asString();
        var object = TablePaths.objectPath(table.location(), storage, path);
        if (object.isEmpty() || path.contains("://") || path.startsWith("/") || add.hasNonNull("deletionVector")) {
            return null;
        }
        Map<String, String> values = new HashMap<>();
        for (var e : add.path("partitionValues").properties()) {
            values.put(e.getKey(), e.getValue().isNull() ? null : e.getValue().asString());
        }
        return new DataFile(path, object.get(), values, add.path("size").asLong());
    }

    private static boolean matches(DataFile file, Map<String, String> where) {
        for (var e : where.entrySet()) {
            if (!Objects.equals(file.partitionValues().get(e.getKey()), e.getValue())) {
                return false;
            }
        }
        return true;
    }

    /** Smallest first, greedily up to the target; bins of one file dropped (nothing to merge). */
    private static List<Bin> bins(List<DataFile> files, long target) {
        List<DataFile> sorted = new ArrayList<>(files);
        sorted.sort(Comparator.comparingLong(DataFile::size).thenComparing(DataFile::path));
        List<Bin> bins = new ArrayList<>();
        List<DataFile> bin = new ArrayList<>();
        long size = 0;
        for (DataFile f : sorted) {
            if (!bin.isEmpty() && size + f.size() > target) {
                addBin(bins, bin);
                bin = new ArrayList<>();
                size = 0;
            }
            bin.add(f);
            size += f.size();
        }
        addBin(bins, bin);
        return bins;
    }

    private static void addBin(List<Bin> bins, List<DataFile> files) {
        if (files.size() < 2) {
            return;
        }
        String first = files.get(0).path();
        String directory = first.contains("/") ? first.substring(0, first.lastIndexOf('/') + 1) : "";
        bins.add(new Bin(files.get(0).partitionValues(), directory, List.copyOf(files)));
    }

    private static Map<String, String> where(TableRow table, Map<String, String> where) {
        if (where == null) {
            return Map.of();
        }
        for (String column : where.keySet()) {
            if (!table.partitionColumns().contains(column)) {
                throw ApiException.badRequest(
                        ErrorCode.VALIDATION_FAILED,
                        "where names " + column + ", which is not a partition column of " + table.fullName()
                                + " (partition columns: " + table.partitionColumns() + ")");
            }
        }
        // the files' partitionValues are keyed by physical names under column mapping
        Map<String, String> keyed = new LinkedHashMap<>();
        where.forEach((column, value) ->
                keyed.put(table.partitionKeys().get(table.partitionColumns().indexOf(column)), value));
        return java.util.Collections.unmodifiableMap(keyed);
    }

    /**
     * The maintenance worker's policy for the table: from its current properties, its schema's and
     * catalog's, and the platform's.
     */
    MaintenancePolicy policy(TableRow table) {
        return policy(this.levels.of(table));
    }

    /** {@link #policy(TableRow)}, where the caller read the table's current configuration already. */
    MaintenancePolicy policy(TableRow table, JsonNode configuration) {
        return policy(this.levels.of(table, configuration));
    }

    /** {@link #policy(TableRow)} from the levels' settings as the caller read them (see {@link PropertyLevels#of(JsonNode, List)}). */
    MaintenancePolicy policy(JsonNode configuration, List<String> inheritedProperties) {
        return policy(this.levels.of(configuration, inheritedProperties));
    }

    private MaintenancePolicy policy(List<JsonNode> levels) {
        return MaintenancePolicy.of(levels, targetFileSize(OptimizeRequest.EVERYTHING, levels.get(0)), properties);
    }

    private long targetFileSize(OptimizeRequest request, JsonNode configuration) {
        if (request.targetFileSizeBytes() != null) {
            long requested = request.targetFileSizeBytes();
            if (requested < DeltaTableProperties.MIN_TARGET_FILE_SIZE) {
                throw ApiException.badRequest(
                        ErrorCode.VALIDATION_FAILED,
                        "target_file_size_bytes must be at least " + DeltaTableProperties.MIN_TARGET_FILE_SIZE);
            }
            return requested;
        }
        Long property;
        try {
            property = DeltaTableProperties.targetFileSize(configuration);
        } catch (ApiException e) {
            property = null; // a value stored before the platform checked it: the platform's default
        }
        return property != null ? property : properties.targetFileSize().toBytes();
    }
}
