package io.deltaplane.metadata.publish;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.SoftAssertions.assertSoftly;

import io.deltaplane.metadata.RowsRead;
import io.deltaplane.metadata.StatementReadsTestBase;
import io.deltaplane.metadata.deltalog.DeltaLogCheckpointWriter;
import io.deltaplane.metadata.deltalog.DeltaLogCheckpointWriter.LastCheckpoint;
import io.deltaplane.metadata.table.TableRow;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * A checkpoint reads its table's files once and one index entry per tombstone for its commit and
 * for a live successor, however many files and commits the table has — also in the generic plan
 * Postgres caches for the checkpoint query on a pooled connection, made once from the statistics
 * of that moment and then kept. Measured with Postgres's own per-transaction counters of index
 * entries and of rows read by sequential scans ({@code pg_stat_get_xact_tuples_returned}).
 *
 * <p>The statistics are taken while the table is small, and 20,000 commits, 20,000 live files and
 * 50 tombstones (removed by 50 of those commits) are added after: with the tombstones' commits joined and
 * their live successors looked up by {@code NOT EXISTS}, the cached plan read every commit and every
 * file of the table again for each tombstone.
 */
class CheckpointTombstonesLookupTest extends StatementReadsTestBase {

    private static final int LIVE_FILES = 20_000;
    private static final int COMMITS = 20_000;
    private static final int TOMBSTONES = 50;

    @Autowired
    DeltaLogCheckpointWriter writer;

    @TempDir
    Path copies;

    @Test
    void aCheckpointReadsEachTombstonesCommitAndSuccessorByOneProbeInTheCachedGenericPlan() {
        TableRow table = tableWithOneFile();
        jdbc.sql("ANALYZE files").update(); // statistics of a small table, kept from now on
        long version = 1 + COMMITS; // the version checkpointed: every tombstone is in it

        tx.executeWithoutResult(status -> {
            // Rolled back at the end: no other test or worker sees these rows.
            jdbc.sql("INSERT INTO commits (table_id, version, committed_at, operation, actions, num_files, size_bytes)"
                            + " SELECT :id, v, now(), 'DELETE', '[]', 1, 10 FROM generate_series(2, :last) v")
                    .param("id", table.id())
                    .param("last", version)
                    .update();
            jdbc.sql("INSERT INTO files (table_id, path, added_version, size, action)"
                            + " SELECT :id, 'bulk-' || g || '.parquet', 1, 10, '{\"path\":\"bulk\"}'"
                            + " FROM generate_series(1, :n) g")
                    .param("id", table.id())
                    .param("n", LIVE_FILES)
                    .update();
            jdbc.sql("INSERT INTO files (table_id, path, added_version, removed_version, size, action)"
                            + " SELECT :id, 'gone-' || g || '.parquet', 1, 1 + g * :every, 10, '{\"path\":\"gone\"}'"
                            + " FROM generate_series(1, :n) g")
                    .param("id", table.id())
                    .param("n", TOMBSTONES)
                    .param("every", COMMITS / TOMBSTONES)
                    .update();

            // The commits' statistics describe the table (an autovacuum analyzes a table that grew
            // by a tenth): the probe of a tombstone's commit is only as good as they are. With the
            // statistics of a one-version table the planner may find each tombstone's commit by a
            // scan of the table's commits (seen: a bitmap scan on table_id, or commits_by_time with
            // an incremental sort) until the next analyze; the files' probes hold either way.
            jdbc.sql("ANALYZE commits").update();

            // One connection for the whole transaction; the query is prepared on the server and
            // planned once, generically, as the pool's connections do after a few checkpoints.
            RowsRead.forceGenericPlans(jdbc);
            for (int i = 0; i < 6; i++) { // past the driver's prepare threshold (5)
                checkpoint(table, "warm-" + i, version);
            }

            long filesBefore = RowsRead.indexEntries(jdbc, "files");
            long commitsBefore = RowsRead.indexEntries(jdbc, "commits");
            long scannedBefore = RowsRead.scanned(jdbc, "files") + RowsRead.scanned(jdbc, "commits");
            LastCheckpoint written = checkpoint(table, "measured", version);
            long filesRead = RowsRead.indexEntries(jdbc, "files") - filesBefore;
            long commitsRead = RowsRead.indexEntries(jdbc, "commits") - commitsBefore;
            long scanned = RowsRead.scanned(jdbc, "files") + RowsRead.scanned(jdbc, "commits") - scannedBefore;
            status.setRollbackOnly();

            assertThat(written.numOfAddFiles()).isEqualTo(LIVE_FILES + 1);
            assertThat(written.size())
                    .as("protocol, metaData, adds, tombstones")
                    .isEqualTo(2 + LIVE_FILES + 1 + TOMBSTONES);
            assertSoftly(soft -> {
                soft.assertThat(scanned)
                        .as("rows of files and commits read by sequential scans (other tables' rows too)")
                        .isZero();
                // every file of the table once (the adds), each tombstone twice more (by the
                // tombstones' index, and its successor probe)
                soft.assertThat(filesRead)
                        .as("index entries of files read by one checkpoint")
                        .isLessThanOrEqualTo(LIVE_FILES + 1 + 3L * TOMBSTONES);
                soft.assertThat(commitsRead)
                        .as("index entries of commits read by one checkpoint")
                        .isLessThanOrEqualTo(2L * TOMBSTONES);
            });
        });
    }

