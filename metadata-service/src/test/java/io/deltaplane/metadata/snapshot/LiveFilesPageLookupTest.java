package io.deltaplane.metadata.snapshot;

import static org.assertj.core.api.Assertions.assertThat;

import io.deltaplane.metadata.StatementReadsTestBase;
import io.deltaplane.metadata.snapshot.SnapshotRepository.LiveFile;
import io.deltaplane.metadata.table.TableRow;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * A page of the latest version's files reads the page's own rows, however many files the table has
 * removed before them in path order — in the generic plan Postgres caches for the statement on a
 * pooled connection and in a custom plan alike. Measured with Postgres's own per-transaction
 * counters of index entries read and of rows read by sequential scans ({@code
 * pg_stat_get_xact_tuples_returned}) and of heap rows fetched ({@code
 * pg_stat_get_xact_tuples_fetched}).
 *
 * <p>The removed files' paths sort before the live ones, as on a table whose early files were
 * compacted away: with the version's added/removed bounds the page walked the primary key through
 * all 20,000 removed rows to find its 100 live ones. The bound is the table's live files, not the
 * page: which of the two ways through the live-path index a custom plan takes depends on the
 * statistics of the moment.
 */
class LiveFilesPageLookupTest extends StatementReadsTestBase {

    private static final int REMOVED_FILES = 20_000;
    private static final int LIVE_FILES = 300;
    private static final int PAGE = 100;
    // A custom plan made from statistics that say the table holds one file may read all of its
    // live entries through the live-path index and sort them (seen in CI: 301); what no plan may
    // do is read the removed rows.
    private static final long AT_MOST = LIVE_FILES + 3L;

    @Autowired
    SnapshotRepository repository;

    @Test
    void theLatestPageReadsItsOwnFilesNotTheRemovedOnesBeforeItInBothPlans() {
        TableRow table = tableWithOneFile();
        long version = table.currentVersion();
        jdbc.sql("ANALYZE files").update(); // statistics of a small table, kept from now on

        tx.executeWithoutResult(status -> {
            // Rolled back at the end: no other test or worker sees these rows.
            insertFiles(table, "gone-", REMOVED_FILES, 1, version);
            insertFiles(table, "live-", LIVE_FILES, 1, null);
            // first.parquet, then the live ones ("gone-" sorts between them)
            List<String> expected = firstAndLive(PAGE);

            for (String mode : List.of("force_generic_plan", "force_custom_plan")) {
                Reading<List<LiveFile>> page =
                        readInPlan(mode, () -> repository.files(table.id(), version, version, "", PAGE + 1));
                assertThat(page.result()).extracting(LiveFile::path).as(mode).isEqualTo(expected);
                assertReadAtMost(mode, page.read(), AT_MOST);
            }
            status.setRollbackOnly();
        });
    }

    @Test
    void theLatestPagesListTheSameFilesAsTheGeneralQueryAndEndEmpty() {
        TableRow table = tableWithOneFile();
        long version = table.currentVersion();

        tx.executeWithoutResult(status -> {
            insertFiles(table, "gone-", 50, 1, version);
            insertFiles(table, "live-", 25, 1, null);
            List<String> latest = allPages(table, version, version);
            List<String> general = allPages(table, version, Long.MAX_VALUE); // never "current"
            assertThat(latest).hasSize(26).isSorted().isEqualTo(general);
            assertThat(repository.files(table.id(), version, version, "zzz", 10))
                    .as("the page after the last path")
                    .isEmpty();
            status.setRollbackOnly();
        });
    }

    @Test
    void aCommitAfterTheVersionWasReadStillListsThatVersionsFiles() {
        TableRow table = tableWithOneFile();
        long version = table.currentVersion();

        tx.executeWithoutResult(status -> {
            commitReplacingFirstFile(table, version + 1); // between the caller's read and the page

            assertThat(repository.files(table.id(), version, version, "", 10))
                    .extracting(LiveFile::path)
                    .containsExactly("first.parquet");
            status.setRollbackOnly();
        });
    }

    private List<String> allPages(TableRow table, long version, long currentVersion) {
        List<String> paths = new ArrayList<>();
        String after = "";
        while (true) {
            List<LiveFile> page = repository.files(table.id(), version, currentVersion, after, 7);
            page.forEach(f -> paths.add(f.path()));
            if (page.size() < 7) {
                return paths;
            }
            after = page.get(page.size() - 1).path();
        }
    }
}
