package io.deltaplane.metadata.commit;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Commit settings ({@code deltaplane.metadata.commit.*}).
 *
 * @param fastPath validate plain commits (no metaData/protocol) against the table state cached from
 *     the previous commit instead of reading the table first; off, every commit reads it (a switch
 *     for diagnosis and A/B runs)
 * @param groupSize at most this many concurrent plain commits written in one Postgres transaction
 *     ({@link GroupCommit}); 1: each in a transaction of its own
 * @param groupsInFlight at most this many such transactions written at once (while one waits for
 *     its WAL flush, the next runs its statements); 1 makes the largest groups, and measured best on
 *     a local disk
 */
@ConfigurationProperties("deltaplane.metadata.commit")
public record CommitProperties(
        @DefaultValue("true") boolean fastPath,
        @DefaultValue("32") int groupSize,
        @DefaultValue("1") int groupsInFlight) {

    public CommitProperties {
        if (groupSize < 1 || groupSize > 1000) {
            throw new IllegalArgumentException(
                    "deltaplane.metadata.commit.group-size must be between 1 and 1000, was " + groupSize);
        }
        if (groupsInFlight < 1 || groupsInFlight > 64) {
            throw new IllegalArgumentException(
                    "deltaplane.metadata.commit.groups-in-flight must be between 1 and 64, was " + groupsInFlight);
        }
    }
}
