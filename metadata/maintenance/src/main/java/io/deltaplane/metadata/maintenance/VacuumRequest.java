package io.deltaplane.metadata.maintenance;

import io.swagger.v3.oas.annotations.media.Schema;

/**
 * {@code POST /api/v1/tables/{full_name}/vacuum}: deletes the files no retained version needs. The
 * body is optional.
 *
 * @param dryRun list what would be deleted, delete nothing
 * @param retentionHours keep what versions of the last this-many hours need; default the table's
 *     {@code delta.deletedFileRetentionDuration} (one week)
 * @param allowShortRetention a metastore admin's override of the minimum retention
 */
public record VacuumRequest(
        @Schema(description = "list what would be deleted and delete nothing (default false)")
        Boolean dryRun,

        @Schema(
                description = "keep the files versions of the last this-many hours need; default the table's"
                        + " delta.deletedFileRetentionDuration (one week)",
                minimum = "0")
        Double retentionHours,

        @Schema(
                description = "a metastore admin's override: allow a retention under"
                        + " deltaplane.maintenance.vacuum-min-retention (default 168 hours)")
        Boolean allowShortRetention) {

    static final VacuumRequest DEFAULTS = new VacuumRequest(null, null, null);

    boolean isDryRun() {
        return Boolean.TRUE.equals(dryRun);
    }
}
