package io.deltaplane.metadata.commit;

import static io.deltaplane.metadata.MetadataErrors.invalidAction;
import static java.util.Objects.requireNonNull;

import io.deltaplane.metadata.delta.ChangeDataFeed;
import io.deltaplane.metadata.delta.ColumnMapping;
import io.deltaplane.metadata.delta.CommitActions;
import io.deltaplane.metadata.delta.CommitActions.RemoveFile;
import io.deltaplane.metadata.delta.DeletionVectors;
import io.deltaplane.metadata.delta.TimestampNtz;
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
     * left (a reader would read old files with the new partitioning; under column mapping a rename
     * keeps the physical names the files use, and is no change), an append-only table ({@code
     * delta.appendOnly=true}) takes no remove that changes data, deletion vectors (or {@code
     * delta.enableDeletionVectors=true}), column mapping and {@code timestamp_ntz} columns only on a
     * table whose protocol has the feature, and column ids keep their physical names ({@link ColumnMapping#checkChange}).
     */
    void check(TableStateReads.Stored stored, List<String> partitionKeys, CommitActions actions, long liveFiles) {
        UUID tableId = stored.tableId();
        if (actions.metadata() != null && liveFiles > actions.removes().size()) {
            List<String> next = ColumnMapping.partitionKeys(actions.metadata());
            if (!next.equals(partitionKeys)) {
                throw invalidAction("metaData changes the partition columns from " + partitionKeys + " to "
                        + next + " while the table has live files; remove them in the same commit or create a new"
                        + " table");
            }
        }
        if (actions.metadata() != null) {
            reads.currentMetadata(tableId).ifPresent(current -> ColumnMapping.checkChange(current, actions.metadata()));
        }
        ColumnMapping.requireFeature(actions, stored::protocol);
        TimestampNtz.requireFeature(actions, stored::protocol);
        ChangeDataFeed.requireFeature(actions, stored::protocol, stored::configuration);
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
        DeletionVectors.requireFeature(actions, stored::protocol);
        V2Checkpoints.requireFeature(actions, stored::protocol);
    }
}
