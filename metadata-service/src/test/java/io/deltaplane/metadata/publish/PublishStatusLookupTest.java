package io.deltaplane.metadata.publish;

import static org.assertj.core.api.Assertions.assertThat;

import io.deltaplane.metadata.RowsRead;
import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * A table's publish status reads one queue row for its oldest unpublished version, however far
 * behind it is: with {@code min(committed_at)} it read every unpublished version of the table
 * (20,001 for a table 20,000 versions behind). Measured with Postgres's per-transaction counter of
 * rows read from the queue, by its indexes or a sequential scan ({@code
 * pg_stat_get_xact_tuples_returned}).
 */
class PublishStatusLookupTest extends PublishTestBase {

    private static final int BACKLOG = 20_000;

    // Published up to 9, versions 10 to 10 + :n queued: version v committed at second v.
    private static final String LAGGING = """
            WITH state AS (
                INSERT INTO publish_state (table_id, full_name, location, published_version)
                VALUES (:id, 'bulk.lagging', 'file:///nowhere/lagging', 9))
            INSERT INTO publish_queue (table_id, version, committed_at)
            SELECT :id, v, to_timestamp(v) FROM generate_series(10, 10 + :n) v
            """;

    @Test
    void theStatusOfALaggingTableReadsOneQueueRowForItsOldestUnpublishedVersion() {
        UUID id = UUID.randomUUID();
        transactions.executeWithoutResult(status -> {
            RowsRead.forceGenericPlans(jdbc);
            jdbc.sql(LAGGING).param("id", id).param("n", BACKLOG).update();
            for (int i = 0; i < 6; i++) { // past the driver's prepare threshold (5)
                publishStates.state(UUID.randomUUID());
            }

            long before = queueEntriesRead();
            PublishState state = publishStates.state(id).orElseThrow();
            long read = queueEntriesRead() - before;
            status.setRollbackOnly();

            assertThat(state.publishedVersion()).isEqualTo(9);
            assertThat(state.queuedVersion()).isEqualTo(10L + BACKLOG);
            assertThat(state.oldestUnpublishedAt()).isEqualTo(Instant.ofEpochSecond(10));
            assertThat(read)
                    .as("queue rows read for the status of a table %,d versions behind", BACKLOG)
                    .isLessThanOrEqualTo(3);
        });
    }

    // rows of the queue read so far, by sequential scans and from any of its indexes
    private long queueEntriesRead() {
        return RowsRead.scanned(jdbc, "publish_queue") + RowsRead.indexEntries(jdbc, "publish_queue");
    }
}
