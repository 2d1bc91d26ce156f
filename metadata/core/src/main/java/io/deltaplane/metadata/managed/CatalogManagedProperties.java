package io.deltaplane.metadata.managed;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * Catalog-managed commit settings ({@code deltaplane.metadata.catalog-managed.*}).
 *
 * @param maxClockSkew how far beyond the catalog's clock a staged commit's In-Commit Timestamp may
 *     lie (engines stamp commits with their own clocks); further is refused, because every later
 *     version of the table must be stamped after it and time travel by timestamp would break
 * @param maxStagedCommitSize the largest staged commit file the catalog reads (it holds the file
 *     whole, parses it and stores its bytes with the version); 16 MiB, the request-body limit of an
 *     {@code /api/v1} commit, whose actions are the same thing sent inline
 * @param maxStagedCommitActions the most actions (non-blank lines) a staged commit may have: each
 *     becomes a parsed tree, and an add a row, inside one transaction; a file of tiny lines under the
 *     size cap would otherwise still be millions of them
 */
@ConfigurationProperties("deltaplane.metadata.catalog-managed")
public record CatalogManagedProperties(
        @DefaultValue("1m") Duration maxClockSkew,
        @DefaultValue("16MB") DataSize maxStagedCommitSize,
        @DefaultValue("100000") int maxStagedCommitActions) {

    public static final String PREFIX = "deltaplane.metadata.catalog-managed.";

    public CatalogManagedProperties {
        if (maxClockSkew.isNegative() || maxClockSkew.compareTo(Duration.ofHours(1)) > 0) {
            throw new IllegalArgumentException(PREFIX + "max-clock-skew must be between 0 and 1h, was " + maxClockSkew);
        }
        // a staged file is read into one byte array
        if (maxStagedCommitSize.toBytes() < 1 || maxStagedCommitSize.toBytes() > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException(
                    PREFIX + "max-staged-commit-size must be between 1B and 2047MB, was " + maxStagedCommitSize);
        }
        if (maxStagedCommitActions < 1) {
            throw new IllegalArgumentException(
                    PREFIX + "max-staged-commit-actions must be at least 1, was " + maxStagedCommitActions);
        }
    }
}
