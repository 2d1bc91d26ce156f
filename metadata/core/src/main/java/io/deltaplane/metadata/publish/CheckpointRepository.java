package io.deltaplane.metadata.publish;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * The checkpointer's side of {@code publish_state}: which table is due for a checkpoint (claimed by
 * lease, read from the {@code checkpoint_due} flag), its outcome, and resets after a checkpoint file
 * vanished. The publishing side of the same rows is {@link PublishRepository}.
 */
@Repository
public class CheckpointRepository {

    // Checkpoints: the latest multiple of the table's interval that is published and not yet
    // checkpointed, once the last checkpoint is at least the minimum interval old. The candidates are
    // read from publish_state_checkpoint_due (the tables due by versions, V45), never by scanning
    // every table's row; the conditions are still tested on each, so a flag left set only costs a read.
    static final String CLAIM_CHECKPOINT = """
            UPDATE publish_state s
            SET checkpoint_lease_until = now() + make_interval(secs => :leaseSeconds),
                checkpoint_lease_token = gen_random_uuid()
            WHERE s.table_id = (
                SELECT c.table_id FROM publish_state c
                WHERE c.checkpoint_due
                  AND %1$s
                  AND (c.checkpoint_lease_until IS NULL OR c.checkpoint_lease_until < now())
                  AND c.checkpoint_next_attempt_at <= now()
                  AND (c.last_checkpoint_at IS NULL
                       OR c.last_checkpoint_at <= now() - make_interval(secs => :minIntervalSeconds))
                ORDER BY c.checkpoint_next_attempt_at
                LIMIT 1
                FOR UPDATE SKIP LOCKED)
            RETURNING s.table_id, s.location, (s.published_version / %2$s) * %2$s AS checkpoint_version,
              s.checkpoint_lease_token
            """.formatted(
                    CheckpointDue.condition(
                            "c.published_version",
                            "c.last_checkpoint_version",
                            "c.verified_from_version",
                            "c.checkpoint_interval"),
                    CheckpointDue.interval("s.checkpoint_interval"));

    // The checkpoint is recorded whoever wrote it (a checkpoint file is the same whoever writes it);
    // the lease and the attempts are reset only by the claim that holds the table now.
    static final String CHECKPOINT_DONE = """
            UPDATE publish_state
            SET last_checkpoint_version = greatest(coalesce(last_checkpoint_version, -1), :version),
                checkpoint_due = %s,
                checkpoint_lease_until = CASE WHEN checkpoint_lease_token IS NOT DISTINCT FROM CAST(:token AS uuid)
                                              THEN NULL ELSE checkpoint_lease_until END,
                checkpoint_attempts = CASE WHEN checkpoint_lease_token IS NOT DISTINCT FROM CAST(:token AS uuid)
                                           THEN 0 ELSE checkpoint_attempts END,
                checkpoint_lease_token = CASE WHEN checkpoint_lease_token IS NOT DISTINCT FROM CAST(:token AS uuid)
                                              THEN NULL ELSE checkpoint_lease_token END,
                checkpoint_next_attempt_at = now(),
                last_checkpoint_at = now()
            WHERE table_id = :tableId
            """.formatted(CheckpointDue.condition(
            "published_version",
            "greatest(coalesce(last_checkpoint_version, -1), :version)",
            "verified_from_version",
            "checkpoint_interval"));

    // Only while the claim's token is the table's: a replica whose lease ran out and was taken over
    // marks nothing failed, and leaves the lease of the one holding it now alone.
    static final String CHECKPOINT_FAILED = """
            UPDATE publish_state
            SET checkpoint_lease_until = NULL, checkpoint_lease_token = NULL, checkpoint_attempts = checkpoint_attempts + 1,
                checkpoint_next_attempt_at = now() + make_interval(secs => :backoffSeconds),
                last_error = :error, last_error_at = now()
            WHERE table_id = :tableId AND checkpoint_lease_token = :token
            """;

    static final String RESET_CHECKPOINT = """
            UPDATE publish_state
            SET last_checkpoint_version = CAST(:version AS bigint), checkpoint_due = %s
            WHERE table_id = :tableId
            """.formatted(CheckpointDue.condition(
            "published_version", "CAST(:version AS bigint)", "verified_from_version", "checkpoint_interval"));

