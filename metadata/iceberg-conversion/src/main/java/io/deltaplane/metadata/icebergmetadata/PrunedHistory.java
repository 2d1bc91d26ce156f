package io.deltaplane.metadata.icebergmetadata;

import io.deltaplane.metadata.table.TableLocations;
import io.deltaplane.metadata.table.TableRow;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.iceberg.BaseTable;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.TableMetadata;

/** Iceberg's history kept to the history Postgres keeps, and to the newest {@code snapshots-kept} versions of it. */
final class PrunedHistory {

    private PrunedHistory() {}

    /**
     * Expires the snapshots of Delta versions Postgres no longer keeps (its history retention pruned
     * them, and VACUUM may delete their files), and those older than the newest {@code kept} once a
     * tenth more have gathered (expiring rewrites the metadata file, so it is batched): Iceberg
     * readers travel to the versions Delta readers can, at most {@code kept} back. Snapshots are dated
     * at their Delta commit, so what goes is what is older than the first version kept, expired by age
     * — which lets iceberg-core clean up incrementally (the expired snapshots' manifests only, not
     * every manifest of every snapshot kept). Only the Iceberg files the platform made go (manifests
     * and vectors under the table's {@code _iceberg} folder); the data files are Delta's, VACUUM's.
     */
    static void expire(
            TableRow table,
            IcebergTableOperations ops,
            IcebergMetadataRepository repository,
            IcebergStorageIO io,
            int kept) {
        TableMetadata current = ops.current();
        List<Long> beforeHistory = repository.snapshotsBeforeHistory(table.id());
        boolean tooMany = current.snapshots().size() > kept + Math.max(1, kept / 10);
        if (beforeHistory.isEmpty() && !tooMany) {
            return;
        }
        long newest = IcebergConversion.deltaVersion(current);
        long firstKept = Math.max(repository.earliestVersion(table.id()).orElse(newest), newest - kept + 1);
        // the oldest date among the snapshots kept: every snapshot dated before it goes
        long keptFrom = Long.MAX_VALUE;
        for (Snapshot snapshot : current.snapshots()) {
            String version = snapshot.summary().get(IcebergConversion.DELTA_VERSION);
            if (version != null && Long.parseLong(version) >= firstKept) {
                keptFrom = Math.min(keptFrom, snapshot.timestampMillis());
            }
        }
        Set<Long> before = ids(current);
        if (keptFrom != Long.MAX_VALUE) {
            String ours = table.location() + "/" + TableLocations.ICEBERG_FOLDER + "/";
            new BaseTable(ops, table.fullName())
                    .expireSnapshots()
                    .expireOlderThan(keptFrom)
                    .retainLast(1)
                    .executeDeleteWith(SameThread.EXECUTOR)
                    .planWith(SameThread.EXECUTOR)
                    .deleteWith(location -> {
                        if (location.startsWith(ours)) {
                            io.deleteFile(location);
                        }
                    })
                    .cleanExpiredFiles(true)
                    .commit();
        }
        before.removeAll(ids(ops.current()));
        List<Long> forget = new ArrayList<>(before);
        forget.addAll(beforeHistory);
        if (!forget.isEmpty()) {
            repository.forgetSnapshots(table.id(), forget);
        }
    }

    private static Set<Long> ids(TableMetadata metadata) {
        Set<Long> ids = new HashSet<>();
        for (Snapshot snapshot : metadata.snapshots()) {
            ids.add(snapshot.snapshotId());
        }
        return ids;
    }
}
