package io.deltaplane.metadata.publish;

import static java.util.Objects.requireNonNull;

import io.deltaplane.metadata.deltalog.DeltaLogNames;
import io.deltaplane.metadata.publish.CommitRows.CommitRow;
import io.deltaplane.metadata.publish.PublishRepository.Claim;
import io.deltaplane.storage.Storage;
import io.deltaplane.storage.Storages;
import io.deltaplane.support.problem.ApiException;
import io.deltaplane.support.problem.ErrorCode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Compares Postgres with a table's {@code _delta_log} and repairs it: takes back the platform's own
 * versions beyond Postgres's (a restore of Postgres from an older backup lost them; {@link
 * LogAdoption}), rewrites missing commit files (someone deleted them, a restore lost them), flags files whose content differs from the commit
 * (an alarm, never overwritten), forgets a checkpoint that vanished so it is written again, and
 * publishes whatever is due. Runs under the table's publish lease, like the publisher, so the two
 * never work on one table at once, and like it holds no connection while it reads and writes the
 * store. A reconcile that waits for the lease asks publishers to make way for it at their next
 * release ({@code publish_state.reconcile_requested_until}).
 */
public class Reconciler {

    private static final Logger log = LoggerFactory.getLogger(Reconciler.class);
    private static final int CHUNK = 500;
    private static final Duration LEASE_POLL = Duration.ofMillis(20);

    private final PublishRepository repository;
    private final PublishStates states;
    private final CommitRows commitRows;
    private final Storages storages;
    private final DeltaLogPublisher publisher;
    private final PublishMetrics metrics;
    private final PublishProperties properties;
    private final Clock clock;
    private final LogAdoption adoption;
    private final CheckpointRepository checkpoints;
    private final LogCleanup logCleanup;
    private final RestoreMarks restoreMarks;

    public Reconciler(
            PublishRepository repository,
            PublishStates states,
            CommitRows commitRows,
            Storages storages,
            DeltaLogPublisher publisher,
            PublishMetrics metrics,
            PublishProperties properties,
            Clock clock,
            LogAdoption adoption,
            CheckpointRepository checkpoints,
            LogCleanup logCleanup,
            RestoreMarks restoreMarks) {
        this.logCleanup = requireNonNull(logCleanup, "logCleanup");
        this.restoreMarks = requireNonNull(restoreMarks, "restoreMarks");
        this.adoption = requireNonNull(adoption, "adoption");
        this.checkpoints = requireNonNull(checkpoints, "checkpoints");
        this.repository = requireNonNull(repository, "repository");
        this.states = requireNonNull(states, "states");
        this.commitRows = requireNonNull(commitRows, "commitRows");
        this.storages = requireNonNull(storages, "storages");
        this.publisher = requireNonNull(publisher, "publisher");
        this.metrics = requireNonNull(metrics, "metrics");
        this.properties = requireNonNull(properties, "properties");
        this.clock = requireNonNull(clock, "clock");
    }

    /**
     * @param verifyContent also read back every published file and compare it byte for byte
     * @param wait wait for a publisher holding the table's lease; if false, a busy table (or one a
     *     waiting reconcile asked for) is skipped
     * @return empty if the table has no publish state, or is busy and {@code wait} is false
     */
    public Optional<ReconcileReport> reconcile(UUID tableId, boolean verifyContent, boolean wait) {
        Optional<Claim> leased =
                wait ? awaitLease(tableId) : repository.claimTable(tableId, UUID.randomUUID(), lease());
        return leased.map(claim -> {
            boolean released = false;
            try {
                ReconcileReport report = reconcileLeased(claim, verifyContent);
                released = true; // publishing at its end let the lease go
                // the log is reconciled: a mark left by a restore from backup is done with
                restoreMarks.checked(tableId);
                return report;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } finally {
                if (!released) {
                    repository.release(claim);
                }
            }
        });
    }

