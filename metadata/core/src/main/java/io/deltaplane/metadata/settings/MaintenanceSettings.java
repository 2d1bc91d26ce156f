package io.deltaplane.metadata.settings;

import io.deltaplane.metadata.delta.DeltaTableProperties;
import io.deltaplane.support.problem.ApiException;
import io.deltaplane.support.problem.ErrorCode;
import java.util.Map;

/**
 * The maintenance policy's keys (read by {@code maintenance.MaintenancePolicy}) as a catalog or
 * schema sets them: each must be a value the policy reads, else 400 naming the key — a setting the
 * worker would silently ignore misleads the team that set it. (The policy still reads leniently,
 * for values stored before this check.) The catalog services check; the maintenance worker reads,
 * through {@link PropertyLevels}.
 */
public final class MaintenanceSettings {

    /** Delta's (Databricks') table property for auto compaction; only {@code false} is read. */
    public static final String AUTO_COMPACT = "delta.autoOptimize.autoCompact";

    /** How many small files make the table due for OPTIMIZE (a positive integer). */
    public static final String AUTO_COMPACT_MIN_FILES = "deltaplane.autoCompact.minNumFiles";

    /** {@code false}: the worker leaves the table's files and log alone (VACUUM and log cleanup on request only). */
    public static final String AUTO_VACUUM = "deltaplane.autoVacuum";

    /** How often the worker runs VACUUM and log cleanup on the table ({@code interval 12 hours}). */
    public static final String AUTO_VACUUM_INTERVAL = "deltaplane.autoVacuum.interval";

    private MaintenanceSettings() {}

    /** Checks the policy keys among {@code properties} (null: nothing to check). */
    public static void check(Map<String, String> properties) {
        if (properties == null) {
            return;
        }
        properties.forEach((key, value) -> {
            switch (key) {
                case AUTO_COMPACT, AUTO_VACUUM -> {
                    if (value == null || !value.strip().matches("(?i)true|false")) {
                        throw invalid(key, value, "true or false");
                    }
                }
                case AUTO_COMPACT_MIN_FILES -> {
                    if (value == null || !value.strip().matches("[0-9]{1,9}") || Integer.parseInt(value.strip()) == 0) {
                        throw invalid(key, value, "a positive whole number");
                    }
                }
                case AUTO_VACUUM_INTERVAL -> {
                    if (DeltaTableProperties.interval(value)
                            .filter(d -> !d.isZero() && d.compareTo(DeltaTableProperties.MAX_RETENTION) <= 0)
                            .isEmpty()) {
                        throw invalid(key, value, "an interval of one unit such as 'interval 12 hours'");
                    }
                }
                default -> {
                    // not the policy's
                }
            }
        });
    }

    private static ApiException invalid(String key, String value, String expected) {
        String shown = value == null ? "null" : value.length() <= 40 ? value : value.substring(0, 40) + "…";
        return ApiException.badRequest(
                ErrorCode.VALIDATION_FAILED, key + "='" + shown + "' is not valid: it is " + expected + ".");
    }
}
