package io.deltaplane.metadata.commit;

import java.util.OptionalLong;
import java.util.UUID;
import java.util.function.Supplier;

/**
 * Publishes a table's committed versions to {@code _delta_log} now, for a commit that must be
 * published before it is answered (an engine's staged commit: Kernel rebases only onto published
 * files). Implemented by the {@code publish} package's one writer of {@code <version>.json}, with
 * its lease and its put-or-compare; this package depends on no implementation.
 */
public interface DeltaLogPublication {

    /**
     * Returns once versions up to {@code version} of the table are published, or the store failed
     * (the background publisher retries), or another publisher holding the table did not get there
     * within the configured wait. Returns the table's published version as the call last read or
     * recorded it, so that the caller need not read it again; empty when the store failed.
     */
    OptionalLong publishThrough(UUID tableId, long version);

    /**
     * {@link #publishThrough}, for a version the caller has just committed: it is not published
     * yet, unless another publisher got there first, which the attempt to lease the table tells, so
     * the table's publish state is not read first.
     */
    default OptionalLong publishCommitted(UUID tableId, long version) {
        return publishThrough(tableId, version);
    }

    /**
     * Runs {@code commit}, whose versions the caller publishes itself right after it ({@link
     * #publishCommitted}): the background publisher is not woken for them, so it does not race the
     * caller for the table's lease (it still takes them up at its next look at the queue should the
     * caller not get there).
     */
    default <T> T publishedByTheCaller(Supplier<T> commit) {
        return commit.get();
    }
}
