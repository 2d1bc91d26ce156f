package io.deltaplane.metadata.icebergmetadata;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.function.BiConsumer;
import java.util.function.Function;
import org.apache.iceberg.BaseMetastoreTableOperations;
import org.apache.iceberg.HistoryEntry;
import org.apache.iceberg.MetadataUpdate;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.SnapshotRef;
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
    private final BiConsumer<String, TableMetadata> written;

    /**
     * @param read reads (or recalls) the metadata file at a location: they never change once written
     * @param written told each metadata this commits, as the file at its location reads (the refresh
     *     after the commit then finds it without parsing the file back)
     */
    IcebergTableOperations(
            UUID tableId,
            String tableName,
            FileIO io,
            IcebergMetadataRepository repository,
            Function<String, TableMetadata> read,
            BiConsumer<String, TableMetadata> written) {
        this.tableId = tableId;
        this.tableName = tableName;
        this.io = io;
        this.repository = repository;
        this.read = read;
        this.written = written;
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
        List<Snapshot> added = newSnapshots(base, metadata);
        if (!added.isEmpty() && base != null && base.currentSnapshot() != null) {
            long converted = IcebergConversion.deltaVersion(base);
            long first = deltaVersionOf(added.get(0));
            if (converted >= first) {
                // iceberg-core retried a lost race by applying these versions' files again on the
                // winner's snapshots of the same versions: rows read twice. Out of its retry, to start over.
                throw new ConvertedElsewhere(tableName, first, converted);
            }
        }
        String newLocation = writeNewMetadataIfRequired(base == null, metadata);
        List<IcebergMetadataRepository.NewSnapshot> recorded = new ArrayList<>();
        for (Snapshot snapshot : added) {
            String spec = snapshot.summary().get(IcebergConversion.PARTITION_SPEC_ID);
            recorded.add(new IcebergMetadataRepository.NewSnapshot(
                    deltaVersionOf(snapshot),
                    snapshot.snapshotId(),
                    spec == null ? metadata.defaultSpecId() : Integer.parseInt(spec)));
        }
        long deltaVersion = metadata.currentSnapshot() == null ? -1 : IcebergConversion.deltaVersion(metadata);
        String expected = base == null ? null : currentMetadataLocation();
        if (!repository.swap(tableId, expected, newLocation, deltaVersion, recorded)) {
            io.deleteFile(newLocation);
            throw new CommitFailedException("Iceberg metadata of %s moved on while converting", tableName);
        }
        written.accept(newLocation, asWritten(metadata, newLocation));
    }

    /** What parsing {@code metadata}'s file at {@code location} gives: the same metadata, located there, no changes. */
    static TableMetadata asWritten(TableMetadata metadata, String location) {
        return TableMetadata.buildFrom(metadata)
                .discardChanges()
                .withMetadataLocation(location)
                .build();
    }

    /** The snapshots {@code metadata} adds to {@code base}, in the order they were added (their Delta versions'). */
    private static List<Snapshot> newSnapshots(TableMetadata base, TableMetadata metadata) {
        List<Snapshot> added = new ArrayList<>();
        for (Snapshot snapshot : metadata.snapshots()) {
            if ((base == null || base.snapshot(snapshot.snapshotId()) == null)
                    && snapshot.summary().containsKey(IcebergConversion.DELTA_VERSION)) {
                added.add(snapshot);
            }
        }
        return added;
    }

    private static long deltaVersionOf(Snapshot snapshot) {
        return Long.parseLong(snapshot.summary().get(IcebergConversion.DELTA_VERSION));
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
     * Each new snapshot is dated when its Delta version was committed ({@link
     * IcebergConversion#DELTA_COMMITTED_AT}), not when it was converted, so Iceberg's time travel by
     * timestamp finds the version Delta's does. Iceberg orders the snapshot log: a time before the
     * previous snapshot's is raised to it, and one after the metadata's own update time (a writer's
     * clock ahead) lowered to that.
     *
     * <p>iceberg-core dates snapshots with the wall clock ({@code SnapshotProducer.apply}) and offers
     * no seam for another time, so the metadata is made again from {@code base} by its own builder:
     * the changes iceberg-core made to it ({@link TableMetadata#changes()}) are applied once more, as
     * a REST catalog applies a client's, with each new snapshot added as a {@link DatedSnapshot}. The
     * builder logs an added snapshot at the snapshot's own time ({@code setRef}), so the snapshot and
     * its snapshot-log entry carry the Delta time; the metadata log gains {@code base}'s file as it
     * did. What differs from the produced metadata is its {@code last-updated-ms}, the builder's
     * clock a moment later (never earlier, so the snapshot is still no later than it). Nothing is
     * serialized: the JSON round trip this replaced cost a serialization and a parse of the whole
     * metadata per Delta version, growing with the snapshots kept (docs/metadata-benchmark.md).
     */
    static TableMetadata atDeltaCommitTime(TableMetadata base, TableMetadata metadata) {
        List<MetadataUpdate> changes = metadata.changes();
        int before = base == null ? 0 : base.changes().size();
        List<HistoryEntry> log = base == null ? List.of() : base.snapshotLog();
        long previous = log.isEmpty() ? Long.MIN_VALUE : log.get(log.size() - 1).timestampMillis();
        // each snapshot added, dated at its Delta commit, in the order they were added
        java.util.Map<Long, Long> dates = new java.util.HashMap<>();
        boolean moved = false;
        for (MetadataUpdate change : changes.subList(before, changes.size())) {
            if (change instanceof MetadataUpdate.AddSnapshot add
                    && add.snapshot().summary().containsKey(IcebergConversion.DELTA_COMMITTED_AT)) {
                long at = Long.parseLong(add.snapshot().summary().get(IcebergConversion.DELTA_COMMITTED_AT));
                at = Math.min(Math.max(at, previous), metadata.lastUpdatedMillis());
                previous = at;
                dates.put(add.snapshot().snapshotId(), at);
                moved |= at != add.snapshot().timestampMillis();
            }
        }
        if (!moved && dates.size() <= 1) {
            return metadata;
        }
        TableMetadata.Builder builder = base == null
                ? TableMetadata.buildFromEmpty(metadata.formatVersion()).assignUUID(metadata.uuid())
                : TableMetadata.buildFrom(base);
        List<MetadataUpdate> replayed = changes.subList(before, changes.size());
        for (int i = 0; i < replayed.size(); i++) {
            MetadataUpdate change = replayed.get(i);
            if (change instanceof MetadataUpdate.AddSnapshot add
                    && dates.containsKey(add.snapshot().snapshotId())) {
                builder.addSnapshot(new DatedSnapshot(
                        add.snapshot(), dates.get(add.snapshot().snapshotId())));
            } else {
                change.applyTo(builder);
            }
            if (change instanceof MetadataUpdate.SetSnapshotRef ref
                    && SnapshotRef.MAIN_BRANCH.equals(ref.name())
                    && dates.containsKey(ref.snapshotId())
                    && i < replayed.size() - 1) {
                // Each Delta version was the table's state from its commit on: built one at a time, so
                // Iceberg keeps every snapshot in the snapshot log (a transaction's builder drops the
                // ones it was not left at) and time travel by timestamp finds each version.
                builder = TableMetadata.buildFrom(builder.discardChanges().build());
            }
        }
        TableMetadata rebuilt = builder.build();
        Snapshot current = metadata.currentSnapshot();
        java.util.Set<Long> logged = new java.util.HashSet<>();
        rebuilt.snapshotLog().forEach(entry -> logged.add(entry.snapshotId()));
        if (rebuilt.currentSnapshot() == null
                || rebuilt.currentSnapshot().snapshotId() != current.snapshotId()
                || !logged.containsAll(dates.keySet())) {
            throw new IllegalStateException("Iceberg metadata of snapshot " + current.snapshotId()
                    + " is not the one its changes make again: cannot date its snapshots at their Delta commits");
        }
        return rebuilt;
    }
}
