package io.deltaplane.metadata.icebergmetadata;

import java.util.UUID;
import org.apache.iceberg.BaseMetastoreTableOperations;
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

    IcebergTableOperations(UUID tableId, String tableName, FileIO io, IcebergMetadataRepository repository) {
        this.tableId = tableId;
        this.tableName = tableName;
        this.io = io;
        this.repository = repository;
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
        refreshFromMetadataLocation(repository
                .state(tableId)
                .flatMap(IcebergMetadataRepository.State::metadataLocation)
                .orElse(null));
    }

    @Override
    protected void doCommit(TableMetadata base, TableMetadata metadata) {
        String newLocation = writeNewMetadataIfRequired(base == null, metadata);
        Snapshot current = metadata.currentSnapshot();
        long deltaVersion = -1;
        Long snapshotId = null;
        if (current != null && current.summary().containsKey(IcebergConversion.DELTA_VERSION)) {
            deltaVersion = Long.parseLong(current.summary().get(IcebergConversion.DELTA_VERSION));
            snapshotId = current.snapshotId();
        }
        String expected = base == null ? null : currentMetadataLocation();
        if (!repository.swap(tableId, expected, newLocation, deltaVersion, snapshotId)) {
            io.deleteFile(newLocation);
            throw new CommitFailedException("Iceberg metadata of %s moved on while converting", tableName);
        }
    }
}
