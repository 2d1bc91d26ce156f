package io.deltaplane.metadata.snapshot;

import static org.assertj.core.api.Assertions.assertThat;

import io.deltaplane.metadata.StatementReadsTestBase;
import io.deltaplane.metadata.table.TableRow;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * The NDJSON stream of the latest version's files reads the table's live files, however many it
 * has removed — in the generic plan Postgres caches for the statement on a pooled connection and in
 * a custom plan alike. Measured with Postgres's own per-transaction counters of index entries read
 * and of rows read by sequential scans ({@code pg_stat_get_xact_tuples_returned}) and of heap rows
 * fetched ({@code pg_stat_get_xact_tuples_fetched}).
 *
 * <p>A compaction at version 2 removed 20,000 files and added 300: with the version's
 * added/removed bounds the stream walked all 20,300 of the table's entries of the primary key to
 * return its 301 live files. Older versions still take those bounds, and return what they did.
 */
class StreamFilesLookupTest extends StatementReadsTestBase {

    private static final int REMOVED_FILES = 20_000;
    private static final int LIVE_FILES = 300;
    // the live ones and first.parquet, and a few more entries of an index scan's end
    private static final long AT_MOST = LIVE_FILES + 1 + 3L;

    // the statement STREAM_FILES used before, as the reference for what the answer must be
    private static final String GENERAL = "SELECT action FROM files WHERE table_id = :id AND added_version <= :version"
            + " AND (removed_version IS NULL OR removed_version > :version)";

    @Autowired
    SnapshotRepository repository;

    @Test
    void theLatestStreamReadsTheLiveFilesNotTheRemovedOnesInBothPlans() {
        TableRow table = tableWithOneFile();
        jdbc.sql("ANALYZE files").update(); // statistics of a small table, kept from now on

        tx.executeWithoutResult(status -> {
            // Rolled back at the end: no other test or worker sees these rows.
            long latest = compaction(table, REMOVED_FILES, LIVE_FILES);
            List<String> expected = firstAndLive(LIVE_FILES);

            for (String mode : List.of("force_generic_plan", "force_custom_plan")) {
                Reading<List<String>> lines = readInPlan(mode, () -> stream(table, latest));
                assertThat(lines.result())
                        .as(mode)
                        .map(line -> JSON.readTree(line).get("path").asString())
                        .containsExactlyInAnyOrderElementsOf(expected);
                assertReadAtMost(mode, lines.read(), AT_MOST);
            }
            status.setRollbackOnly();
        });
    }

    @Test
    void theStreamsOfTheLatestAndOlderVersionsListTheSameFilesAsTheGeneralQuery() {
        TableRow table = tableWithOneFile();

        tx.executeWithoutResult(status -> {
            long latest = compaction(table, 50, 25);
            for (long version = 0; version <= latest; version++) {
                assertThat(stream(table, version))
                        .as("version %d of %d", version, latest)
                        .containsExactlyInAnyOrderElementsOf(general(table, version));
            }
            assertThat(stream(table, latest)).hasSize(26);
            assertThat(stream(table, latest - 1)).as("before the compaction").hasSize(51);
            status.setRollbackOnly();
        });
    }

    @Test
    void aCommitAfterTheVersionWasReadStillStreamsThatVersionsFiles() {
        TableRow table = tableWithOneFile();
        long version = table.currentVersion();

        tx.executeWithoutResult(status -> {
            commitReplacingFirstFile(table, version + 1); // between the caller's read and the stream

            assertThat(stream(table, version))
                    .map(line -> JSON.readTree(line).get("path").asString())
                    .containsExactly("first.parquet");
            assertThat(stream(table, version + 1))
                    .map(line -> JSON.readTree(line).get("path").asString())
                    .containsExactly("second-00001.parquet");
            status.setRollbackOnly();
        });
    }

    /**
     * Version 1 plus {@code removed} files, all removed by the compaction at the table's new current
     * version 2, which adds {@code live} files; first.parquet stays. Returns the new version.
     */
    private long compaction(TableRow table, int removed, int live) {
        long compacted = table.currentVersion() + 1;
        insertFiles(table, "gone-", removed, table.currentVersion(), compacted);
        insertFiles(table, "live-", live, compacted, null);
        setCurrentVersion(table, compacted);
        return compacted;
    }

    private List<String> stream(TableRow table, long version) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        long count = repository.streamFiles(table.id(), version, out);
        String text = out.toString(StandardCharsets.UTF_8);
        List<String> lines = text.isEmpty() ? List.of() : List.of(text.split("\n"));
        assertThat(lines).as("lines counted").hasSize((int) count);
        return lines;
    }

    private List<String> general(TableRow table, long version) {
        return jdbc.sql(GENERAL)
                .param("id", table.id())
                .param("version", version)
                .query(String.class)
                .list();
    }
}
