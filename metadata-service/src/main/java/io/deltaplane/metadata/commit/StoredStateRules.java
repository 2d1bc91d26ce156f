package io.deltaplane.metadata.commit;

import static io.deltaplane.metadata.MetadataErrors.invalidAction;
import static java.util.Objects.requireNonNull;

import io.deltaplane.metadata.delta.ActionParser;
import io.deltaplane.metadata.delta.CommitActions;
import io.deltaplane.metadata.delta.CommitActions.RemoveFile;
import io.deltaplane.metadata.delta.DeletionVectors;
import io.deltaplane.metadata.delta.V2Checkpoints;
import java.util.List;
import java.util.UUID;
import org.springframework.stereotype.Component;

/** The Delta rules a commit meets against the table's stored state, before its compare-and-swap. */
@Component
class StoredStateRules {

    private final TableStateReads reads;

    StoredStateRules(TableStateReads reads) {
        this.reads = requireNonNull(reads, "reads");
    }

    /**
     * Rules that need the stored state: partition columns change only on a table with no live file
     * left (a reader would read old files with the new partitioning), an append-only table
     * ({@code delta.appendOnly=true}) takes no remove that changes data, and deletion vectors (or
     * {@code delta.enableDeletionVectors=true}) only on a table whose protocol has the feature.
     */
    void check(UUID tableId, List<String> partitionColumns, CommitActions actions, long liveFiles) {
        if (actions.metadata() != null && liveFiles > actions.removes().size()) {
            List<String> next =
                    ActionParser.stringList(actions.metadata().get("partitionColumns"), "metaData.partitionColumns");
            if (!next.equals(partitionColumns)) {
                throw invalidAction("metaData changes the partition columns from " + partitionColumns + " to "
                        + next + " while the table has live files; remove them in the same commit or create a new"
                        + " table");
            }
        }
        if (actions.removes().stream().anyMatch(RemoveFile::dataChange)) {
            String appendOnly = actions.metadata() != null
                    ? actions.metadata()
                            .path("configuration")
                            .path("delta.appendOnly")
                            .asString(null)
                    : reads.appendOnly(tableId).orElse(null);
            if ("true".equalsIgnoreCase(appendOnly)) {
                throw invalidAction("the table is append-only (delta.appendOnly=true): a remove with dataChange"
                        + " true is not allowed");
            }
        }
        DeletionVectors.requireFeature(actions, () -> reads.currentProtocol(tableId));
        V2Checkpoints.requireFeature(actions, () -> reads.currentProtocol(tableId));
    }
}
