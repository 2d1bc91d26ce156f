package io.deltaplane.metadata.publish;

import static java.util.Objects.requireNonNull;

import io.deltaplane.metadata.publish.PublishRepository.Claim;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * Keeps a claim's lease alive through a long batch: once a third of it has passed (on the worker's
 * clock), records the progress so far and extends it, so a slow store does not lose the table
 * mid-batch, and a crash costs at most that much re-checking. Each renewal is one short statement;
 * no connection is held in between.
 */
final class PublishLease {

    private final PublishRepository repository;
    private final Claim claim;
    private final Duration length;
    private final Clock clock;
    private Instant renewAt;

    PublishLease(PublishRepository repository, Claim claim, Duration length, Clock clock) {
        this.repository = requireNonNull(repository, "repository");
        this.claim = requireNonNull(claim, "claim");
        this.length = requireNonNull(length, "length");
        this.clock = requireNonNull(clock, "clock");
        this.renewAt = clock.instant().plus(length.dividedBy(3));
    }

    /**
     * Renews the lease if it is due, recording {@code publishedVersion}; false if the lease is no
     * longer ours (it ran out and another worker took the table): stop, record nothing more.
     */
    boolean keep(long publishedVersion) {
        Instant now = clock.instant();
        if (now.isBefore(renewAt)) {
            return true;
        }
        if (!repository.progress(claim, publishedVersion, length)) {
            return false;
        }
        renewAt = clock.instant().plus(length.dividedBy(3));
        return true;
    }
}
