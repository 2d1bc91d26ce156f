package io.deltaplane.metadata.maintenance;

import io.deltaplane.metadata.delta.ColumnMapping;
import io.deltaplane.metadata.delta.DeltaTableProperties;
import io.deltaplane.metadata.delta.RowTracking;
import io.deltaplane.metadata.settings.MaintenanceSettings;
import java.time.Duration;
import java.util.List;
import tools.jackson.databind.JsonNode;

/**
 * What the maintenance worker does to one table: the platform's settings ({@code
 * deltaplane.maintenance.*}) as properties change them. Each of the keys below is read from the
 * table's own properties, else its schema's, else its catalog's (Unity Catalog properties), else the
 * platform's setting applies — so a team sets a policy once for its catalog or schema, and a table
 * can still say otherwise. {@code delta.targetFileSize} is Delta's and read from the table only.
 *
 * @param targetFileSizeBytes OPTIMIZE's file size ({@code delta.targetFileSize}, else the platform's)
 * @param autoCompact whether the worker runs OPTIMIZE on it ({@code delta.autoOptimize.autoCompact}:
 *     {@code false} turns it off for the table)
 * @param optimizeMinSmallFiles small files that make it due ({@code deltaplane.autoCompact.minNumFiles})
 * @param autoVacuum whether the worker runs VACUUM and log cleanup on it ({@code deltaplane.autoVacuum})
 * @param vacuumInterval how often it does ({@code deltaplane.autoVacuum.interval}, Delta's interval
 *     syntax such as {@code interval 6 hours}; else the platform's {@code vacuum-interval})
 */
public record MaintenancePolicy(
        long targetFileSizeBytes,
        boolean autoCompact,
        int optimizeMinSmallFiles,
        boolean autoVacuum,
        Duration vacuumInterval) {

    /** Delta's (Databricks') table property for auto compaction; only {@code false} is read here. */
    public static final String AUTO_COMPACT = MaintenanceSettings.AUTO_COMPACT;

    /** How many small files make the table due for OPTIMIZE (a positive integer). */
    public static final String AUTO_COMPACT_MIN_FILES = MaintenanceSettings.AUTO_COMPACT_MIN_FILES;

    /** {@code false}: the worker leaves the table's files and log alone (VACUUM and log cleanup on request only). */
    public static final String AUTO_VACUUM = MaintenanceSettings.AUTO_VACUUM;

    /** How often the worker runs VACUUM and log cleanup on the table ({@code interval 12 hours}). */
    public static final String AUTO_VACUUM_INTERVAL = MaintenanceSettings.AUTO_VACUUM_INTERVAL;

    /**
     * {@code levels}: the table's configuration, its schema's properties, its catalog's, nearest
     * first; a key set at a nearer level wins.
     */
    static MaintenancePolicy of(List<JsonNode> levels, long targetFileSizeBytes, MaintenanceProperties platform) {
        // Row tracking enabled: compaction would give the rows new stable row ids (the platform's
        // rewrite does not write the materialized row id columns that keep them), so it never runs.
        boolean rowIdsStable = levels.isEmpty() || !isTrue(levels.get(0).get(RowTracking.ENABLE_PROPERTY));
        // Column mapping by id: readers resolve columns by Parquet field ids, which the rewrite drops.
        boolean fieldIdsKept = levels.isEmpty() || ColumnMapping.mode(levels.get(0)) != ColumnMapping.Mode.ID;
        return new MaintenancePolicy(
                targetFileSizeBytes,
                rowIdsStable && fieldIdsKept && !isFalse(nearest(levels, AUTO_COMPACT)),
                positive(nearest(levels, AUTO_COMPACT_MIN_FILES), platform.optimizeMinSmallFiles()),
                !isFalse(nearest(levels, AUTO_VACUUM)),
                interval(nearest(levels, AUTO_VACUUM_INTERVAL), platform.vacuumInterval()));
    }

    /** A positive interval in Delta's syntax, else the platform's (read leniently, as the other keys). */
    private static Duration interval(JsonNode value, Duration otherwise) {
        if (value == null || !value.isString()) {
            return otherwise;
        }
        return DeltaTableProperties.interval(value.stringValue())
                .filter(d -> !d.isZero() && !d.isNegative())
                .orElse(otherwise);
    }

    private static JsonNode nearest(List<JsonNode> levels, String key) {
        for (JsonNode level : levels) {
            JsonNode value = level.get(key);
            if (value != null && !value.isNull()) {
                return value;
            }
        }
        return null;
    }

    private static boolean isTrue(JsonNode value) {
        return value != null && value.isString() && value.stringValue().strip().equalsIgnoreCase("true");
    }

    private static boolean isFalse(JsonNode value) {
        return value != null && value.isString() && value.stringValue().strip().equalsIgnoreCase("false");
    }

    /** A positive integer, else the platform's value (a property no engine validates is read leniently). */
    private static int positive(JsonNode value, int otherwise) {
        if (value == null || !value.isString() || !value.stringValue().strip().matches("[0-9]{1,9}")) {
            return otherwise;
        }
        int n = Integer.parseInt(value.stringValue().strip());
        return n > 0 ? n : otherwise;
    }
}
