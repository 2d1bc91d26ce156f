package io.deltaplane.metadata.icebergmetadata;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Making every table's Iceberg metadata ({@code deltaplane.iceberg.*}). A table's own switch is its
 * {@code deltaplane.iceberg.enabled} property (or its schema's or catalog's), see {@link IcebergTables}.
 *
 * @param background convert tables behind their Delta log in the background in this instance (an
 *     Iceberg load converts what is still missing either way)
 * @param interval how often the background converter looks for tables behind their log
 * @param tablesPerRound tables one background round converts
 * @param retryAfter how long a table whose conversion failed waits before the background tries again
 * @param keepCurrentFor the background converts only tables an Iceberg client loaded within this
 *     time; others are converted on their next load
 * @param recentSnapshots how much recently read Iceberg metadata a process keeps in memory, by the
 *     snapshots it holds (0: none, every load reads the metadata file; lost with the process, and
 *     each metadata file never changes, so nothing is ever stale)
 * @param maxStaleness how long a load may answer the last good metadata while storage or the
 *     database fails (measured from the commit of the first Delta version it lacks); after that, and
 *     for any other failure at once, a load is refused by name
 * @param snapshotsKept how many of the latest Delta versions Iceberg readers can travel to (each an
 *     Iceberg snapshot; fewer where Postgres keeps less history): a first conversion starts that many
 *     versions back, and older snapshots expire once there are a tenth more than this — what bounds
 *     a metadata file, and so a load's cost, whatever the table's age
 */
@ConfigurationProperties("deltaplane.iceberg")
public record IcebergProperties(
        @DefaultValue("true") boolean background,
        @DefaultValue("2s") Duration interval,
        @DefaultValue("20") int tablesPerRound,
        @DefaultValue("1m") Duration retryAfter,
        @DefaultValue("5m") Duration maxStaleness,
        @DefaultValue("7d") Duration keepCurrentFor,
        @DefaultValue("20000") long recentSnapshots,
        @DefaultValue("500") int snapshotsKept) {

    public IcebergProperties {
        if (snapshotsKept < 1) {
            throw new IllegalArgumentException(
                    "deltaplane.iceberg.snapshots-kept must be at least 1, got " + snapshotsKept);
        }
    }
}
