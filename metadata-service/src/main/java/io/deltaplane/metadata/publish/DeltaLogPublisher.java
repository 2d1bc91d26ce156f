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
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Writes queued versions to {@code _delta_log}, strictly in order. Each round leases one table's
 * publish_state row in one short transaction that also reads the versions to write, then writes
 * the files holding no transaction and no pooled connection (a put on an object store takes 20-50
 * ms), and records the progress only while the lease is still its own. So commits never wait for
 * a publisher's storage I/O, and the number of workers is not bounded by the connection pool.
 *
 * <p>A lease that runs out (a crash, a stall longer than {@code deltaplane.publish.lease}) lets
 * another worker or replica take the table over. Both may then write the same versions: every
 * file is a put-if-absent of the same bytes, and a file found with exactly our content counts as
 * ours, so a double write is harmless; the worker that lost the lease records nothing and stops.
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
        UUID token = UUID.randomUUID();
        // The lease and the rows to write in one short transaction; its connection goes back to the
        // pool before the first put.
        Optional<Batch> batch = transactions.execute(
                tx -> repository.claimNext(token, properties.lease()).map(this::batch));
        if (batch == null || batch.isEmpty()) {
            return false;
        }
        publish(batch.get().claim(), batch.get().commits());
        return true;
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
     * Writes the versions after the claim's published version, up to what is queued, in order, and
     * lets the claim's lease go. The caller holds the lease (and no transaction).
     */
    public Outcome publishClaimed(Claim claim) {
        return publish(claim, batch(claim).commits());
    }

    private Batch batch(Claim claim) {
        long done = claim.publishedVersion();
        long to = Math.min(claim.queuedVersion(), done + properties.maxVersionsPerBatch());
        List<CommitRow> commits = to <= done ? List.of() : repository.commits(claim.tableId(), done + 1, to);
        return new Batch(claim, commits);
    }

    private Outcome publish(Claim claim, List<CommitRow> commits) {
        long target = claim.queuedVersion();
        long done = claim.publishedVersion();
        if (target <= done) {
            return finish(claim, done, null);
        }
        long to = Math.min(target, done + properties.maxVersionsPerBatch());
        PublishLease lease = new PublishLease(repository, claim, properties.lease(), clock);
        String error = null;
        try {
            Storage storage = storages.forLocation(claim.location());
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
                if (!lease.keep(done)) {
                    return leaseLost(claim, done);
                }
            }
            if (error == null && done < to) {
                error = "Version " + (done + 1) + " is queued but not found in commits";
            }
        } catch (IOException | RuntimeException e) {
            error = "Writing version " + (done + 1) + " failed: " + e;
            log.warn("Publishing {} version {} failed", claim.fullName(), done + 1, e);
        }
        return finish(claim, done, error);
    }

    private Outcome finish(Claim claim, long done, String error) {
        boolean ours;
        if (error == null) {
            ours = repository.markPublished(claim, done);
        } else {
            metrics.failure();
            ours = repository.markFailed(claim, done, error, properties.backoff(claim.attempts() + 1));
        }
        return ours ? new Outcome(done, error) : leaseLost(claim, done);
    }

    private Outcome leaseLost(Claim claim, long done) {
        // Another worker has the table now and writes the same bytes; nothing of ours is recorded.
        metrics.leaseLost();
        log.info(
                "Lease on {} ran out at version {} and was taken over; leaving the table to its new owner",
                claim.fullName(),
                done);
        return new Outcome(done, LEASE_LOST);
    }

    static final String LEASE_LOST = "lease lost: another worker took the table over";

    /** Empty when the version's file is in place with exactly our content; else what is wrong. */
    Optional<String> write(Storage storage, Claim claim, CommitRow commit) throws IOException {
        byte[] content = DeltaLogJson.render(commit.actionsJson());
        String path = storage.resolve(claim.location(), DeltaLogNames.commitFile(commit.version()));
        if (storage.putIfAbsent(path, content)) {
            return Optional.empty();
        }
        Optional<byte[]> existing = storage.read(path);
        if (existing.isPresent() && Arrays.equals(existing.get(), content)) {
            // an earlier attempt wrote it and crashed before recording it, or a worker whose lease
            // ran out (or that took ours over) wrote the same version
            return Optional.empty();
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

    /** A leased table and the committed rows it is to write. */
    private record Batch(Claim claim, List<CommitRow> commits) {}

    /** Where a round left a table: its published version and the error that stopped it, if any. */
    public record Outcome(long publishedVersion, String error) {}
}
