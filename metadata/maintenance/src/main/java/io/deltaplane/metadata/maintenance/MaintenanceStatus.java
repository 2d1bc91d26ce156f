package io.deltaplane.metadata.maintenance;

import com.fasterxml.jackson.annotation.JsonRawValue;
import io.swagger.v3.oas.annotations.media.Schema;
import java.time.Instant;
import java.util.Map;

/**
 * {@code GET /api/v1/tables/{full_name}/maintenance}: the policy the maintenance worker applies to
 * the table and what its last runs did.
 */
public record MaintenanceStatus(
        String table,

        @Schema(description = "whether the maintenance worker runs on this installation")
        boolean autoEnabled,

        long targetFileSizeBytes,

        @Schema(
                description =
                        "whether the worker runs OPTIMIZE on the table (delta.autoOptimize.autoCompact=false on the"
                                + " table, else its schema, else its catalog: no)")
        boolean autoCompact,

        @Schema(
                description = "OPTIMIZE runs when the table has at least this many live files under the target"
                        + " (deltaplane.autoCompact.minNumFiles of the table, else its schema, else its catalog,"
                        + " else the platform's)")
        int optimizeMinSmallFiles,

        @Schema(
                description =
                        "whether the worker runs VACUUM and log cleanup on the table (deltaplane.autoVacuum=false on"
                                + " the table, else its schema, else its catalog: no)")
        boolean autoVacuum,

        @Schema(description = "VACUUM runs once per this many hours, with the table's retention")
        double vacuumIntervalHours,

        @Schema(description = "the table version the worker last looked at; -1: not yet")
        long checkedVersion,

        Instant lastOptimizeAt,

        @JsonRawValue
        @Schema(description = "what the last OPTIMIZE did (as POST …/optimize answers)", implementation = Map.class)
        String lastOptimize,

        Instant lastVacuumAt,

        @JsonRawValue
        @Schema(description = "what the last VACUUM did (as POST …/vacuum answers)", implementation = Map.class)
        String lastVacuum,

        @Schema(description = "the last failure, if the table has had one")
        String lastError,

        Instant lastErrorAt,

        @Schema(description = "the first version the table's _delta_log keeps (log cleanup removed the ones before)")
        long logStartVersion,

        Instant lastLogCleanupAt,

        @JsonRawValue
        @Schema(
                description = "what the last log cleanup did: log_start_version, files_deleted, cutoff, and with a"
                        + " history retention what pruning Postgres did (history: history_start_version, cutoff,"
                        + " rows_deleted)",
                implementation = Map.class)
        String lastLogCleanup,

        @Schema(
                description = "deltaplane.maintenance.history-retention in hours: log cleanup also deletes the"
                        + " versions Postgres keeps that are older, never one _delta_log keeps; null: Postgres"
                        + " keeps every version")
        Double historyRetentionHours,

        @Schema(
                description = "the first version Postgres keeps (history pruning deleted the ones before; reads of"
                        + " an older version are 404 VERSION_NOT_FOUND); never above log_start_version")
        long historyStartVersion) {}
