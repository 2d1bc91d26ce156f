package io.deltaplane.ingest.delta;

import java.io.IOException;

/**
 * A sink's batch was taken over by another session before its commit was known to have landed
 * ({@link PendingBatches#takeOver}): the sink gives up the batch without touching its files, and
 * its consumer starts again from the table's positions.
 */
final class BatchTakenOver extends IOException {
    BatchTakenOver(String message) {
        super(message);
    }
}
