package io.deltaplane.metadata.health;

import io.swagger.v3.oas.annotations.media.Schema;
import java.time.Instant;
import java.util.UUID;

/**
 * A health incident: one per table and cause while it lasts; it opens when the evaluator finds the
 * table late, is updated while it stays late, and resolves by itself with the next data commit.
 */
public record Incident(
        UUID id,

        @Schema(description = "the late table, catalog.schema.table")
        String table,

        @Schema(description = "TABLE_LATE: no data commit for longer than the expectation allows")
        String kind,

        @Schema(allowableValues = {"OPEN", "RESOLVED"}) String status,
        Instant openedAt,

        @Schema(description = "the last evaluation that found it still open, or its resolution")
        Instant updatedAt,

        Instant resolvedAt,

        @Schema(description = "the table's last data commit when last evaluated")
        Instant lastDataCommitAt,

        @Schema(description = "seconds without a data commit, at the last evaluation")
        long stalenessSeconds,

        long allowedSilenceSeconds,

        @Schema(description = "how the allowed silence was set, e.g. 'declared on schema: interval 3 hours'")
        String expectation,

        @Schema(
                description = "why: when the table is late because of another, the lineage path from the late table"
                        + " upstream that is the root (its own incident) to this one; for a root, the job writing it"
                        + " whose runs fail, run long, are overdue, stalled or lagging ('job daily_rollup FAILING: its last run …"
                        + " failed'); null when no cause is known")
        String cause,

        @Schema(
                description = "the late tables downstream of this one, each with its lineage path from it: they are"
                        + " affected by this incident, not incidents of their own")
        java.util.List<String> affected) {

    /** Whether it is still open. */
    boolean open() {
        return "OPEN".equals(status);
    }
}