    /**
     * Polls for the lease while another worker holds it: a publisher lets it go after each batch,
     * a dead one's runs out. Once a poll finds the table leased, the reconcile asks for it until
     * its deadline, and publisher rounds leave it alone meanwhile: on a table committed to without
     * pause a round would otherwise lease it again right after the previous one let it go, before
     * the next poll, batch after batch. So the reconcile gets the table when the current batch
     * ends. Gives up (503) after twice the lease, when the table stays leased that long all the
     * same (a batch on a store that slow, renewing its lease; another reconcile).
     */
    private Optional<Claim> awaitLease(UUID tableId) {
        Instant deadline = clock.instant().plus(lease().multipliedBy(2));
        boolean requested = false;
        Optional<Claim> claim = Optional.empty();
        try {
            while (true) {
                claim = repository.claimRequestedTable(tableId, UUID.randomUUID(), lease());
                if (claim.isPresent() || states.state(tableId).isEmpty()) {
                    return claim; // a claim ends the request with it
                }
                Duration left = Duration.between(clock.instant(), deadline);
                if (left.isNegative() || left.isZero()) {
                    throw new ApiException(
                            ErrorCode.SERVICE_UNAVAILABLE,
                            "The table's _delta_log has stayed leased by another worker (a publisher's batch,"
                                    + " another reconcile) for twice the publish lease; try the reconcile again");
                }
                // The request ends with this wait's deadline: one left by a reconciler that died
                // stops counting then.
                repository.requestReconcile(tableId, left);
                requested = true;
                try {
                    Thread.sleep(LEASE_POLL.toMillis());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted waiting for the publish lease of " + tableId, e);
                }
            }
        } finally {
            if (requested && claim.isEmpty()) {
                withdrawRequest(tableId);
            }
        }
    }

