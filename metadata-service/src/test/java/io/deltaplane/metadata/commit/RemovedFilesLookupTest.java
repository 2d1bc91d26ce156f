package io.deltaplane.metadata.commit;

import static org.assertj.core.api.Assertions.assertThat;

import io.deltaplane.metadata.RowsRead;
import io.deltaplane.metadata.StatementReadsTestBase;
import io.deltaplane.metadata.commit.CommitRepository.Append;
import io.deltaplane.metadata.commit.CommitRepository.Appended;
import io.deltaplane.metadata.delta.ActionParser.TableState;
import io.deltaplane.metadata.delta.CommitActions.AddFile;
import io.deltaplane.metadata.table.TableRow;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * A commit reads the live files it removes and no others, however many live files the table has —
 * also in the generic plan Postgres caches for the commit statement on a pooled connection, which
 * is made once from the statistics of that moment and then kept. Measured with Postgres's own
 * per-transaction counter of index entries read ({@link RowsRead}).
 *
 * <p>The statistics are taken while the table is small and 20,000 files are added after, as on a
 * service that started on a young table: with the removes written as a join of the paths with
 * {@code files}, the cached plan then walked every live file of the table on every commit.
 */
class RemovedFilesLookupTest extends StatementReadsTestBase {

    private static final int LIVE_FILES = 20_000;

    @Autowired
    CommitRepository repository;

    @Test
    void aCommitReadsOnlyTheFilesItRemovesInTheCachedGenericPlan() {
        TableRow table = tableWithOneFile();
        jdbc.sql("ANALYZE files").update(); // statistics of a small table, kept from now on
        addBulkFiles(table);

        tx.executeWithoutResult(status -> {
            // One connection for the whole transaction; the statement is prepared on the server
            // and planned once, generically, as the pool's connections do after a few commits.
            RowsRead.forceGenericPlans(jdbc);
            long version = 1;
            for (int i = 0; i < 6; i++) { // past the driver's prepare threshold (5)
                append(table, version++, List.of("a-" + i + ".parquet"), List.of());
            }

            long before = filesRead();
            Appended plain = append(table, version++, List.of("plain.parquet"), List.of());
            long plainRead = filesRead() - before;

            before = filesRead();
            Appended removing =
                    append(table, version, List.of("b.parquet"), List.of("bulk-7.parquet", "bulk-19999.parquet"));
            long removingRead = filesRead() - before;
            status.setRollbackOnly();

            assertThat(plain.removed()).isZero();
            assertThat(removing.removed()).isEqualTo(2);
            assertThat(plainRead)
                    .as("index entries and rows of files read by a commit that removes nothing")
                    .isZero();
            assertThat(removingRead)
                    .as("index entries and rows of files read by a commit that removes two")
                    .isBetween(2L, 4L);
        });
    }

    /**
     * A commit that removes nothing reads no file, whatever plan the removes' lookup would get: on a
     * fresh database (the files table never analyzed) the generic plan a connection cached looked
     * the ctids up with a sequential scan of every file of every table, on every commit — Postgres's
     * share per commit grew 4.2 → 25.9 ms from 100 to 10,000 versions (TableAgeBenchmark). TID scans
     * are switched off here to get that plan for certain.
     */
    @Test
    void aCommitThatRemovesNothingReadsNoFileWhateverPlanTheRemovesWouldGet() {
        TableRow table = tableWithOneFile();
        addBulkFiles(table);
        tx.executeWithoutResult(status -> {
            RowsRead.forceGenericPlans(jdbc);
            jdbc.sql("SET LOCAL enable_tidscan = off").update(); // the plan a never-analyzed table got
            long version = 1;
            for (int i = 0; i < 6; i++) {
                append(table, version++, List.of("a-" + i + ".parquet"), List.of());
            }
            long before = filesRead();
            Appended plain = append(table, version, List.of("plain.parquet"), List.of());
            long plainRead = filesRead() - before;
            status.setRollbackOnly();

            assertThat(plain.removed()).isZero();
            assertThat(plainRead)
                    .as("index entries and rows of files read by a commit that removes nothing")
                    .isZero();
        });
    }

    /** {@link #LIVE_FILES} live files more, {@code bulk-1.parquet} on, added with SQL. */
    private void addBulkFiles(TableRow table) {
        jdbc.sql("INSERT INTO files (table_id, path, added_version, size, action)"
                        + " SELECT :id, 'bulk-' || g || '.parquet', 1, 10, '{}' FROM generate_series(1, :n) g")
                .param("id", table.id())
                .param("n", LIVE_FILES)
                .update();
    }

    private Appended append(TableRow table, long expected, List<String> adds, List<String> removes) {
        return repository
                .append(new Append(
                        new TableState(table.id(), table.location(), table.partitionColumns()),
                        table.fullName(),
                        expected,
                        null,
                        null,
                        null,
                        removes,
                        0,
                        0,
                        adds.stream()
                                .map(p -> new AddFile(p, 10, "{\"path\":\"" + p + "\"}"))
                                .toList(),
                        "WRITE",
                        "{}",
                        "[]",
                        Instant.now(),
                        null,
                        null,
                        null,
                        false,
                        true))
                .orElseThrow(() -> new AssertionError("version " + (expected + 1) + " was not taken"));
    }

    /** Entries of any index of {@code files}, and rows of it read by sequential scans. */
    private long filesRead() {
        return RowsRead.indexEntries(jdbc, "files") + RowsRead.scanned(jdbc, "files");
    }
}