    // Sets every row's checkpoint_due from its interval (its own, else the configured one), once when
    // the checkpointer starts: rows written under another configured interval (or before V45, which
    // adds the column false, or V50, which gives tables their own) are put right; one pass over the
    // table, rewriting only the rows that differ.
    static final String ALIGN_CHECKPOINT_DUE = """
            UPDATE publish_state SET checkpoint_due = %1$s
            WHERE checkpoint_due IS DISTINCT FROM (%1$s)
            """.formatted(CheckpointDue.condition(
            "published_version", "last_checkpoint_version", "verified_from_version", "checkpoint_interval"));

    static final String ATTEMPTS_OF_CHECKPOINT =
            "SELECT checkpoint_attempts FROM publish_state WHERE table_id = :tableId";

    private final JdbcClient jdbc;
    // the configured checkpoint interval (tables without delta.checkpointInterval), which every
    // statement keeping checkpoint_due needs
    private final long checkpointInterval;

    public CheckpointRepository(JdbcClient jdbc, PublishProperties properties) {
        this.jdbc = requireNonNull(jdbc, "jdbc");
        this.checkpointInterval = requireNonNull(properties, "properties").checkpointInterval();
    }

    public Optional<CheckpointClaim> claimCheckpoint(int interval, Duration minInterval, Duration lease) {
        return jdbc.sql(CLAIM_CHECKPOINT)
                .param("interval", (long) interval)
                .param("minIntervalSeconds", minInterval.toMillis() / 1000.0)
                .param("leaseSeconds", lease.toSeconds())
                .query((rs, n) -> new CheckpointClaim(
                        rs.getObject("table_id", UUID.class),
                        rs.getString("location"),
                        rs.getLong("checkpoint_version"),
                        rs.getObject("checkpoint_lease_token", UUID.class)))
                .optional();
    }

    /**
     * Sets every table's {@code checkpoint_due} from its interval, its own or else the configured one
     * (at the checkpointer's start).
     */
    public int alignCheckpointDue() {
        return jdbc.sql(ALIGN_CHECKPOINT_DUE)
                .param("interval", checkpointInterval)
                .update();
    }

    /** Records a checkpoint at {@code version} found or written outside a claim (the lease is left as it is). */
    public void checkpointDone(UUID tableId, long version) {
        checkpointDone(tableId, version, null);
    }

    /** Records {@code claim}'s checkpoint; its lease is given back if the claim still holds the table. */
    public void checkpointDone(CheckpointClaim claim) {
        checkpointDone(claim.tableId(), claim.version(), claim.token());
    }

    private void checkpointDone(UUID tableId, long version, UUID token) {
        jdbc.sql(CHECKPOINT_DONE)
                .param("interval", checkpointInterval)
                .param("tableId", tableId)
                .param("version", version)
                .param("token", token == null ? null : token.toString(), java.sql.Types.VARCHAR)
                .update();
    }

    /** Records {@code claim}'s failure; false when another replica holds the table's checkpoint now. */
    public boolean checkpointFailed(CheckpointClaim claim, String error, Duration backoff) {
        return jdbc.sql(CHECKPOINT_FAILED)
                        .param("tableId", claim.tableId())
                        .param("token", claim.token())
                        .param("error", error)
                        .param("backoffSeconds", backoff.toMillis() / 1000.0)
                        .update()
                == 1;
    }

    public int checkpointAttempts(UUID tableId) {
        return jdbc.sql(ATTEMPTS_OF_CHECKPOINT)
                .param("tableId", tableId)
                .query(Integer.class)
                .optional()
                .orElse(0);
    }

    public void resetCheckpoint(UUID tableId, Long version) {
        jdbc.sql(RESET_CHECKPOINT)
                .param("interval", checkpointInterval)
                .param("tableId", tableId)
                .param("version", version)
                .update();
    }

    /** A table leased for its checkpoint at {@code version}, under the claim's {@code token}. */
    public record CheckpointClaim(UUID tableId, String location, long version, UUID token) {}
}
