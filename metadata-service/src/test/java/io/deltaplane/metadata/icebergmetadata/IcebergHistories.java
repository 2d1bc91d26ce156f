package io.deltaplane.metadata.icebergmetadata;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Map;
import org.apache.iceberg.HistoryEntry;
import org.apache.iceberg.PartitionSpec;
import org.apache.iceberg.Schema;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.SnapshotParser;
import org.apache.iceberg.SortOrder;
import org.apache.iceberg.TableMetadata;
import org.apache.iceberg.TableMetadataParser;
import org.apache.iceberg.types.Types;

/**
 * Iceberg metadata shaped as the conversion makes it, for tests and the dating benchmark: a table
 * whose snapshots each carry a Delta version and its commit time, as read back from its metadata
 * file, and the metadata iceberg-core's {@code SnapshotProducer} hands the table operations for the
 * next version (its snapshot dated by the wall clock), with {@link #jsonRoundTrip} the way
 * snapshots were dated before {@link IcebergTableOperations#atDeltaCommitTime}'s builder.
 */
public final class IcebergHistories {

    /** The history's first snapshot: 2026-01-01T00:00:00Z; one a second after that. */
    public static final long FIRST = 1_767_225_600_000L;

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Schema SCHEMA = new Schema(
            Types.NestedField.required(1, "id", Types.LongType.get()),
            Types.NestedField.optional(2, "name", Types.StringType.get()),
            Types.NestedField.optional(3, "day", Types.DateType.get()));

    private IcebergHistories() {}

    /** A table of {@code snapshots} converted versions (0 for none), as read from its metadata file. */
    public static TableMetadata table(int formatVersion, int snapshots) {
        TableMetadata metadata = TableMetadata.buildFromEmpty(formatVersion)
                .assignUUID("6d1c1f7e-2f4b-4e8e-9a57-3b0c1a2d4e5f")
                .setLocation("file:/tables/t")
                .setCurrentSchema(SCHEMA, SCHEMA.highestFieldId())
                .setDefaultPartitionSpec(PartitionSpec.unpartitioned())
                .setDefaultSortOrder(SortOrder.unsorted())
                .setProperties(Map.of("write.metadata.path", "file:/tables/t/_iceberg/metadata"))
                .build();
        for (int version = 0; version < snapshots; version++) {
            metadata = TableMetadata.buildFrom(metadata)
                    .setBranchSnapshot(
                            snapshot(metadata, version, FIRST + version * 1_000L, FIRST + version * 1_000L), "main")
                    .discardChanges() // each version's metadata is read from its file: no changes
                    .build();
        }
        return TableMetadataParser.fromJson(
                "file:/tables/t/_iceberg/metadata/" + snapshots + "-read.metadata.json",
                TableMetadataParser.toJson(metadata));
    }

    /**
     * What {@code SnapshotProducer.commit} hands the table operations for the next Delta version,
     * committed at {@code committedAt}: a snapshot dated now, set as main's head.
     */
    public static TableMetadata produced(TableMetadata base, long committedAt) {
        long version = base.currentSnapshot() == null
                ? 0
                : Long.parseLong(base.currentSnapshot().summary().get(IcebergConversion.DELTA_VERSION)) + 1;
        return TableMetadata.buildFrom(base)
                .setBranchSnapshot(snapshot(base, version, System.currentTimeMillis(), committedAt), "main")
                .build();
    }

    /** A snapshot as iceberg-core makes one for Delta version {@code version} on {@code base}. */
    static Snapshot snapshot(TableMetadata base, long version, long timestampMillis, Long committedAt) {
        ObjectNode snapshot = JSON.createObjectNode();
        snapshot.put("sequence-number", base.lastSequenceNumber() + 1);
        snapshot.put("snapshot-id", 7_000_000_000L + version);
        if (base.currentSnapshot() != null) {
            snapshot.put("parent-snapshot-id", base.currentSnapshot().snapshotId());
        }
        snapshot.put("timestamp-ms", timestampMillis);
        ObjectNode summary = snapshot.putObject("summary");
        summary.put("operation", "append");
        summary.put("added-data-files", "10");
        summary.put("added-records", "1000");
        summary.put("added-files-size", "123456");
        summary.put("changed-partition-count", "1");
        summary.put("total-records", Long.toString(1000 * (version + 1)));
        summary.put("total-files-size", Long.toString(123456 * (version + 1)));
        summary.put("total-data-files", Long.toString(10 * (version + 1)));
        summary.put("total-delete-files", "0");
        summary.put("total-position-deletes", "0");
        summary.put("total-equality-deletes", "0");
        summary.put(IcebergConversion.DELTA_VERSION, Long.toString(version));
        if (committedAt != null) {
            summary.put(IcebergConversion.DELTA_COMMITTED_AT, Long.toString(committedAt));
        }
        snapshot.put(
                "manifest-list",
                "file:/tables/t/_iceberg/metadata/snap-" + (7_000_000_000L + version) + "-1-0f1e2d3c.avro");
        snapshot.put("schema-id", base.currentSchemaId());
        if (base.formatVersion() >= 3) {
            snapshot.put("first-row-id", base.nextRowId());
            snapshot.put("added-rows", 1000);
        }
        return SnapshotParser.fromJson(snapshot.toString());
    }

    /** The last entry of a snapshot log. */
    public static HistoryEntry last(List<HistoryEntry> log) {
        return log.get(log.size() - 1);
    }

    /**
     * The way {@code atDeltaCommitTime} dated a snapshot before it used Iceberg's builder: the whole
     * metadata to JSON, the new snapshot's {@code timestamp-ms} and its log entry's edited in the
     * tree, parsed back. Kept as the reference the builder's result is compared with.
     */
    public static TableMetadata jsonRoundTrip(TableMetadata base, TableMetadata metadata) {
        Snapshot snapshot = metadata.currentSnapshot();
        if (snapshot == null
                || (base != null && base.snapshot(snapshot.snapshotId()) != null)
                || !snapshot.summary().containsKey(IcebergConversion.DELTA_COMMITTED_AT)) {
            return metadata;
        }
        long at = Long.parseLong(snapshot.summary().get(IcebergConversion.DELTA_COMMITTED_AT));
        List<HistoryEntry> log = base == null ? List.of() : base.snapshotLog();
        if (!log.isEmpty()) {
            at = Math.max(at, last(log).timestampMillis());
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

    /** The builder's way, for the benchmark in another package. */
    public static TableMetadata builder(TableMetadata base, TableMetadata metadata) {
        return IcebergTableOperations.atDeltaCommitTime(base, metadata);
    }
}
