package io.deltaplane.metadata.icebergmetadata;

import io.deltaplane.metadata.table.TableLocations;
import io.deltaplane.metadata.table.TableRow;
import java.util.List;
import org.apache.iceberg.BaseTable;
import org.apache.iceberg.TableMetadata;

/** Iceberg's history kept to the history Postgres keeps. */
final class PrunedHistory {

    private PrunedHistory() {}

    /**
     * Expires the snapshots of Delta versions Postgres no longer keeps (its history retention pruned
     * them, and VACUUM may delete their files): Iceberg readers travel to the versions Delta readers
     * can. Only the Iceberg files the platform made go (manifests and vectors under the table's
     * {@code _iceberg} folder); the data files are Delta's, VACUUM's to delete.
     */
    static void expire(
            TableRow table, IcebergTableOperations ops, IcebergMetadataRepository repository, IcebergStorageIO io) {
        List<Long> pruned = repository.snapshotsBeforeHistory(table.id());
        TableMetadata current = ops.current();
        List<Long> present = pruned.stream()
                .filter(id -> current.snapshot(id) != null
                        && current.currentSnapshot().snapshotId() != id)
                .toList();
        if (!present.isEmpty()) {
            String ours = table.location() + "/" + TableLocations.ICEBERG_FOLDER + "/";
            org.apache.iceberg.ExpireSnapshots expire = new BaseTable(ops, table.fullName())
                    .expireSnapshots()
                    .executeDeleteWith(SameThread.EXECUTOR)
                    .planWith(SameThread.EXECUTOR)
                    .deleteWith(location -> {
                        if (location.startsWith(ours)) {
                            io.deleteFile(location);
                        }
                    })
                    .cleanExpiredFiles(true);
            present.forEach(expire::expireSnapshotId);
            expire.commit();
        }
        if (!pruned.isEmpty()) {
            repository.forgetSnapshots(table.id(), pruned);
        }
    }
}
