package io.deltaplane.metadata.snapshot;

import static org.assertj.core.api.Assertions.assertThat;

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
 * A snapshot and a checkpoint read one or two index entries of {@code app_txns} per app for the
 * latest txn of each app, however many txns the table's writers have committed — in the generic
 * plan Postgres caches for the statement on a pooled connection and in a custom plan alike, at the
 * latest version and at an older one. Measured with Postgres's own per-transaction counters of
 * index entries read and of rows read by sequential scans ({@code
 * pg_stat_get_xact_tuples_returned}) and of heap rows fetched ({@code
 * pg_stat_get_xact_tuples_fetched}).
 *
 * <p>A streaming writer commits a txn each batch: 20,000 rows of one app here. With {@code
 * DISTINCT ON (app_id) ... ORDER BY app_id, version DESC} Postgres read all of them per snapshot.
 */
class AppTxnsLookupTest extends StatementReadsTestBase {

    private static final int COMMITS = 20_000;
    private static final long OLDER = 5_000;

    // the statement SNAPSHOT used before, as the reference for what the answer must be
    private static final String LATEST_TXNS_BY_DISTINCT_ON =
            "SELECT COALESCE(jsonb_object_agg(x.app_id, x.txn_version), '{}'::jsonb)::text FROM"
                    + " (SELECT DISTINCT ON (a.app_id) a.app_id, a.txn_version FROM app_txns a"
                    + "  WHERE a.table_id = :id AND a.version <= :version ORDER BY a.app_id, a.version DESC) x";

    @Autowired
    SnapshotRepository snapshots;

    @Autowired
    DeltaLogCheckpointWriter checkpoints;

    @TempDir
    Path copies;

    @Test
    void aSnapshotReadsOneTxnPerAppInBothPlansAtTheLatestAndAnOlderVersion() {
        TableRow table = streamingTable();
        long latest = 1 + COMMITS;

        tx.executeWithoutResult(status -> {
            insertHistory(table, latest);
            for (String mode : List.of("force_generic_plan", "force_custom_plan")) {
                RowsRead.planCacheMode(jdbc, mode);
                for (int i = 0; i < 6; i++) { // past the driver's prepare threshold (5)
                    snapshots.snapshot(table, latest).orElseThrow();
                }
                for (long version : List.of(latest, OLDER)) {
                    RowsRead.Counts before = RowsRead.of(jdbc, "app_txns");
                    String txns =
                            snapshots.snapshot(table, version).orElseThrow().appVersions();
                    RowsRead.Counts read = RowsRead.of(jdbc, "app_txns").minus(before);

                    assertThat(JSON.readTree(txns))
                            .as("%s at %d", mode, version)
                            .isEqualTo(JSON.readTree(distinctOn(table, version)));
                    assertReadsAFewEntriesPerApp(read, mode + ", snapshot at " + version);
                }
            }
            assertThat(JSON.readTree(
                            snapshots.snapshot(table, OLDER).orElseThrow().appVersions()))
                    .as("the latest txn of each app as of the older version; 'late' not yet")
                    .isEqualTo(JSON.readTree("{\"other\":" + 4_001 * 7 + ",\"stream\":" + OLDER * 10 + "}"));
            status.setRollbackOnly();
        });
    }

    @Test
    void aCheckpointReadsOneTxnPerAppInTheCachedGenericPlan() {
        TableRow table = streamingTable();
        long latest = 1 + COMMITS;

        tx.executeWithoutResult(status -> {
            insertHistory(table, latest);
            RowsRead.forceGenericPlans(jdbc);
            for (int i = 0; i < 6; i++) { // past the driver's prepare threshold (5)
                checkpoint(table, "warm-" + i, latest);
            }
            for (long version : List.of(latest, OLDER)) {
                RowsRead.Counts before = RowsRead.of(jdbc, "app_txns");
                LastCheckpoint written = checkpoint(table, "measured-" + version, version);
                RowsRead.Counts read = RowsRead.of(jdbc, "app_txns").minus(before);

                int apps = version == latest ? 3 : 2;
                assertThat(written.size())
                        .as("protocol, metaData, one txn per app, the add at %d", version)
                        .isEqualTo(2 + apps + 1);
                assertReadsAFewEntriesPerApp(read, "checkpoint at " + version);
            }
            status.setRollbackOnly();
        });
    }

    private static void assertReadsAFewEntriesPerApp(RowsRead.Counts read, String what) {
        // three apps: the first app_id, the next one after each (the last finds none), and each
        // app's newest txn at or before the version
        assertThat(read.indexEntries())
                .as("%s: index entries of app_txns read", what)
                .isLessThanOrEqualTo(10);
        assertThat(read.scanned())
                .as("%s: rows of app_txns read by sequential scans", what)
                .isZero();
        assertThat(read.fetched()).as("%s: heap rows of app_txns fetched", what).isLessThanOrEqualTo(10);
    }

    /** A table at version 1 whose statistics are those of a table with no txns, kept from now on. */
    private TableRow streamingTable() {
        TableRow table = tableWithOneFile();
        jdbc.sql("ANALYZE app_txns").update();
        jdbc.sql("ANALYZE commits").update();
        return table;
    }

    /**
     * Versions 2..latest, each with a txn of "stream" (a streaming writer's batch), every 1,000th
     * with one of "other", and the last with the first of "late". Rolled back with the test's
     * transaction: no other test or worker sees these rows.
     */
    private void insertHistory(TableRow table, long latest) {
        jdbc.sql("INSERT INTO commits (table_id, version, committed_at, operation, actions, num_files, size_bytes)"
                        + " SELECT :id, v, now(), 'WRITE', '[]', 1, 10 FROM generate_series(2, :last) v")
                .param("id", table.id())
                .param("last", latest)
                .update();
        jdbc.sql("INSERT INTO app_txns (table_id, app_id, version, txn_version, last_updated)"
                        + " SELECT :id, 'stream', v, v * 10, 1700000000000 FROM generate_series(2, :last) v"
                        + " UNION ALL SELECT :id, 'other', v, v * 7, NULL FROM generate_series(1, :last, 1000) v"
                        + " WHERE v > 1"
                        + " UNION ALL SELECT :id, 'late', :last, 1, NULL")
                .param("id", table.id())
                .param("last", latest)
                .update();
    }

    private String distinctOn(TableRow table, long version) {
        return jdbc.sql(LATEST_TXNS_BY_DISTINCT_ON)
                .param("id", table.id())
                .param("version", version)
                .query(String.class)
                .single();
    }

    private LastCheckpoint checkpoint(TableRow table, String copy, long version) {
        try {
            return checkpoints
                    .write(table.id(), "file:" + copies.resolve(copy).toAbsolutePath(), version)
                    .orElseThrow(() -> new AssertionError("checkpoint " + copy + " already there"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
