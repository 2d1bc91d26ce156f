package io.deltaplane.metadata.publish;

import static java.util.Objects.requireNonNull;

import io.deltaplane.metadata.publish.PublishRepository.Claim;
import io.deltaplane.metadata.publish.PublishRepository.CommitRow;
import io.deltaplane.storage.Storage;
import io.deltaplane.storage.Storages;
import java.io.IOException;
import java.time.Clock;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Writes queued versions to {@code _delta_log}, strictly in order. Each round claims one table's
 * publish_state row with {@code FOR UPDATE SKIP LOCKED} and keeps the lock until its progress is
 * committed, so replicas never work on the same table at once. A crash between a file write and
 * that commit is harmless: the next round finds the file with identical content and moves on.
 */
public class DeltaLogPublisher {

    private static final Logger log = LoggerFactory.getLogger(DeltaLogPublisher.class);

    private final PublishRepository repository;
    private final Storages storages;
    private final TransactionTemplate transactions;
    private final PublishProperties properties;
    private final PublishMetrics metrics;
    private final Clock clock;

    public DeltaLogPublisher(
            PublishRepository repository,
            Storages storages,
            TransactionTemplate transactions,
            PublishProperties properties,
            PublishMetrics metrics,
            Clock clock) {
        this.repository = requireNonNull(repository, "repository");
        this.storages = requireNonNull(storages, "storages");
        this.transactions = requireNonNull(transactions, "transactions");
        this.properties = requireNonNull(properties, "properties");
        this.metrics = requireNonNull(metrics, "metrics");
        this.clock = requireNonNull(clock, "clock");
    }

    /** Publishes one batch of one table if any is due; true if there was work. */
    public boolean publishNext() {
        Boolean worked = transactions.execute(tx -> {
            Optional<Claim> claim = repository.claimNext();
            claim.ifPresent(this::publishClaimed);
            return claim.isPresent();
        });
        return Boolean.TRUE.equals(worked);
    }

    /** Publishes until the queue has nothing due; returns the number of rounds that did work. */
    public int drain() {
        int rounds = 0;
        while (publishNext()) {
            rounds++;
        }
        return rounds;
    }

    /**
     * Writes the versions after the claim's published version, up to what is queued, in order.
     * Must run in the transaction holding the claim's lock.
     */
    public Outcome publishClaimed(Claim claim) {
        long target = claim.queuedVersion();
        long done = claim.publishedVersion();
        if (target <= done) {
            repository.markPublished(claim.tableId(), done);
            return new Outcome(done, null);
        }
        long to = Math.min(target, done + properties.maxVersionsPerBatch());
        String error = null;
        try {
            Storage storage = storages.forLocation(claim.location());
            List<CommitRow> commits = repository.commits(claim.tableId(), done + 1, to);
            for (CommitRow commit : commits) {
                if (commit.version() != done + 1) {
                    error = "Version " + (done + 1) + " is missing from commits; cannot publish " + commit.version()
                            + " out of order";
                    break;
                }
                long started = System.nanoTime();
                Optional<String> problem = write(storage, claim, commit);
                metrics.put(System.nanoTime() - started);
                if (problem.isPresent()) {
                    error = problem.get();
                    break;
                }
                done = commit.version();
                metrics.published(commit.committedAt(), clock.instant());
            }
            if (error == null && done < to) {
                error = "Version " + (done + 1) + " is queued but not found in commits";
            }
        } catch (IOException | RuntimeException e) {
            error = "Writing version " + (done + 1) + " failed: " + e;
            log.warn("Publishing {} version {} failed", claim.fullName(), done + 1, e);
        }
        if (error == null) {
            repository.markPublished(claim.tableId(), done);
        } else {
            metrics.failure();
            repository.markFailed(claim.tableId(), done, error, properties.backoff(claim.attempts() + 1));
        }
        return new Outcome(done, error);
    }

    /** Empty when the version's file is in place with exactly our content; else what is wrong. */
    Optional<String> write(Storage storage, Claim claim, CommitRow commit) throws IOException {
        byte[] content = DeltaLogJson.render(commit.actionsJson());
        String path = storage.resolve(claim.location(), DeltaLogNames.commitFile(commit.version()));
        if (storage.putIfAbsent(path, content)) {
            return Optional.empty();
        }
        Optional<byte[]> existing = storage.read(path);
        if (existing.isPresent() && Arrays.equals(existing.get(), content)) {
            return Optional.empty(); // an earlier attempt wrote it and crashed before recording it
        }
        metrics.conflict();
        log.error(
                "ALARM: {} already exists with content different from committed version {} of {}",
                path,
                commit.version(),
                claim.fullName());
        return Optional.of("CONFLICT: " + DeltaLogNames.commitFile(commit.version())
                + " already exists with content different from the committed version; publishing is stopped"
                + " for this table until it is resolved");
    }

    /** Where a round left a table: its published version and the error that stopped it, if any. */
    public record Outcome(long publishedVersion, String error) {}
}