    @Test
    void aCheckpointReadsOnlyTheRemovedFilesOfTheRetentionPeriodInBothPlans() {
        // A compaction at version 2, a month ago, removed 20,000 files: their tombstones expired
        // long since. Versions 3 to 52, in the last hour, removed one file each: 50 tombstones kept.
        TableRow table = tableWithOneFile();
        jdbc.sql("ANALYZE files").update(); // statistics of a small table, kept from now on
        long compacted = table.currentVersion() + 1;
        long version = compacted + TOMBSTONES;

        tx.executeWithoutResult(status -> {
            // Rolled back at the end: no other test or worker sees these rows.
            jdbc.sql("UPDATE commits SET committed_at = committed_at - interval '30 days' WHERE table_id = :id")
                    .param("id", table.id())
                    .update();
            jdbc.sql("INSERT INTO commits (table_id, version, committed_at, operation, actions, num_files, size_bytes)"
                            + " SELECT :id, v, CASE WHEN v = :compacted THEN now() - interval '29 days'"
                            + " ELSE now() - (:last - v + 1) * interval '1 minute' END, 'DELETE', '[]', 1, 10"
                            + " FROM generate_series(:compacted, :last) v")
                    .param("id", table.id())
                    .param("compacted", compacted)
                    .param("last", version)
                    .update();
            insertFiles(table, "gone-", COMMITS, 1, compacted);
            jdbc.sql("INSERT INTO files (table_id, path, added_version, removed_version, size, action)"
                            + " SELECT :id, 'recent-' || g || '.parquet', 1, :compacted + g, 10, '{\"path\":\"r\"}'"
                            + " FROM generate_series(1, :n) g")
                    .param("id", table.id())
                    .param("compacted", compacted)
                    .param("n", TOMBSTONES)
                    .update();
            setCurrentVersion(table, version);
            jdbc.sql("ANALYZE commits").update(); // as an autovacuum would after the table grew

            for (String mode : List.of("force_generic_plan", "force_custom_plan")) {
                RowsRead.planCacheMode(jdbc, mode);
                for (int i = 0; i < 6; i++) { // past the driver's prepare threshold (5)
                    checkpoint(table, mode + "-warm-" + i, version);
                }
                long removedBefore = RowsRead.indexEntriesOf(jdbc, "files_removed");
                long commitsBefore = RowsRead.indexEntries(jdbc, "commits");
                LastCheckpoint written = checkpoint(table, mode, version);
                long removedRead = RowsRead.indexEntriesOf(jdbc, "files_removed") - removedBefore;
                long commitsRead = RowsRead.indexEntries(jdbc, "commits") - commitsBefore;

                assertThat(written.size())
                        .as("%s: protocol, metaData, first.parquet, the retained tombstones", mode)
                        .isEqualTo(2 + 1 + TOMBSTONES);
                assertSoftly(soft -> {
                    soft.assertThat(removedRead)
                            .as("%s: entries of files_removed read by one checkpoint", mode)
                            .isLessThanOrEqualTo(TOMBSTONES + 3L);
                    // the first version within retention, then each tombstone's commit
                    soft.assertThat(commitsRead)
                            .as("%s: index entries of commits read by one checkpoint", mode)
                            .isLessThanOrEqualTo(1 + 2L * TOMBSTONES);
                });
            }
            status.setRollbackOnly();
        });
    }

    private LastCheckpoint checkpoint(TableRow table, String copy, long version) {
        try {
            return writer.write(table.id(), "file:" + copies.resolve(copy).toAbsolutePath(), version)
                    .orElseThrow(() -> new AssertionError("checkpoint " + copy + " already there"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
