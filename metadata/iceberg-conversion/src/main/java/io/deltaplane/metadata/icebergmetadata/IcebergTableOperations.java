package io.deltaplane.metadata.icebergmetadata;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.UUID;
import java.util.function.Function;
import org.apache.iceberg.BaseMetastoreTableOperations;
import org.apache.iceberg.HistoryEntry;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.TableMetadata;
import org.apache.iceberg.TableMetadataParser;
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

    /** Iceberg's metadata JSON is Jackson 2's (iceberg-core's parsers take its trees). */
    private static final ObjectMapper JSON = new ObjectMapper();

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
        String expected = base == null ? null : currentMetadataLocation();
        if (!repository.swap(tableId, expected, newLocation, deltaVersion, snapshotId)) {
            io.deleteFile(newLocation);
            throw new CommitFailedException("Iceberg metadata of %s moved on while converting", tableName);
        }
    }

    /**
     * A new snapshot is dated when its Delta version was committed ({@link
     * IcebergConversion#DELTA_COMMITTED_AT}), not when it was converted, so Iceberg's time travel by
     * timestamp finds the version Delta's does. iceberg-core dates snapshots with the wall clock and
     * offers no seam for another time, so the metadata is rewritten through its own JSON form.
     * Iceberg orders the snapshot log: a time before the previous snapshot's is raised to it, and
     * one after the metadata's own update time (a writer's clock ahead) lowered to that.
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
        ObjectNode json;
        try {
            json = (ObjectNode) JSON.readTree(TableMetadataParser.toJson(metadata));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("Iceberg wrote metadata JSON it cannot read back", e);
        }
        for (JsonNode entry : json.path("snapshots")) {
            if (entry.path("snapshot-id").asLong() == snapshot.snapshotId()) {
                ((ObjectNode) entry).put("timestamp-ms", at);
            }
        }
        for (JsonNode entry : json.path("snapshot-log")) {
            if (entry.path("snapshot-id").asLong() == snapshot.snapshotId()) {
                ((ObjectNode) entry).put("timestamp-ms", at);
            }
        }
        return TableMetadataParser.fromJson(json);
    }
}
