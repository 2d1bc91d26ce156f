package io.deltaplane.metadata.icebergmetadata;

import java.util.List;
import java.util.UUID;
import java.util.function.Function;
import org.apache.iceberg.BaseMetastoreTableOperations;
import org.apache.iceberg.HistoryEntry;
import org.apache.iceberg.MetadataUpdate;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.TableMetadata;
import org.apache.iceberg.exceptions.CommitFailedException;
import org.apache.iceberg.io.FileIO;

/**
 * Iceberg's table operations for one table's Iceberg metadata, with Postgres as the pointer: a
 * commit writes the new metadata file through {@link IcebergStorageIO} and swaps {@code
 * iceberg_tables.metadata_location} from the one it read (compare-and-set), recording the Delta
 * version the metadata's current snapshot reflects ({@link IcebergConversion#DELTA_VERSION} in its
 * summary) and that snapshot's id.
 */
final class IcebergTableOperations extends BaseMetastoreTableOperations {

    private final UUID tableId;
    private final String tableName;
    private final FileIO io;
    private final IcebergMetadataRepository repository;
    private final Function<String, TableMetadata> read;

    /** @param read reads (or recalls) the metadata file at a location: they never change once written */
    IcebergTableOperations(
            UUID tableId,
            String tableName,
            FileIO io,
            IcebergMetadataRepository repository,
            Function<String, TableMetadata> read) {
        this.tableId = tableId;
        this.tableName = tableName;
        this.io = io;
        this.repository = repository;
        this.read = read;
    }

    @Override
    protected String tableName() {
        return tableName;
    }

    @Override
    public FileIO io() {
        return io;
    }

    @Override
    protected void doRefresh() {
        refreshFromMetadataLocation(
                repository
                        .state(tableId)
                        .flatMap(IcebergMetadataRepository.State::metadataLocation)
                        .orElse(null),
                null,
                3,
                read);
    }

    @Override
    protected void doCommit(TableMetadata base, TableMetadata metadata) {
        metadata = atDeltaCommitTime(base, metadata);
        String newLocation = writeNewMetadataIfRequired(base == null, metadata);
        Snapshot current = metadata.currentSnapshot();
        long deltaVersion = -1;
        Long snapshotId = null;
        if (current != null && current.summary().containsKey(IcebergConversion.DELTA_VERSION)) {
            deltaVersion = Long.parseLong(current.summary().get(IcebergConversion.DELTA_VERSION));
            snapshotId = current.snapshotId();
        }
        boolean newSnapshot = snapshotId != null && (base == null || base.snapshot(snapshotId) == null);
        if (newSnapshot && base != null && base.currentSnapshot() != null) {
            long converted = IcebergConversion.deltaVersion(base);
            if (converted >= deltaVersion) {
                // iceberg-core retried a lost race by applying this version's files again on the
                // winner's snapshot of the same version: rows read twice. Out of its retry, to start over.
                throw new ConvertedElsewhere(tableName, deltaVersion, converted);
            }
        }
        // the spec a new snapshot's files were added under (a metadata-only commit adds none)
        Integer specId = newSnapshot ? metadata.defaultSpecId() : null;
        String expected = base == null ? null : currentMetadataLocation();
        if (!repository.swap(tableId, expected, newLocation, deltaVersion, snapshotId, specId)) {
            io.deleteFile(newLocation);
            throw new CommitFailedException("Iceberg metadata of %s moved on while converting", tableName);
        }
    }

    /**
     * Another converter (another replica) made the snapshot of this Delta version first. Not a
     * {@link CommitFailedException}, which iceberg-core retries by applying the same files again on
     * top of the winner's snapshot; the conversion starts over from the metadata the winner made.
     */
    static final class ConvertedElsewhere extends RuntimeException {
        ConvertedElsewhere(String table, long version, long converted) {
            super("Iceberg metadata of " + table + " already reflects Delta version " + converted + ", converting "
                    + version + " again would apply its files twice");
        }
    }

    /**
     * A new snapshot is dated when its Delta version was committed ({@link
     * IcebergConversion#DELTA_COMMITTED_AT}), not when it was converted, so Iceberg's time travel by
     * timestamp finds the version Delta's does. Iceberg orders the snapshot log: a time before the
     * previous snapshot's is raised to it, and one after the metadata's own update time (a writer's
     * clock ahead) lowered to that.
     *
     * <p>iceberg-core dates snapshots with the wall clock ({@code SnapshotProducer.apply}) and offers
     * no seam for another time, so the metadata is made again from {@code base} by its own builder:
     * the changes iceberg-core made to it ({@link TableMetadata#changes()}) are applied once more, as
     * a REST catalog applies a client's, with the new snapshot added as a {@link DatedSnapshot}. The
     * builder logs an added snapshot at the snapshot's own time ({@code setRef}), so the snapshot and
     * its snapshot-log entry carry the Delta time; the metadata log gains {@code base}'s file as it
     * did. What differs from the produced metadata is its {@code last-updated-ms}, the builder's
     * clock a moment later (never earlier, so the snapshot is still no later than it). Nothing is
     * serialized: the JSON round trip this replaced cost a serialization and a parse of the whole
     * metadata per Delta version, growing with the snapshots kept (docs/metadata-benchmark.md).
     */
    static TableMetadata atDeltaCommitTime(TableMetadata base, TableMetadata metadata) {
        Snapshot snapshot = metadata.currentSnapshot();
        if (snapshot == null
                || (base != null && base.snapshot(snapshot.snapshotId()) != null)
                || !snapshot.summary().containsKey(IcebergConversion.DELTA_COMMITTED_AT)) {
            return metadata;
        }
        long at = Long.parseLong(snapshot.summary().get(IcebergConversion.DELTA_COMMITTED_AT));
        List<HistoryEntry> log = base == null ? List.of() : base.snapshotLog();
        if (!log.isEmpty()) {
            at = Math.max(at, log.get(log.size() - 1).timestampMillis());
        }
        at = Math.min(at, metadata.lastUpdatedMillis());
        if (at == snapshot.timestampMillis()) {
            return metadata;
        }
        TableMetadata.Builder builder = base == null
                ? TableMetadata.buildFromEmpty(metadata.formatVersion()).assignUUID(metadata.uuid())
                : TableMetadata.buildFrom(base);
        List<MetadataUpdate> changes = metadata.changes();
        int before = base == null ? 0 : base.changes().size();
        boolean dated = false;
        for (MetadataUpdate change : changes.subList(before, changes.size())) {
            if (change instanceof MetadataUpdate.AddSnapshot add
                    && add.snapshot().snapshotId() == snapshot.snapshotId()) {
                builder.addSnapshot(new DatedSnapshot(add.snapshot(), at));
                dated = true;
            } else {
                change.applyTo(builder);
            }
        }
        TableMetadata rebuilt = builder.build();
        if (!dated
                || rebuilt.currentSnapshot() == null
                || rebuilt.currentSnapshot().snapshotId() != snapshot.snapshotId()
                || rebuilt.snapshotLog().size() != metadata.snapshotLog().size()) {
            throw new IllegalStateException("Iceberg metadata of snapshot " + snapshot.snapshotId()
                    + " is not the one its changes make again: cannot date it at " + at);
        }
        return rebuilt;
    }
}
