package io.deltaplane.metadata.publish;

import java.time.Instant;
import java.util.UUID;

/**
 * What the publisher knows about one table.
 *
 * @param queuedVersion highest version still in the queue (null when the queue is empty)
 * @param oldestUnpublishedAt commit time of the oldest version not yet in _delta_log
 */
public record PublishState(
        UUID tableId,
        String fullName,
        String location,
        long publishedVersion,
        long verifiedFromVersion,
        Long queuedVersion,
        Instant oldestUnpublishedAt,
        Long lastCheckpointVersion,
        String lastError,
        Instant lastErrorAt) {

    /** The committed version as far as the queue shows: every commit enqueues in its own transaction. */
    public long tableVersion() {
        return queuedVersion == null ? publishedVersion : Math.max(queuedVersion, publishedVersion);
    }

    public long lagVersions() {
        return Math.max(0, tableVersion() - publishedVersion);
    }

    public double lagSeconds(Instant now) {
        if (oldestUnpublishedAt == null || lagVersions() == 0) {
            return 0;
        }
        return Math.max(0, (now.toEpochMilli() - oldestUnpublishedAt.toEpochMilli()) / 1000.0);
    }
}
