package io.deltaplane.metadata.publish;

import static org.assertj.core.api.Assertions.assertThat;

import io.delta.kernel.data.ColumnVector;
import io.delta.kernel.data.ColumnarBatch;
import io.delta.kernel.engine.FileReadResult;
import io.delta.kernel.internal.util.Utils;
import io.delta.kernel.types.StringType;
import io.delta.kernel.types.StructType;
import io.delta.kernel.utils.CloseableIterator;
import io.delta.kernel.utils.FileStatus;
import io.deltaplane.metadata.RowsRead;
import io.deltaplane.metadata.StatementReadsTestBase;
import io.deltaplane.metadata.deltalog.DeltaLogCheckpointWriter;
import io.deltaplane.metadata.deltalog.DeltaLogCheckpointWriter.LastCheckpoint;
import io.deltaplane.metadata.table.TableRow;
import io.deltaplane.storage.StoragePaths;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * The checkpoint of the table's current version finds its adds through the live-path index,
 * however many files the table has removed — in the generic plan Postgres caches for the checkpoint
 * query on a pooled connection and in a custom plan alike. Measured with Postgres's own
 * per-transaction counters of index entries read and of rows read by sequential scans ({@code
 * pg_stat_get_xact_tuples_returned}).
 *
 * <p>A compaction at version 2, a month ago, removed 20,000 files; version 3 added 300. The plans
 * are made from this history's own statistics (those other tests left in {@code files} once made a
 * custom plan walk all 20,301 entries of the primary key): a query whose adds the live-path index
 * cannot answer walks the primary key or the table here. The tombstones are still looked for among
 * the removed files, by their own index ({@code files_removed}, left out of the count here): all
 * 20,000 have expired, so none is written.
 */
class CheckpointAddsLookupTest extends StatementReadsTestBase {

    private static final int REMOVED_FILES = 20_000;
    private static final int LIVE_FILES = 300;
    // the live ones and first.parquet, and a few more entries of an index scan's end
    private static final long AT_MOST = LIVE_FILES + 1 + 3L;

    private static final StructType ADD_PATHS =
            new StructType().add("add", new StructType().add("path", StringType.STRING));

    @Autowired
    DeltaLogCheckpointWriter writer;

    @TempDir
    Path copies;

    @Test
    void theLatestCheckpointReadsItsAddsNotTheRemovedFilesInBothPlans() {
        TableRow table = tableWithOneFile();
        try {
            measureBothPlans(table);
        } finally {
            // ANALYZE's row count in pg_class is not rolled back with the transaction's rows
            jdbc.sql("ANALYZE files").update();
        }
    }

    private void measureBothPlans(TableRow table) {
        tx.executeWithoutResult(status -> {
            // Rolled back at the end: no other test or worker sees these rows.
            long latest = history(table, REMOVED_FILES, LIVE_FILES);
            // The plan is made from statistics of this history, as autovacuum leaves them after a
            // compaction, not from whatever other tests left in files (a custom plan once walked
            // the whole primary key on those). ANALYZE samples this transaction's own rows, and its
            // lock keeps autovacuum from analyzing again until the rollback.
            jdbc.sql("ANALYZE files").update();
            List<String> expected = firstAndLive(LIVE_FILES);

            for (String mode : List.of("force_generic_plan", "force_custom_plan")) {
                RowsRead.planCacheMode(jdbc, mode);
                for (int i = 0; i < 6; i++) { // past the driver's prepare threshold (5)
                    checkpoint(table, mode + "-warm-" + i, latest);
                }

                long before = addsIndexEntries();
                long scannedBefore = RowsRead.scanned(jdbc, "files");
                LastCheckpoint written = checkpoint(table, mode, latest);
                long read = addsIndexEntries() - before;
                long scanned = RowsRead.scanned(jdbc, "files") - scannedBefore;

                assertThat(written.numOfAddFiles()).as(mode).isEqualTo(LIVE_FILES + 1);
                assertThat(written.size())
                        .as("%s: protocol, metaData, adds", mode)
                        .isEqualTo(2 + LIVE_FILES + 1);
                assertThat(adds(mode)).as(mode).containsExactlyInAnyOrderElementsOf(expected);
                assertThat(read)
                        .as("%s: index entries of files (but files_removed) read by one checkpoint", mode)
                        .isLessThanOrEqualTo(AT_MOST);
                assertThat(scanned)
                        .as("%s: rows of files read by sequential scans", mode)
                        .isZero();
            }
            status.setRollbackOnly();
        });
    }

