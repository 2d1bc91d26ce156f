package io.deltaplane.metadata.publish;

import static org.assertj.core.api.Assertions.assertThat;

import io.delta.kernel.data.ColumnVector;
import io.delta.kernel.data.ColumnarBatch;
import io.delta.kernel.engine.FileReadResult;
import io.delta.kernel.internal.util.Utils;
import io.delta.kernel.types.LongType;
import io.delta.kernel.types.StringType;
import io.delta.kernel.types.StructType;
import io.delta.kernel.utils.CloseableIterator;
import io.delta.kernel.utils.FileStatus;
import io.deltaplane.storage.StoragePaths;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * Checkpoints written from Postgres, read back by Delta Kernel: every unexpired tombstone (also
 * those older than the previous checkpoint), {@code _last_checkpoint} that counts actions and
 * bytes, and a table of 100,000 live files readable from its checkpoint alone.
 */
class CheckpointFromPostgresTest extends PublishTestBase {

    private static final StructType ROWS = new StructType()
            .add("add", new StructType().add("path", StringType.STRING))
            .add("remove", new StructType().add("path", StringType.STRING).add("deletionTimestamp", LongType.LONG))
            .add("metaData", new StructType().add("id", StringType.STRING))
            .add("protocol", new StructType().add("minReaderVersion", io.delta.kernel.types.IntegerType.INTEGER));

    @TempDir
    Path copies;

    @Test
    void aTombstoneOlderThanThePreviousCheckpointIsStillInTheNextOne() throws IOException {
        String table = newTable();
        ok(commit(table, 0, add("a.parquet", 100), add("b.parquet", 200)), 201);
        Instant removedAt = Instant.parse(ok(commit(table, 1, remove("a.parquet")), 201)
                .get("committed_at")
                .asString());
        // (a commit expecting version e creates e + 1; creating the table made version 0)
        for (long v = 2; v <= 9; v++) {
            ok(commit(table, v, add("f" + v + ".parquet", v)), 201);
        }
        awaitCheckpoint(table, 10);
        for (long v = 10; v <= 19; v++) {
            ok(commit(table, v, add("f" + v + ".parquet", v)), 201);
        }
        awaitCheckpoint(table, 20);

        Checkpoint checkpoint = read(logDir(table).resolve("00000000000000000020.checkpoint.parquet"));
        // Spark's VACUUM keeps a.parquet only while the checkpoint says it was removed recently:
        // without this tombstone, versionAsOf 0 would lose a file inside the retention period.
        assertThat(checkpoint.removes()).containsExactly(Map.entry("a.parquet", removedAt.toEpochMilli()));
        assertThat(checkpoint.adds()).hasSize(19).contains("b.parquet", "f19.parquet");
        assertLastCheckpoint(table, 20, checkpoint);
    }

    @Test
    void expiredTombstonesAreLeftOutAndTheCheckpointAloneCarriesTheState() throws IOException {
        String table = newTable(Map.of("delta.deletedFileRetentionDuration", "interval 1 millisecond"));
        ok(commit(table, 0, add("a.parquet", 100), add("b.parquet", 200)), 201);
        ok(commit(table, 1, remove("a.parquet")), 201);
        for (long v = 2; v <= 10; v++) {
            ok(commit(table, v, add("f" + v + ".parquet", v)), 201);
        }
        awaitCheckpoint(table, 10);
        Checkpoint checkpoint = read(logDir(table).resolve("00000000000000000010.checkpoint.parquet"));
        assertThat(checkpoint.removes()).isEmpty();
        assertLastCheckpoint(table, 10, checkpoint);
    }

    @Test
    void aHundredThousandLiveFiles() throws IOException {
        String table = newTable();
        int perCommit = 10_000;
        for (long v = 0; v < 10; v++) {
            List<String> adds = new ArrayList<>(perCommit);
            for (int i = 0; i < perCommit; i++) {
                adds.add(add("part-" + v + "-" + i + ".parquet", 1_000 + i));
            }
            ok(commit(table, v, adds.toArray(String[]::new)), 201);
        }
        ok(commit(table, 10, remove("part-0-0.parquet")), 201);
        awaitPublished(table);
        awaitCheckpoint(table, 10);
        Path log = logDir(table);
        Checkpoint checkpoint = read(log.resolve("00000000000000000010.checkpoint.parquet"));
        assertThat(checkpoint.adds()).hasSize(100_000);
        assertLastCheckpoint(table, 10, checkpoint);

        // Kernel from the checkpoint alone (no JSON commit before it), then a remove after it.
        Path copy = copies.resolve("t").resolve("_delta_log");
        Files.createDirectories(copy);
        for (String name :
                List.of("00000000000000000010.checkpoint.parquet", "_last_checkpoint", "00000000000000000010.json")) {
            Files.copy(log.resolve(name), copy.resolve(name));
        }
        Files.copy(log.resolve("00000000000000000011.json"), copy.resolve("00000000000000000011.json"));
        KernelReader.View view =
                KernelReader.read(StoragePaths.toFileUri(copy.getParent().toString()), null);
        assertThat(view.version()).isEqualTo(11);
        assertThat(view.livePaths()).hasSize(99_999).doesNotContain("part-0-0.parquet");
    }

    private void assertLastCheckpoint(String table, long version, Checkpoint checkpoint) throws IOException {
        Path log = logDir(table);
        JsonNode last = JSON.readTree(Files.readString(log.resolve("_last_checkpoint")));
        assertThat(last.get("version").asLong()).isEqualTo(version);
        // size is the number of actions (rows), not of adds
        assertThat(last.get("size").asLong()).isEqualTo(checkpoint.rows());
        assertThat(last.get("sizeInBytes").asLong())
                .isEqualTo(Files.size(log.resolve(String.format("%020d.checkpoint.parquet", version))));
    }

    /** The rows of a checkpoint file, as Delta Kernel's Parquet reader returns them. */
    private record Checkpoint(long rows, List<String> adds, Map<String, Long> removes) {}

    private static Checkpoint read(Path file) throws IOException {
        FileStatus status = FileStatus.of(
                StoragePaths.toFileUri(file.toString()),
                Files.size(file),
                Files.getLastModifiedTime(file).toMillis());
        long rows = 0;
        List<String> adds = new ArrayList<>();
        Map<String, Long> removes = new HashMap<>();
        int metadata = 0;
        int protocols = 0;
        try (CloseableIterator<FileReadResult> results = KernelReader.ENGINE
                .getParquetHandler()
                .readParquetFiles(Utils.singletonCloseableIterator(status), ROWS, Optional.empty())) {
            while (results.hasNext()) {
                ColumnarBatch batch = results.next().getData();
                ColumnVector add = batch.getColumnVector(0);
                ColumnVector remove = batch.getColumnVector(1);
                for (int i = 0; i < batch.getSize(); i++) {
                    rows++;
                    if (!add.isNullAt(i)) {
                        adds.add(add.getChild(0).getString(i));
                    }
                    if (!remove.isNullAt(i)) {
                        removes.put(
                                remove.getChild(0).getString(i),
                                remove.getChild(1).getLong(i));
                    }
                    metadata += batch.getColumnVector(2).isNullAt(i) ? 0 : 1;
                    protocols += batch.getColumnVector(3).isNullAt(i) ? 0 : 1;
                }
            }
        }
        assertThat(metadata).as("metaData rows").isEqualTo(1);
        assertThat(protocols).as("protocol rows").isEqualTo(1);
        assertThat(new HashSet<>(adds)).hasSameSizeAs(adds);
        return new Checkpoint(rows, adds, removes);
    }
}
