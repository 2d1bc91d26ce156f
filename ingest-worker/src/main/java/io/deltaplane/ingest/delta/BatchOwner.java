package io.deltaplane.ingest.delta;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.util.UUID;

/**
 * Who holds a pending batch ({@link PendingBatches}): the worker (its configured id, unique among
 * the live workers sharing a warehouse) and the sink's session (one per opening of a sink). A batch
 * is held for {@code lease} from when it is recorded; after that, or when its worker is this one
 * (restarted: its previous session is dead), another session may take it over and settle it.
 */
record BatchOwner(String worker, String session, Duration lease) {

    BatchOwner {
        requireNonNull(worker, "worker");
        requireNonNull(session, "session");
        requireNonNull(lease, "lease");
    }

    /** A new session of {@code worker}. */
    static BatchOwner newSession(String worker, Duration lease) {
        return new BatchOwner(worker, UUID.randomUUID().toString(), lease);
    }
}
