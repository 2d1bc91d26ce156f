package io.deltaplane.metadata.publish;

import static java.util.Objects.requireNonNull;

import io.deltaplane.metadata.commit.DeltaLogPublication;
import io.deltaplane.metadata.publish.PublishRepository.Claim;
import java.time.Clock;
import java.time.Instant;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.UUID;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Publishes a table's versions for a commit that is answered only once they are in {@code
 * _delta_log} (an engine's staged commit), through the one writer of {@code <version>.json}: it
 * leases the table as a publisher round would and has {@link DeltaLogPublisher} write from the
 * committed rows, so the lease, the put-or-compare and {@code published_version} are the same as in
 * the background. While another worker holds the table (it is writing the same versions), it
 * waits for that worker's progress, at most {@link PublishProperties#answerWait()}.
 */
@Component
public class PublishNow implements DeltaLogPublication {

    private static final Logger log = LoggerFactory.getLogger(PublishNow.class);
    private static final long MAX_PAUSE_MILLIS = 20;
    /** Below every published version (-1: none yet): the state was not read. */
    private static final long NOT_READ = Long.MIN_VALUE;

    private final PublishRepository repository;
    private final PublishStates states;
    private final DeltaLogPublisher publisher;
    private final PublishProperties properties;
    private final Clock clock;

    public PublishNow(
            PublishRepository repository,
            PublishStates states,
            DeltaLogPublisher publisher,
            PublishProperties properties,
            Clock clock) {
        this.repository = requireNonNull(repository, "repository");
        this.states = requireNonNull(states, "states");
        this.publisher = requireNonNull(publisher, "publisher");
        this.properties = requireNonNull(properties, "properties");
        this.clock = requireNonNull(clock, "clock");
    }

    @Override
    public OptionalLong publishThrough(UUID tableId, long version) {
        return publish(tableId, version, publishedVersion(tableId));
    }

    @Override
    public OptionalLong publishCommitted(UUID tableId, long version) {
        return publish(tableId, version, NOT_READ);
    }

    @Override
    public <T> T publishedByTheCaller(Supplier<T> commit) {
        Boolean outer = PublishQueue.PUBLISHED_BY_THE_CALLER.get();
        PublishQueue.PUBLISHED_BY_THE_CALLER.set(Boolean.TRUE);
        try {
            return commit.get();
        } finally {
            if (outer == null) {
                PublishQueue.PUBLISHED_BY_THE_CALLER.remove();
            }
        }
    }

    /** {@code published}: the table's published version as read, or {@link #NOT_READ}. */
    private OptionalLong publish(UUID tableId, long version, long published) {
        Instant deadline = clock.instant().plus(properties.answerWait());
        long pause = 1;
        while (published < version) {
            Optional<Claim> claim = repository.claimTable(tableId, UUID.randomUUID(), properties.lease());
            if (claim.isPresent()) {
                DeltaLogPublisher.Outcome outcome = publisher.publishClaimed(claim.get());
                if (outcome.error() != null) {
                    // the store failed, or the file holds other bytes (an alarm the publisher
                    // recorded): the commit is ratified either way, and the publisher retries
                    return OptionalLong.empty();
                }
                if (outcome.publishedVersion() <= claim.get().publishedVersion()) {
                    // nothing was due: another publisher got there first
                    return OptionalLong.of(outcome.publishedVersion());
                }
                published = outcome.publishedVersion(); // more than one batch's versions were due: go on
                continue;
            }
            if (!clock.instant().isBefore(deadline)) {
                log.info(
                        "Version {} of table {} not yet published after {}; answering, the publisher goes on",
                        version,
                        tableId,
                        properties.answerWait());
                return published == NOT_READ ? OptionalLong.empty() : OptionalLong.of(published);
            }
            try {
                Thread.sleep(pause);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return OptionalLong.empty();
            }
            pause = Math.min(pause * 2, MAX_PAUSE_MILLIS);
            published = publishedVersion(tableId);
        }
        return OptionalLong.of(published);
    }

    private long publishedVersion(UUID tableId) {
        return states.state(tableId).map(PublishState::publishedVersion).orElse(-1L);
    }
}
