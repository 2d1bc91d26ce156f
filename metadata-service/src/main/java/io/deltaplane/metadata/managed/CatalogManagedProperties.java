package io.deltaplane.metadata.managed;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Catalog-managed commit settings ({@code deltaplane.metadata.catalog-managed.*}).
 *
 * @param maxClockSkew how far beyond the catalog's clock a staged commit's In-Commit Timestamp may
 *     lie (engines stamp commits with their own clocks); further is refused, because every later
 *     version of the table must be stamped after it and time travel by timestamp would break
 */
@ConfigurationProperties("deltaplane.metadata.catalog-managed")
public record CatalogManagedProperties(@DefaultValue("1m") Duration maxClockSkew) {

    public CatalogManagedProperties {
        if (maxClockSkew.isNegative() || maxClockSkew.compareTo(Duration.ofHours(1)) > 0) {
            throw new IllegalArgumentException(
                    "deltaplane.metadata.catalog-managed.max-clock-skew must be between 0 and 1h, was " + maxClockSkew);
        }
    }
}
