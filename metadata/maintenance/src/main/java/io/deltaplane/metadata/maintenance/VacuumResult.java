package io.deltaplane.metadata.maintenance;

import io.swagger.v3.oas.annotations.media.Schema;
import java.time.Instant;
import java.util.List;

/** What one VACUUM deleted, or (dry run) would delete. */
public record VacuumResult(
        String table,
        boolean dryRun,
        double retentionHours,

        @Schema(
                description = "files removed from the log before this time, and files no version references"
                        + " last modified before it, are deleted")
        Instant cutoff,

        @Schema(description = "files deleted (dry run: that would be)")
        long fileCount,

        long bytes,

        @Schema(description = "their paths relative to the table's location, the first 1000")
        List<String> paths,

        boolean pathsTruncated,

        @Schema(description = "files left because deleting them failed (tried again by the next VACUUM)")
        long failed,

        long durationMs) {}
