package io.deltaplane.metadata.lineage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.SoftAssertions.assertSoftly;

import io.deltaplane.metadata.MetadataServiceApplication;
import io.deltaplane.metadata.RowsRead;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The relay's claim reads the due rows of the outbox and not the others, however many rows are
 * backing off — also in the generic plan Postgres caches for the claim on a pooled connection, made
 * once from the statistics of that moment and then kept. Measured with Postgres's own
 * per-transaction counters of index entries and of rows read by sequential scans ({@code
 * pg_stat_get_xact_tuples_returned}).
 *
 * <p>The statistics are taken while the outbox holds one row, and 20,000 rows backing off (lineage
 * unreachable for a while) are added after, then two more due ones: with the due rows taken in id
 * order, the cached plan walked the whole outbox by id to find them (20,014 index entries for 3 due
 * rows). The claim is run as the relay runs it (the relay's HTTP side plays no part in it).
 */
@SpringBootTest(
        classes = MetadataServiceApplication.class,
        // the same context as LineageOutboxTest: the scheduled relay is off, nothing else claims
        webEnvironment = SpringBootTest.WebEnvironment.MOCK,
        properties = {"deltaplane.lineage.enabled=false", "deltaplane.warehouse.root=target/test-warehouse"})
class LineageClaimLookupTest {

    private static final int BACKING_OFF = 20_000;
    private static final int BATCH = 100;

    private static final String INSERT = "INSERT INTO lineage_outbox (table_id, full_name, location, version,"
            + " committed_at, attempts, next_attempt_at, created_at)"
            + " SELECT gen_random_uuid(), 'c.s.t', 'file:/w/c/s/t', g, now(), :attempts,"
            + " now() + make_interval(secs => :dueInSeconds), now() FROM generate_series(1, :n) g";

    @Autowired
    TransactionTemplate tx;

    @Autowired
    JdbcClient jdbc;

    @Test
    void aClaimReadsOnlyTheDueRowsInTheCachedGenericPlan() {
        jdbc.sql("DELETE FROM lineage_outbox").update();
        insert(1, 0, -1); // one due row
        jdbc.sql("ANALYZE lineage_outbox").update(); // statistics of a young outbox, kept from now on

        tx.executeWithoutResult(status -> {
            // Rolled back at the end: no other test sees these rows.
            insert(BACKING_OFF, 5, 3600); // failed five times, next attempt in an hour
            insert(2, 0, -1); // committed since: due now

            // One connection for the whole transaction; the claim is prepared on the server and
            // planned once, generically, as the pool's connections do after a few rounds. The lease
            // ends at once, so each claim finds the same due rows.
            RowsRead.forceGenericPlans(jdbc);
            Instant now = Instant.now();
            for (int i = 0; i < 6; i++) { // past the driver's prepare threshold (5)
                assertThat(claim(now)).hasSize(3);
            }

            long entriesBefore = RowsRead.indexEntries(jdbc, "lineage_outbox");
            long scannedBefore = RowsRead.scanned(jdbc, "lineage_outbox");
            List<Long> claimed = claim(now);
            long entriesRead = RowsRead.indexEntries(jdbc, "lineage_outbox") - entriesBefore;
            long scanned = RowsRead.scanned(jdbc, "lineage_outbox") - scannedBefore;
            status.setRollbackOnly();

            assertSoftly(soft -> {
                soft.assertThat(claimed).as("claimed rows").hasSize(3);
                soft.assertThat(scanned)
                        .as("outbox rows read by sequential scans")
                        .isZero();
                // the due rows' entries in both indexes (also those of the versions this
                // transaction's claims wrote, at most 7 each), none of the rows backing off
                soft.assertThat(entriesRead)
                        .as("index entries of the outbox read by one claim")
                        .isLessThanOrEqualTo(2 * 3 * 7);
            });
        });
    }

    private void insert(int rows, int attempts, int dueInSeconds) {
        jdbc.sql(INSERT)
                .param("n", rows)
                .param("attempts", attempts)
                .param("dueInSeconds", dueInSeconds)
                .update();
    }

    /** The relay's claim, bound as {@link LineageRelay#relayDue()} binds it; a lease that ends at {@code now}. */
    private List<Long> claim(Instant now) {
        OffsetDateTime at = OffsetDateTime.ofInstant(now, ZoneOffset.UTC);
        return jdbc.sql(LineageRelay.CLAIM_DUE)
                .param("now", at)
                .param("leaseUntil", at)
                .param("limit", BATCH)
                .query((rs, n) -> rs.getLong("id"))
                .list();
    }
}
