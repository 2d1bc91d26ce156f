package io.deltaplane.metadata.icebergmetadata;

import static io.deltaplane.metadata.icebergmetadata.IcebergHistories.FIRST;
import static io.deltaplane.metadata.icebergmetadata.IcebergHistories.last;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.UUID;
import org.apache.iceberg.BaseTable;
import org.apache.iceberg.HistoryEntry;
import org.apache.iceberg.PartitionSpec;
import org.apache.iceberg.Schema;
import org.apache.iceberg.SortOrder;
import org.apache.iceberg.StaticTableOperations;
import org.apache.iceberg.Table;
import org.apache.iceberg.TableMetadata;
import org.apache.iceberg.TableMetadataParser;
import org.apache.iceberg.inmemory.InMemoryFileIO;
import org.apache.iceberg.types.Types;
import org.apache.iceberg.util.SnapshotUtil;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A converted snapshot is dated at its Delta commit ({@link IcebergTableOperations#atDeltaCommitTime})
 * as Iceberg's own client reads it back from the metadata file: the snapshot, its snapshot-log entry
 * and time travel by timestamp; a time before the previous snapshot's raised to it, one after the
 * metadata's update time lowered to that; and the metadata written is the one the JSON round trip
 * it replaced wrote ({@link IcebergHistories#jsonRoundTrip}) but for {@code last-updated-ms}.
 */
class IcebergSnapshotDatingTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final InMemoryFileIO IO = new InMemoryFileIO();

    @ParameterizedTest
    @ValueSource(ints = {2, 3})
    void aConvertedSnapshotIsDatedAtItsDeltaCommitAndFoundThereByTimeTravel(int formatVersion) {
        TableMetadata base = IcebergHistories.table(formatVersion, 5);
        long previous = last(base.snapshotLog()).timestampMillis();
        long committedAt = previous + 500;
        TableMetadata produced = IcebergHistories.produced(base, committedAt);
        long id = produced.currentSnapshot().snapshotId();
        assertThat(produced.currentSnapshot().timestampMillis()).isNotEqualTo(committedAt);

        TableMetadata dated = IcebergTableOperations.atDeltaCommitTime(base, produced);

        Table table = writtenAndRead(dated);
        assertThat(table.currentSnapshot().snapshotId()).isEqualTo(id);
        assertThat(table.currentSnapshot().timestampMillis()).isEqualTo(committedAt);
        assertThat(table.snapshot(id).timestampMillis()).isEqualTo(committedAt);
        List<HistoryEntry> history = table.history();
        assertThat(history).hasSize(6);
        assertThat(last(history).snapshotId()).isEqualTo(id);
        assertThat(last(history).timestampMillis()).isEqualTo(committedAt);
        for (int i = 0; i < 5; i++) {
            assertThat(history.get(i).snapshotId())
                    .isEqualTo(base.snapshotLog().get(i).snapshotId());
            assertThat(history.get(i).timestampMillis()).isEqualTo(FIRST + i * 1_000L);
        }
        assertThat(SnapshotUtil.snapshotIdAsOfTime(table, committedAt)).isEqualTo(id);
        assertThat(SnapshotUtil.snapshotIdAsOfTime(table, committedAt - 1))
                .isEqualTo(base.currentSnapshot().snapshotId());
        assertThat(table.currentSnapshot().summary())
                .isEqualTo(produced.currentSnapshot().summary());
        if (formatVersion >= 3) {
            assertThat(table.currentSnapshot().firstRowId()).isEqualTo(base.nextRowId());
            assertThat(table.currentSnapshot().addedRows()).isEqualTo(1000L);
            assertThat(((BaseTable) table).operations().current().nextRowId()).isEqualTo(produced.nextRowId());
        }
        // base's file joins the metadata log, as it did when the snapshot was produced
        assertThat(dated.previousFiles()).isEqualTo(produced.previousFiles());
        assertThat(dated.previousFiles().get(dated.previousFiles().size() - 1).file())
                .isEqualTo(base.metadataFileLocation());
        assertSameAsJsonRoundTrip(base, produced, dated);
    }

    /**
     * What the table operations hand the cache after a commit ({@code IcebergTableOperations.asWritten})
     * is what parsing the file just written gives — every field Iceberg persists, and the file's
     * location — so the refresh after the commit need not parse the file back.
     */
    @ParameterizedTest
    @ValueSource(ints = {2, 3})
    void theMetadataHandedToTheCacheIsWhatTheWrittenFileReads(int formatVersion) {
        TableMetadata base = IcebergHistories.table(formatVersion, 5);
        TableMetadata dated = IcebergTableOperations.atDeltaCommitTime(
                base, IcebergHistories.produced(base, last(base.snapshotLog()).timestampMillis() + 500));
        String location = "mem://tables/t/metadata/" + UUID.randomUUID() + ".metadata.json";
        TableMetadataParser.overwrite(dated, IO.newOutputFile(location));

        TableMetadata parsed = TableMetadataParser.read(IO, location);
        TableMetadata handed = IcebergTableOperations.asWritten(dated, location);

        assertThat(handed.metadataFileLocation()).isEqualTo(location);
        assertThat(handed.changes()).isEmpty();
        assertThat(TableMetadataParser.toJson(handed)).isEqualTo(TableMetadataParser.toJson(parsed));
        assertThat(handed.previousFiles()).hasSameSizeAs(parsed.previousFiles());
    }

    @Test
    void aCommitBeforeThePreviousSnapshotIsRaisedToIt() {
        TableMetadata base = IcebergHistories.table(2, 3);
        long previous = last(base.snapshotLog()).timestampMillis();
        TableMetadata produced = IcebergHistories.produced(base, previous - 10_000);

        TableMetadata dated = IcebergTableOperations.atDeltaCommitTime(base, produced);

        Table table = writtenAndRead(dated);
        assertThat(table.currentSnapshot().timestampMillis()).isEqualTo(previous);
        assertThat(last(table.history()).timestampMillis()).isEqualTo(previous);
        // the two share a millisecond, and Iceberg's time travel answers the first logged at the
        // latest time not after the one asked: the raised snapshot is current, not found by time
        assertThat(SnapshotUtil.snapshotIdAsOfTime(table, previous))
                .isEqualTo(base.currentSnapshot().snapshotId());
        assertThat(table.currentSnapshot().snapshotId())
                .isEqualTo(produced.currentSnapshot().snapshotId());
        assertSameAsJsonRoundTrip(base, produced, dated);
    }

    @Test
    void aCommitAfterTheMetadatasUpdateTimeIsLoweredToIt() {
        TableMetadata base = IcebergHistories.table(2, 3);
        TableMetadata produced = IcebergHistories.produced(base, System.currentTimeMillis() + 3_600_000);

        TableMetadata dated = IcebergTableOperations.atDeltaCommitTime(base, produced);

        Table table = writtenAndRead(dated);
        assertThat(table.currentSnapshot().timestampMillis()).isEqualTo(produced.lastUpdatedMillis());
        assertThat(last(table.history()).timestampMillis()).isEqualTo(produced.lastUpdatedMillis());
        assertThat(dated.lastUpdatedMillis())
                .isGreaterThanOrEqualTo(table.currentSnapshot().timestampMillis());
        assertSameAsJsonRoundTrip(base, produced, dated);
    }

    @Test
    void aSnapshotMadeWithItsTableIsDatedToo() {
        TableMetadata produced = TableMetadata.buildFromEmpty(2)
                .assignUUID(UUID.randomUUID().toString())
                .setLocation("file:/tables/new")
                .setCurrentSchema(new Schema(Types.NestedField.required(1, "id", Types.LongType.get())), 1)
                .setDefaultPartitionSpec(PartitionSpec.unpartitioned())
                .setDefaultSortOrder(SortOrder.unsorted())
                .build();
        produced = TableMetadata.buildFrom(produced)
                .setBranchSnapshot(IcebergHistories.snapshot(produced, 0, System.currentTimeMillis(), FIRST), "main")
                .build();

        TableMetadata dated = IcebergTableOperations.atDeltaCommitTime(null, produced);

        Table table = writtenAndRead(dated);
        assertThat(table.uuid().toString()).isEqualTo(produced.uuid());
        assertThat(table.currentSnapshot().timestampMillis()).isEqualTo(FIRST);
        assertThat(table.history())
                .singleElement()
                .extracting(HistoryEntry::timestampMillis)
                .isEqualTo(FIRST);
        assertSameAsJsonRoundTrip(null, produced, dated);
    }

    @Test
    void metadataWithNothingToDateIsLeftAsItIs() {
        TableMetadata base = IcebergHistories.table(2, 3);
        // no Delta commit time in the summary
        TableMetadata undated = TableMetadata.buildFrom(base)
                .setBranchSnapshot(IcebergHistories.snapshot(base, 3, System.currentTimeMillis(), null), "main")
                .build();
        assertThat(IcebergTableOperations.atDeltaCommitTime(base, undated)).isSameAs(undated);
        // a snapshot base already has (a rollback)
        TableMetadata rolledBack = TableMetadata.buildFrom(base)
                .setBranchSnapshot(base.snapshotLog().get(0).snapshotId(), "main")
                .build();
        assertThat(IcebergTableOperations.atDeltaCommitTime(base, rolledBack)).isSameAs(rolledBack);
        // already at its Delta time
        TableMetadata onTime = TableMetadata.buildFrom(base)
                .setBranchSnapshot(
                        IcebergHistories.snapshot(
                                base, 3, last(base.snapshotLog()).timestampMillis(), FIRST),
                        "main")
                .build();
        assertThat(IcebergTableOperations.atDeltaCommitTime(base, onTime)).isSameAs(onTime);
        // no snapshot at all
        TableMetadata empty = IcebergHistories.table(2, 0);
        assertThat(IcebergTableOperations.atDeltaCommitTime(null, empty)).isSameAs(empty);
    }

    /** The metadata written, read back by Iceberg's client as a reader does. */
    private static Table writtenAndRead(TableMetadata metadata) {
        String location = "mem:/dating/" + UUID.randomUUID() + ".metadata.json";
        TableMetadataParser.write(metadata, IO.newOutputFile(location));
        return new BaseTable(new StaticTableOperations(location, IO), "dated");
    }

    /** The JSON written is the round trip's (the way this was done before) but for the update time. */
    private static void assertSameAsJsonRoundTrip(TableMetadata base, TableMetadata produced, TableMetadata dated) {
        TableMetadata reference = IcebergHistories.jsonRoundTrip(base, produced);
        assertThat(dated.lastUpdatedMillis()).isGreaterThanOrEqualTo(reference.lastUpdatedMillis());
        assertThat(withoutUpdateTime(dated)).isEqualTo(withoutUpdateTime(reference));
    }

    private static JsonNode withoutUpdateTime(TableMetadata metadata) {
        try {
            ObjectNode json = (ObjectNode) JSON.readTree(TableMetadataParser.toJson(metadata));
            json.remove("last-updated-ms");
            return json;
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
