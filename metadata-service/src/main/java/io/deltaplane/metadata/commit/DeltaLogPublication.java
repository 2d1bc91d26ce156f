package io.deltaplane.metadata.commit;

import java.util.UUID;

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
     * within the configured wait.
     */
    void publishThrough(UUID tableId, long version);
}
