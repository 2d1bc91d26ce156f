package io.deltaplane.metadata.publish;

import static org.assertj.core.api.Assertions.assertThat;

import io.deltaplane.metadata.RowsRead;
import io.deltaplane.metadata.publish.CheckpointRepository.CheckpointClaim;
import io.deltaplane.metadata.publish.PublishRepository.Claim;
import io.deltaplane.metadata.publish.PublishRepository.Published;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The checkpointer's claim reads the tables due for a checkpoint, not every table: with 20,000
 * tables that are not due, it scanned all their publish_state rows on every poll. Measured with
 * Postgres's per-transaction counters of rows read from publish_state and its indexes
 * ({@code pg_stat_get_xact_tuples_returned}: a sequential scan counts on the table, an index scan
 * on the index), in the generic plan a pooled connection caches for the claim.
 */
class CheckpointClaimLookupTest extends PublishTestBase {

    private static final int NOT_DUE_TABLES = 20_000;

    // Published up to below the first multiple of the interval: not due.
    private static final String NOT_DUE = """
            INSERT INTO publish_state (table_id, full_name, location, published_version)
            SELECT gen_random_uuid(), 'bulk.not_due_' || g, 'file:///nowhere/' || g, :published
            FROM generate_series(1, :n) g
            """;

    @Test
    void theClaimReadsOnlyTablesDueForACheckpoint() {
        long interval = properties.checkpointInterval();
        transactions.executeWithoutResult(status -> {
            RowsRead.forceGenericPlans(jdbc);
            jdbc.sql(NOT_DUE)
                    .param("n", NOT_DUE_TABLES)
                    .param("published", interval - 1)
                    .update();
            for (int i = 0; i < 6; i++) { // past the driver's prepare threshold (5)
                claim();
            }
            // A table the publisher has just taken past the first multiple of the interval: due at
            // it, and first in the claim's order.
            UUID due = UUID.randomUUID();
            UUID token = UUID.randomUUID();
            jdbc.sql("""
                            INSERT INTO publish_state (table_id, full_name, location, publish_lease_token,
                                                       publish_lease_until, checkpoint_next_attempt_at)
                            VALUES (:id, 'bulk.due', 'file:///nowhere/due', :token, now() + interval '1 minute',
                                    now() - interval '1 day')
                            """).param("id", due).param("token", token).update();
            assertThat(repository.markPublished(token, List.of(new Published(due, interval + interval / 2))))
                    .containsExactly(due);

            long before = stateRowsRead();
            Optional<CheckpointClaim> claim = claim();
            long read = stateRowsRead() - before;
            status.setRollbackOnly();

            assertThat(claim).map(CheckpointClaim::tableId).contains(due);
            assertThat(claim).map(CheckpointClaim::version).contains(interval);
            assertThat(claim.orElseThrow().token())
                    .as("the claim's fencing token")
                    .isNotNull();
            assertThat(read)
                    .as(
                            "rows of publish_state and its indexes read by one claim beside %,d tables not due",
                            NOT_DUE_TABLES)
                    .isLessThan(100);
        });
    }

    /**
     * The flag the claim reads by is kept by every statement that moves published_version,
     * last_checkpoint_version or verified_from_version, as the claim's own conditions decide it.
     */
    @Test
    void everyStatementThatMovesTheVersionsKeepsTheTableDueOrNot() {
        long n = properties.checkpointInterval();
        UUID id = UUID.randomUUID();
        UUID token = UUID.randomUUID();
        transactions.executeWithoutResult(status -> {
            jdbc.sql(
                            "INSERT INTO publish_state (table_id, full_name, location) VALUES (:id, 'bulk.kept', 'file:///kept')")
                    .param("id", id)
                    .update();
            assertThat(due(id)).as("a new table").isFalse();

            publish(id, token, n + n / 2);
            assertThat(due(id)).as("published past the first multiple").isTrue();
            checkpoints.checkpointDone(id, n);
            assertThat(due(id)).as("checkpointed at it").isFalse();
            publish(id, token, 2 * n - 1);
            assertThat(due(id)).as("published short of the next multiple").isFalse();
            publish(id, token, 2 * n);
            assertThat(due(id)).as("published to the next multiple").isTrue();

            checkpoints.resetCheckpoint(id, 2 * n);
            assertThat(due(id))
                    .as("its checkpoint found at the next multiple by a reconcile")
                    .isFalse();
            checkpoints.resetCheckpoint(id, null);
            assertThat(due(id)).as("no checkpoint found by a reconcile").isTrue();

            repository.adoptImported(id, "bulk.kept", "file:///kept", 3 * n, 3 * n);
            assertThat(due(id))
                    .as("imported up to a multiple, checkpointed there")
                    .isFalse();
            publish(id, token, 4 * n - 1);
            assertThat(due(id)).as("published short of the next multiple").isFalse();
            publish(id, token, 4 * n);
            assertThat(due(id)).as("published to the next multiple").isTrue();

            jdbc.sql("UPDATE publish_state SET publish_lease_token = :token WHERE table_id = :id")
                    .param("id", id)
                    .param("token", token)
                    .update();
            checkpoints.checkpointDone(id, 4 * n);
            Claim claim = new Claim(id, "bulk.kept", "file:///kept", 4 * n, 3 * n + 1, 0, 6 * n, token);
            assertThat(repository.progress(claim, 5 * n, properties.lease())).isTrue();
            assertThat(due(id)).as("progress to the next multiple").isTrue();
            checkpoints.checkpointDone(id, 5 * n);
            assertThat(repository.markFailed(claim, 6 * n, "failed", properties.lease()))
                    .isTrue();
            assertThat(due(id))
                    .as("a failed round's progress to the next multiple")
                    .isTrue();
            status.setRollbackOnly();
        });
    }

