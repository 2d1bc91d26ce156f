package io.deltaplane.metadata.icebergmetadata;

import io.deltaplane.metadata.table.TableLocations;
import io.deltaplane.metadata.table.TableRow;
import java.util.List;
import org.apache.iceberg.BaseTable;
import org.apache.iceberg.TableMetadata;

/** Iceberg's history kept to the history Postgres keeps, and to the newest {@code snapshots-kept} versions of it. */
final class PrunedHistory {

    private PrunedHistory() {}

    /**
     * Expires the snapshots of Delta versions Postgres no longer keeps (its history retention pruned
     * them, and VACUUM may delete their files), and those older than the newest {@code kept}: Iceberg
     * readers travel to the versions Delta readers can, at most {@code kept} back. Only the Iceberg files the platform made go (manifests and vectors under the table's
     * {@code _iceberg} folder); the data files are Delta's, VACUUM's to delete.
     */
    static void expire(
            TableRow table,
            IcebergTableOperations ops,
            IcebergMetadataRepository repository,
            IcebergStorageIO io,
            int kept) {
        TableMetadata current = ops.current();
        // batched: expiring rewrites the metadata file, so once a tenth more than kept have gathered
        long newestExpired = IcebergConversion.deltaVersion(current) - kept;
        List<Long> pruned = new java.util.ArrayList<>(repository.snapshotsBeforeHistory(table.id()));
        pruned.addAll(repository.snapshotsBeyondKept(table.id(), newestExpired, kept + Math.max(1, kept / 10)));
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