    /** Publishers may take the table again at once, not only at the request's deadline. */
    private void withdrawRequest(UUID tableId) {
        // An interrupted wait withdraws too: the flag is set aside for the statement (a pool that
        // must wait for a connection would fail at once on it) and set again after.
        boolean interrupted = Thread.interrupted();
        try {
            repository.withdrawReconcileRequest(tableId);
        } catch (RuntimeException e) {
            // it runs out at its deadline anyway (at most twice the lease)
            log.warn("Could not withdraw the reconcile request on table {}", tableId, e);
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private Duration lease() {
        return properties.lease();
    }

    /**
     * The periodic pass: every table, missing files only; tables being published, or waited for by
     * an API reconcile (which repairs them), are skipped.
     */
    public int reconcileAll() {
        int repaired = 0;
        for (UUID tableId : states.tableIds()) {
            try {
                repaired += reconcile(tableId, false, false)
                        .map(r -> r.repairedVersions().size())
                        .orElse(0);
            } catch (RuntimeException e) {
                log.warn("Reconciling table {} failed", tableId, e);
            }
        }
        return repaired;
    }

    private ReconcileReport reconcileLeased(Claim claim, boolean verifyContent) throws IOException {
        PublishLease lease = new PublishLease(repository, claim, lease(), clock);
        Storage storage = storages.forLocation(claim.location());
        List<String> names = storage.list(storage.resolve(claim.location(), DeltaLogNames.LOG_DIR));
        Set<Long> commitFiles = new HashSet<>();
        Set<Long> checkpointFiles = new HashSet<>();
        for (String name : names) {
            DeltaLogNames.commitVersion(name).ifPresent(commitFiles::add);
            DeltaLogNames.checkpointVersion(name).ifPresent(checkpointFiles::add);
        }
        // Read after the listing: every file of ours is written after its version is committed, so a
        // file beyond this version was written behind the catalog's back (a filesystem-only commit).
        long committed = states.state(claim.tableId()).orElseThrow().tableVersion();
        List<Long> beyond =
                commitFiles.stream().filter(v -> v > committed).sorted().toList();
        // The platform's own versions, lost by a restore of Postgres, are taken back first.
        List<Long> adopted = beyond.isEmpty() ? List.of() : adoption.adopt(claim, storage, committed, beyond, lease);
        List<Long> foreign = beyond.stream().filter(v -> !adopted.contains(v)).toList();
        // versions below the log's first one were removed by log cleanup on purpose
        long from = Math.max(Math.max(0, claim.verifiedFromVersion()), logCleanup.logStartVersion(claim.tableId()));
        long published = claim.publishedVersion();
        List<Long> repaired = new ArrayList<>();
        List<Long> mismatched = new ArrayList<>();
        for (long start = from; start <= published; start += CHUNK) {
            long end = Math.min(published, start + CHUNK - 1);
            boolean anyMissing = false;
            for (long v = start; v <= end && !anyMissing; v++) {
                anyMissing = !commitFiles.contains(v);
            }
            if (!anyMissing && !verifyContent) {
                continue;
            }
            for (CommitRow commit : commitRows.commits(claim.tableId(), start, end)) {
                if (!lease.keep(claim.publishedVersion())) {
                    throw new IllegalStateException("Reconciling " + claim.fullName()
                            + " took longer than its publish lease, which another worker took over; try again");
                }
                String path = storage.resolve(claim.location(), DeltaLogNames.commitFile(commit.version()));
                byte[] content = commit.content();
                if (!commitFiles.contains(commit.version()) && storage.putIfAbsent(path, content)) {
                    repaired.add(commit.version());
                    metrics.repaired();
                    log.warn("Reconciler rewrote missing {} of {}", path, claim.fullName());
                } else if (verifyContent) {
                    Optional<byte[]> existing = storage.read(path);
                    if (existing.isEmpty() || !Arrays.equals(existing.get(), content)) {
                        mismatched.add(commit.version());
                        metrics.conflict();
                        log.error(
                                "ALARM: {} differs from committed version {} of {}",
                                path,
                                commit.version(),
                                claim.fullName());
                    }
                }
            }
        }
        repairCheckpointState(claim, checkpointFiles, published);
        DeltaLogPublisher.Outcome outcome = publisher.publishClaimed(claim);
        String error = outcome.error();
        if (!mismatched.isEmpty()) {
            error = "CONFLICT: _delta_log files of versions " + mismatched
                    + " differ from the committed versions (left untouched)";
            repository.recordError(claim.tableId(), error);
        }
        if (!foreign.isEmpty()) {
            // Never adopted: Postgres is the log; the catalog did not ratify these versions.
            error = "FOREIGN: _delta_log holds versions " + foreign + " that were never committed through the"
                    + " catalog (written to the file system directly); they are not part of the table and were"
                    + " left untouched";
            metrics.conflict();
            log.error("ALARM: {} has versions {} written behind the catalog", claim.fullName(), foreign);
            repository.recordError(claim.tableId(), error);
        }
        PublishState state = states.state(claim.tableId()).orElseThrow();
        return new ReconcileReport(
                state.tableVersion(),
                outcome.publishedVersion(),
                repaired,
                mismatched,
                adopted,
                foreign,
                state.lastCheckpointVersion(),
                error);
    }

    private void repairCheckpointState(Claim claim, Set<Long> checkpointFiles, long published) {
        states.state(claim.tableId()).ifPresent(state -> {
            Long last = state.lastCheckpointVersion();
            if (last != null && last >= claim.verifiedFromVersion() && !checkpointFiles.contains(last)) {
                OptionalLong newest = checkpointFiles.stream()
                        .mapToLong(Long::longValue)
                        .filter(v -> v <= published)
                        .max();
                checkpoints.resetCheckpoint(claim.tableId(), newest.isPresent() ? newest.getAsLong() : null);
            }
        });
    }

    /**
     * What a reconcile found and did. {@code adoptedVersions}: commit files beyond Postgres's
     * version that the platform itself had published (Postgres was restored from an older backup),
     * taken back into Postgres. {@code foreignVersions}: commit files beyond the committed version,
     * written to the file system behind the catalog (reported, never adopted).
     */
    public record ReconcileReport(
            long tableVersion,
            long publishedVersion,
            List<Long> repairedVersions,
            List<Long> mismatchedVersions,
            List<Long> adoptedVersions,
            List<Long> foreignVersions,
            Long lastCheckpointVersion,
            String lastError) {}
}