    /** A replica whose checkpoint lease was taken over marks nothing failed and frees no lease, done or failed. */
    @Test
    void aFailureOrTheLeaseIsTouchedOnlyByTheClaimHoldingTheTable() {
        UUID id = UUID.randomUUID();
        UUID overtaken = UUID.randomUUID();
        UUID holder = UUID.randomUUID();
        transactions.executeWithoutResult(status -> {
            jdbc.sql("INSERT INTO publish_state (table_id, full_name, location, checkpoint_lease_token,"
                            + " checkpoint_lease_until) VALUES (:id, 'bulk.fenced', 'file:///fenced', :holder,"
                            + " now() + interval '10 minutes')")
                    .param("id", id)
                    .param("holder", holder)
                    .update();
            assertThat(checkpoints.checkpointFailed(
                            new CheckpointClaim(id, "file:///fenced", 10, overtaken), "late", Duration.ofMinutes(1)))
                    .as("the overtaken replica's failure")
                    .isFalse();
            assertThat(jdbc.sql("SELECT last_error IS NULL AND checkpoint_lease_until IS NOT NULL FROM publish_state"
                                    + " WHERE table_id = :id")
                            .param("id", id)
                            .query(Boolean.class)
                            .single())
                    .as("no error recorded, the holder's lease kept")
                    .isTrue();
            // the overtaken replica's checkpoint is recorded (the file is the same whoever wrote it), the
            // holder's lease is left alone
            checkpoints.checkpointDone(new CheckpointClaim(id, "file:///fenced", 10, overtaken));
            assertThat(jdbc.sql("SELECT last_checkpoint_version = 10 AND checkpoint_lease_until IS NOT NULL"
                                    + " AND checkpoint_lease_token = :holder FROM publish_state WHERE table_id = :id")
                            .param("id", id)
                            .param("holder", holder)
                            .query(Boolean.class)
                            .single())
                    .as("recorded, the holder's lease and token kept")
                    .isTrue();
            assertThat(checkpoints.checkpointFailed(
                            new CheckpointClaim(id, "file:///fenced", 10, holder), "failed", Duration.ofMinutes(1)))
                    .isTrue();
            status.setRollbackOnly();
        });
    }

    private void publish(UUID id, UUID token, long version) {
        jdbc.sql("UPDATE publish_state SET publish_lease_token = :token WHERE table_id = :id")
                .param("id", id)
                .param("token", token)
                .update();
        assertThat(repository.markPublished(token, List.of(new Published(id, version))))
                .containsExactly(id);
    }

    private boolean due(UUID id) {
        return jdbc.sql("SELECT checkpoint_due FROM publish_state WHERE table_id = :id")
                .param("id", id)
                .query(Boolean.class)
                .single();
    }

    private Optional<CheckpointClaim> claim() {
        return checkpoints.claimCheckpoint(
                properties.checkpointInterval(), properties.checkpointMinInterval(), properties.checkpointLease());
    }

    // rows of publish_state read so far, by sequential scans and from any of its indexes
    private long stateRowsRead() {
        return RowsRead.scanned(jdbc, "publish_state") + RowsRead.indexEntries(jdbc, "publish_state");
    }
}
