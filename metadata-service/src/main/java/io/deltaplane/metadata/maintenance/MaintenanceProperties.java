package io.deltaplane.metadata.maintenance;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * Table maintenance settings ({@code deltaplane.maintenance.*}).
 *
 * @param targetFileSize OPTIMIZE's file size for tables without {@code delta.targetFileSize}
 *     (Delta's OPTIMIZE default, 1 GiB)
 * @param optimizeAttempts plans an OPTIMIZE makes before it gives up on a table whose files keep
 *     being removed under it (409 CONCURRENT_MODIFICATION)
 * @param commitAttempts commits of one plan tried on newer versions (blind appends landing meanwhile)
 * @param vacuumMinRetention the shortest retention VACUUM takes unless a metastore admin allows less
 *     (Delta's default retention, a week)
 */
@ConfigurationProperties("deltaplane.maintenance")
public record MaintenanceProperties(
        @DefaultValue("1GB") DataSize targetFileSize,
        @DefaultValue("3") int optimizeAttempts,
        @DefaultValue("20") int commitAttempts,
        @DefaultValue("168h") java.time.Duration vacuumMinRetention) {}
