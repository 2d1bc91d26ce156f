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
 * @param autoEnabled whether the maintenance worker runs (every replica may: tables are leased)
 * @param autoInterval how often it looks for tables that are due
 * @param autoTablesPerRound tables leased per round
 * @param autoLease how long a leased table is the replica's (longer than an OPTIMIZE takes)
 * @param autoFailureBackoff how long a table whose maintenance failed is left alone
 * @param optimizeMinSmallFiles a table committed to since the last round, with at least this many
 *     live files under its target size, is optimized
 * @param vacuumInterval how often each table is vacuumed (with its own retention)
 * @param historyRetention how long Postgres keeps a table's versions: the worker's log cleanup also
 *     deletes older ones, never one {@code _delta_log} still holds ({@link HistoryPruning}); unset
 *     (the default): every version
 * @param rewriteThreads DuckDB's threads for one OPTIMIZE rewrite ({@link ParquetRewrite})
 * @param rewriteMemory DuckDB's memory for one OPTIMIZE rewrite; past it, it spills to {@code rewriteScratch}
 * @param rewriteScratch where OPTIMIZE's work directories go (files fetched from object storage, the
 *     new files before they are put, DuckDB's spill); unset: the JVM's temporary directory
 */
@ConfigurationProperties("deltaplane.maintenance")
public record MaintenanceProperties(
        @DefaultValue("1GB") DataSize targetFileSize,
        @DefaultValue("3") int optimizeAttempts,
        @DefaultValue("20") int commitAttempts,
        @DefaultValue("168h") java.time.Duration vacuumMinRetention,
        @DefaultValue("true") boolean autoEnabled,
        @DefaultValue("1m") java.time.Duration autoInterval,
        @DefaultValue("4") int autoTablesPerRound,
        @DefaultValue("30m") java.time.Duration autoLease,
        @DefaultValue("10m") java.time.Duration autoFailureBackoff,
        @DefaultValue("50") int optimizeMinSmallFiles,
        @DefaultValue("1d") java.time.Duration vacuumInterval,
        java.time.Duration historyRetention,
        @DefaultValue("2") int rewriteThreads,
        @DefaultValue("512MB") DataSize rewriteMemory,
        java.nio.file.Path rewriteScratch) {

    public MaintenanceProperties {
        if (historyRetention != null && historyRetention.isNegative()) {
            throw new IllegalArgumentException(
                    "deltaplane.maintenance.history-retention must not be negative: " + historyRetention);
        }
        if (rewriteThreads < 1) {
            throw new IllegalArgumentException(
                    "deltaplane.maintenance.rewrite-threads must be at least 1: " + rewriteThreads);
        }
        if (rewriteScratch == null) {
            rewriteScratch = java.nio.file.Path.of(System.getProperty("java.io.tmpdir"), "deltaplane-optimize");
        }
    }
}
