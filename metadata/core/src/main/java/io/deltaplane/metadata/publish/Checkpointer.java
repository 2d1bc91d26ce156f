package io.deltaplane.metadata.publish;

import static java.util.Objects.requireNonNull;

import io.deltaplane.metadata.deltalog.DeltaLogCheckpointWriter;
import io.deltaplane.metadata.publish.CheckpointRepository.CheckpointClaim;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Writes a checkpoint at the latest published multiple of the table's interval (its {@code
 * delta.checkpointInterval}, else the configured one; from Postgres, see {@link
 * DeltaLogCheckpointWriter}), at most once per minimum interval per table. Claims a table with a
 * short lease instead of holding its row lock, so a slow checkpoint never holds up publishing;
 * while it is behind, intermediate checkpoints are skipped (readers only need the newest).
 */
public class Checkpointer {

    private static final Logger log = LoggerFactory.getLogger(Checkpointer.class);

    private final CheckpointRepository repository;
    private final DeltaLogCheckpointWriter writer;
    private final TransactionTemplate transactions;
    private final PublishProperties properties;
    private final PublishMetrics metrics;

    public Checkpointer(
            CheckpointRepository repository,
            DeltaLogCheckpointWriter writer,
            TransactionTemplate transactions,
            PublishProperties properties,
            PublishMetrics metrics) {
        this.repository = requireNonNull(repository, "repository");
        this.writer = requireNonNull(writer, "writer");
        this.transactions = requireNonNull(transactions, "transactions");
        this.properties = requireNonNull(properties, "properties");
        this.metrics = requireNonNull(metrics, "metrics");
    }

    // Whether checkpoint_due has been set from this instance's interval (once, before the first claim).
    private volatile boolean aligned;

    /** Writes one due checkpoint, if any; true if there was one. */
    public boolean checkpointNext() {
        if (!properties.checkpoints()) {
            return false;
        }
        if (!aligned) {
            // The claim reads only tables flagged due: flags written under another interval, or
            // never written (rows from before V45), are put right before the first claim.
            transactions.executeWithoutResult(tx -> repository.alignCheckpointDue());
            aligned = true;
        }
        Optional<CheckpointClaim> claim = transactions.execute(tx -> repository.claimCheckpoint(
                properties.checkpointInterval(), properties.checkpointMinInterval(), properties.checkpointLease()));
        if (claim == null || claim.isEmpty()) {
            return false;
        }
        CheckpointClaim c = claim.get();
        try {
            writer.write(c.tableId(), c.location(), c.version());
            metrics.checkpoint();
            transactions.executeWithoutResult(tx -> repository.checkpointDone(c));
        } catch (Exception e) {
            log.warn("Checkpoint of table {} at version {} failed", c.tableId(), c.version(), e);
            metrics.checkpointFailure();
            String error = "Checkpoint at version " + c.version() + " failed: " + e;
            transactions.executeWithoutResult(tx -> repository.checkpointFailed(
                    c, error, properties.backoff(repository.checkpointAttempts(c.tableId()) + 1)));
        }
        return true;
    }

    public int drain() {
        int n = 0;
        while (checkpointNext()) {
            n++;
        }
        return n;
    }
}
