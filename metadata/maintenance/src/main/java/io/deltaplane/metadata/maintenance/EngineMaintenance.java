package io.deltaplane.metadata.maintenance;

import static java.util.Objects.requireNonNull;

import io.deltaplane.metadata.table.TableRow;
import java.util.ArrayList;
import java.util.List;
import org.springframework.stereotype.Component;
import tools.jackson.databind.JsonNode;

/**
 * Which maintenance an engine may run itself on a managed table, as Unity Catalog's Delta API
 * answers it in {@code loadTable}'s {@code allowed-maintenance-operations} (Delta's UC client lets
 * OPTIMIZE, REORG, VACUUM and log cleanup run on a catalog-managed table only when the catalog
 * permits it). Decided by the table's {@link MaintenancePolicy}, so one cleaner works on a table:
 *
 * <ul>
 *   <li>{@link Operation#DATA_REORGANIZATION} (OPTIMIZE, REORG, auto compaction): always — what an
 *       engine commits is validated like any commit (row ids of row-tracking tables included), and
 *       racing the platform's own compaction costs a retry, never data.
 *   <li>{@link Operation#DATA_CLEANUP} (VACUUM): only where the platform's worker does not vacuum
 *       the table ({@code deltaplane.autoVacuum=false} on it, its schema or catalog): the team took
 *       cleanup over, so two retention clocks never delete under each other.
 *   <li>{@link Operation#METADATA_CLEANUP} (deleting expired {@code _delta_log} files): never — the
 *       platform's log cleanup records the log's new first version before it deletes, and the
 *       reconciler writes back any published version that goes missing otherwise.
 * </ul>
 *
 * External tables get none: their maintenance is their owner's, outside the catalog.
 */
@Component
public class EngineMaintenance {

    /** Unity Catalog's {@code DeltaMaintenanceOperation}. */
    public enum Operation {
        DATA_REORGANIZATION,
        DATA_CLEANUP,
        METADATA_CLEANUP
    }

    private final CompactionPlanner planner;

    public EngineMaintenance(CompactionPlanner planner) {
        this.planner = requireNonNull(planner, "planner");
    }

    /** What an engine may run on {@code table}; empty for an external one. */
    public List<Operation> allowed(TableRow table, boolean managed) {
        return managed ? allowed(planner.policy(table)) : List.of();
    }

    /**
     * {@link #allowed(TableRow, boolean)}, where the caller read the table's current Delta
     * configuration already (an engine's load: it answers the table's metaData too).
     */
    public List<Operation> allowed(TableRow table, boolean managed, JsonNode configuration) {
        return managed ? allowed(planner.policy(table, configuration)) : List.of();
    }

    /**
     * {@link #allowed(TableRow, boolean)}, where the caller read the table's current Delta
     * configuration and its schema's and catalog's properties (JSON text, in that order; empty when
     * its schema is gone) already.
     */
    public List<Operation> allowed(boolean managed, JsonNode configuration, List<String> inheritedProperties) {
        return managed ? allowed(planner.policy(configuration, inheritedProperties)) : List.of();
    }

    private static List<Operation> allowed(MaintenancePolicy policy) {
        List<Operation> allowed = new ArrayList<>(List.of(Operation.DATA_REORGANIZATION));
        if (!policy.autoVacuum()) {
            allowed.add(Operation.DATA_CLEANUP);
        }
        return List.copyOf(allowed);
    }
}