    @Test
    void aCommitAfterTheCheckpointWasClaimedStillCheckpointsThatVersionsAdds() {
        TableRow table = tableWithOneFile();

        tx.executeWithoutResult(status -> {
            long latest = history(table, 50, 25);
            LastCheckpoint atLatest = checkpoint(table, "latest", latest);

            commitReplacingFirstFile(table, latest + 1); // between the checkpoint's claim and its query
            LastCheckpoint moved = checkpoint(table, "moved", latest);

            assertThat(adds("moved"))
                    .as("the adds of %d once %d is current", latest, latest + 1)
                    .containsExactlyInAnyOrderElementsOf(adds("latest"))
                    .hasSize(26)
                    .contains("first.parquet")
                    .doesNotContain("second-00001.parquet");
            assertThat(moved.size()).isEqualTo(atLatest.size());
            assertThat(moved.numOfAddFiles()).isEqualTo(atLatest.numOfAddFiles());
            status.setRollbackOnly();
        });
    }

    /** Index entries read of files' indexes other than files_removed (the tombstones' own). */
    private long addsIndexEntries() {
        return RowsRead.indexEntriesOf(jdbc, "files_pkey") + RowsRead.indexEntriesOf(jdbc, "files_live_path");
    }

    /**
     * After version 1 (first.parquet, which stays), version 2 compacted away {@code removed} files
     * and version 3 added {@code live}; the first three versions were committed a month ago, so no
     * tombstone is retained. Returns the new current version, 3.
     */
    private long history(TableRow table, int removed, int live) {
        long first = table.currentVersion();
        jdbc.sql("UPDATE commits SET committed_at = committed_at - interval '30 days' WHERE table_id = :id")
                .param("id", table.id())
                .update();
        jdbc.sql("INSERT INTO commits (table_id, version, committed_at, operation, actions, num_files, size_bytes)"
                        + " VALUES (:id, :compacted, now() - interval '29 days', 'OPTIMIZE', '[]', 1, 10),"
                        + " (:id, :latest, now(), 'WRITE', '[]', 1, 10)")
                .param("id", table.id())
                .param("compacted", first + 1)
                .param("latest", first + 2)
                .update();
        insertFiles(table, "gone-", removed, first, first + 1);
        insertFiles(table, "live-", live, first + 2, null);
        setCurrentVersion(table, first + 2);
        return first + 2;
    }

    private LastCheckpoint checkpoint(TableRow table, String copy, long version) {
        try {
            return writer.write(table.id(), "file:" + copies.resolve(copy).toAbsolutePath(), version)
                    .orElseThrow(() -> new AssertionError("checkpoint " + copy + " already there"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The add paths of the checkpoint written to {@code copy}, as Delta Kernel reads them. */
    private List<String> adds(String copy) {
        try {
            Path file;
            try (Stream<Path> files = Files.list(copies.resolve(copy).resolve("_delta_log"))) {
                file = files.filter(f -> f.getFileName().toString().endsWith(".checkpoint.parquet"))
                        .findFirst()
                        .orElseThrow();
            }
            FileStatus status = FileStatus.of(
                    StoragePaths.toFileUri(file.toString()),
                    Files.size(file),
                    Files.getLastModifiedTime(file).toMillis());
            List<String> adds = new ArrayList<>();
            try (CloseableIterator<FileReadResult> results = KernelReader.ENGINE
                    .getParquetHandler()
                    .readParquetFiles(Utils.singletonCloseableIterator(status), ADD_PATHS, Optional.empty())) {
                while (results.hasNext()) {
                    ColumnarBatch batch = results.next().getData();
                    ColumnVector add = batch.getColumnVector(0);
                    for (int i = 0; i < batch.getSize(); i++) {
                        if (!add.isNullAt(i)) {
                            adds.add(add.getChild(0).getString(i));
                        }
                    }
                }
            }
            return adds;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
