package io.deltaplane.metadata.maintenance;

import tools.jackson.databind.JsonNode;

/**
 * What the maintenance worker does to one table: the platform's settings ({@code
 * deltaplane.maintenance.*}) as the table's own properties change them.
 *
 * @param targetFileSizeBytes OPTIMIZE's file size ({@code delta.targetFileSize}, else the platform's)
 * @param autoCompact whether the worker runs OPTIMIZE on it ({@code delta.autoOptimize.autoCompact}:
 *     {@code false} turns it off for the table)
 * @param optimizeMinSmallFiles small files that make it due ({@code deltaplane.autoCompact.minNumFiles})
 * @param autoVacuum whether the worker runs VACUUM and log cleanup on it ({@code deltaplane.autoVacuum})
 */
public record MaintenancePolicy(
        long targetFileSizeBytes, boolean autoCompact, int optimizeMinSmallFiles, boolean autoVacuum) {

    /** Delta's (Databricks') table property for auto compaction; only {@code false} is read here. */
    public static final String AUTO_COMPACT = "delta.autoOptimize.autoCompact";

    /** How many small files make the table due for OPTIMIZE (a positive integer). */
    public static final String AUTO_COMPACT_MIN_FILES = "deltaplane.autoCompact.minNumFiles";

    /** {@code false}: the worker leaves the table's files and log alone (VACUUM and log cleanup on request only). */
    public static final String AUTO_VACUUM = "deltaplane.autoVacuum";

    static MaintenancePolicy of(JsonNode configuration, long targetFileSizeBytes, MaintenanceProperties platform) {
        return new MaintenancePolicy(
                targetFileSizeBytes,
                !isFalse(configuration.get(AUTO_COMPACT)),
                positive(configuration.get(AUTO_COMPACT_MIN_FILES), platform.optimizeMinSmallFiles()),
                !isFalse(configuration.get(AUTO_VACUUM)));
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
