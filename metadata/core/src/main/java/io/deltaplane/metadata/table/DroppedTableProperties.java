package io.deltaplane.metadata.table;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How long the platform keeps a dropped managed table's directory ({@code deltaplane.dropped-tables.*}).
 *
 * @param retention how long after the drop its files are deleted (Unity Catalog keeps a dropped
 *     managed table's data 7 days by default); {@code 0} keeps them until an admin purges
 * @param purgeInterval how often a replica looks for directories whose retention has passed
 */
@ConfigurationProperties("deltaplane.dropped-tables")
public record DroppedTableProperties(
        @DefaultValue("7d") Duration retention,
        @DefaultValue("1h") Duration purgeInterval) {

    public DroppedTableProperties {
        if (retention.isNegative()) {
            throw new IllegalArgumentException("deltaplane.dropped-tables.retention must not be negative");
        }
        if (purgeInterval.isNegative() || purgeInterval.isZero()) {
            throw new IllegalArgumentException("deltaplane.dropped-tables.purge-interval must be positive");
        }
    }

    /** Whether dropped tables' files are deleted by the platform at all. */
    public boolean purges() {
        return !retention.isZero();
    }
}
