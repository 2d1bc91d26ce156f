package io.deltaplane.ingest.delta;

import static java.util.Objects.requireNonNull;

import io.deltaplane.ingest.delta.MetadataClient.Snapshot;
import io.deltaplane.ingest.delta.MetadataClient.VersionConflict;
import java.io.IOException;
import java.time.Clock;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A previous incarnation of a sink may have died waiting for the answer to its last commit, which
 * metadata-service may still be working on: an append read at a version no newer than the one the
 * reopened sink read, carrying txns of some of the pending batches' partitions. A version committed
 * on top of that read (no data: {@link DeltaCommitActions#fence}) that records those partitions'
 * txns again, unchanged, makes it fail whenever it arrives (409: a txn of its application moved
 * since its read), so the table read after the fence says for good whether it landed. A conflict
 * means a commit landed meanwhile — maybe that one: the fence goes again on the newer version.
 */
final class InFlightFence {

    private static final Logger log = LoggerFactory.getLogger(InFlightFence.class);

    /** The fence's version and the table as of it. */
    record Fenced(long version, Snapshot table) {}

    private final MetadataClient metadata;
    private final DeltaTarget target;
    private final DeltaCommitActions commitActions;
    private final IngestTxn txn;
    private final Clock clock;
    private final String mapping;
    private final int attempts;

    InFlightFence(
            MetadataClient metadata,
            DeltaTarget target,
            DeltaCommitActions commitActions,
            IngestTxn txn,
            Clock clock,
            String mapping,
            int attempts) {
        this.metadata = requireNonNull(metadata, "metadata");
        this.target = requireNonNull(target, "target");
        this.commitActions = requireNonNull(commitActions, "commitActions");
        this.txn = requireNonNull(txn, "txn");
        this.clock = requireNonNull(clock, "clock");
        this.mapping = requireNonNull(mapping, "mapping");
        this.attempts = attempts;
    }

    /** Fences {@code partitions}' appends read at or before {@code read}. */
    Fenced fence(Snapshot read, Set<Integer> partitions) throws IOException {
        Snapshot snapshot = read;
        for (int attempt = 1; ; attempt++) {
            Map<Integer, Long> positions = txn.positions(snapshot.appVersions());
            Map<Integer, Long> unchanged = new TreeMap<>();
            partitions.forEach(p -> unchanged.put(p, positions.getOrDefault(p, IngestTxn.NONE)));
            try {
                long version = metadata.commit(
                        target.fullName(),
                        snapshot.version(),
                        commitActions.fence(unchanged, clock.instant()),
                        DeltaCommitActions.OPERATION);
                log.info(
                        "Mapping {}: version {} fences commits a previous run may have left in flight",
                        mapping,
                        version);
                return new Fenced(version, metadata.snapshot(target.fullName()));
            } catch (VersionConflict conflict) {
                if (attempt == attempts) {
                    throw new IOException("Could not fence " + target.fullName() + " in " + attempts
                            + " attempts: other writers keep committing");
                }
                snapshot = metadata.snapshot(target.fullName());
            }
        }
    }
}
