package io.deltaplane.metadata.icebergmetadata;

import static java.util.Objects.requireNonNull;

import io.deltaplane.metadata.names.TableName;
import io.deltaplane.metadata.settings.PropertyLevels;
import io.deltaplane.metadata.table.TableRow;
import io.deltaplane.metadata.table.api.TableService;
import io.deltaplane.support.problem.ApiException;
import io.deltaplane.support.problem.ErrorCode;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.apache.iceberg.TableMetadata;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;
import tools.jackson.databind.JsonNode;

/**
 * Tables as Iceberg readers load them, for the Iceberg REST door: who may (as every door: {@link
 * TableService#load}, SELECT or MODIFY, a table the caller cannot see answered as on the others),
 * whether the table is served to Iceberg at all ({@value #ENABLED} on the table, its schema or its
 * catalog, nearest first; on by default), and its Iceberg metadata brought up to the version the
 * catalog ratified last ({@link IcebergConversion}). A conversion that fails for a reason other
 * than the table itself (storage or the database out of reach) answers the last metadata made, with
 * the Delta version it reflects and its lag, for at most {@code max-staleness}; any other failure is
 * refused by name.
 */
@Service
public class IcebergTables {

    /** The property that turns a table's Iceberg metadata off ({@code false}) at any level. */
    public static final String ENABLED = "deltaplane.iceberg.enabled";

    private static final Logger log = LoggerFactory.getLogger(IcebergTables.class);

    /** A table's Iceberg metadata and the Delta version its current snapshot reflects. */
    public record IcebergTable(TableName name, TableMetadata metadata, long deltaVersion, Duration lag) {}

    private final TableService tables;
    private final PropertyLevels levels;
    private final IcebergConversion conversion;
    private final RecentlyReadTables recentlyRead;

    private final IcebergProperties properties;
    private final Clock clock;
    private final Counter stale;
    private final Counter refused;

    public IcebergTables(
            TableService tables,
            PropertyLevels levels,
            IcebergConversion conversion,
            RecentlyReadTables recentlyRead,
            IcebergProperties properties,
            Clock clock,
            MeterRegistry registry) {
        this.tables = requireNonNull(tables, "tables");
        this.levels = requireNonNull(levels, "levels");
        this.conversion = requireNonNull(conversion, "conversion");
        this.recentlyRead = requireNonNull(recentlyRead, "recentlyRead");
        this.properties = requireNonNull(properties, "properties");
        this.clock = requireNonNull(clock, "clock");
        this.stale = Counter.builder("deltaplane.iceberg.loads")
                .tag("outcome", "stale")
                .description("Iceberg loads answered with the last good metadata while a transient failure lasts")
                .register(registry);
        this.refused = Counter.builder("deltaplane.iceberg.loads")
                .tag("outcome", "refused")
                .description("Iceberg loads refused because the metadata cannot be made or is behind for too long")
                .register(registry);
    }

    /**
     * The table's Iceberg metadata at the catalog's latest version; needs what loading a table needs.
     * Never stale in silence: a failure that retrying will not change is refused at once, naming the
     * version and the cause ({@code ICEBERG_CONVERSION_FAILED}); a transient one ({@link
     * ConversionFailures}) answers the last good metadata, its Delta version and lag said, until the
     * first version it lacks is older than {@code max-staleness} ({@code ICEBERG_METADATA_BEHIND}).
     */
    public IcebergTable load(TableName name) {
        // authorized as every door loads a table; a read that never commits: an EXTERNAL table takes in
        // what engines wrote to its log at the reconcile (or a Delta engine's load), not here
        TableRow table = tables.readRow(name);
        requireEnabled(table);
        recentlyRead.loaded(table.id());
        long target = table.currentVersion();
        TableMetadata metadata;
        try {
            metadata = conversion.convertTo(table, target);
        } catch (IcebergUnsupported e) {
            throw new ApiException(ErrorCode.ICEBERG_NOT_SERVED, e.getMessage());
        } catch (RuntimeException e) {
            metadata = lastGood(name, table, target, e);
        }
        if (metadata == null) {
            throw new ApiException(
                    ErrorCode.SERVICE_UNAVAILABLE, "The Iceberg metadata of " + name + " is not made yet.");
        }
        long version = IcebergConversion.deltaVersion(metadata);
        Duration lag = version >= target ? Duration.ZERO : lag(table, version);
        return new IcebergTable(name, metadata, version, lag);
    }

    private TableMetadata lastGood(TableName name, TableRow table, long target, RuntimeException failure) {
        String cause = failure.getClass().getSimpleName() + ": " + failure.getMessage();
        if (!ConversionFailures.isTransient(failure)) {
            log.error("Iceberg metadata of {} cannot be made for Delta version {}", name, target, failure);
            refused.increment();
            throw new ApiException(
                    ErrorCode.ICEBERG_CONVERSION_FAILED,
                    "The Iceberg metadata of " + name + " cannot be made for Delta version " + target + ": " + cause);
        }
        log.warn("Iceberg metadata of {} could not be brought to version {}", name, target, failure);
        TableMetadata last = conversion.current(table);
        if (last == null) {
            throw new ApiException(
                    ErrorCode.SERVICE_UNAVAILABLE,
                    "The Iceberg metadata of " + name + " could not be made yet (" + cause + "); retry shortly.");
        }
        Duration lag = lag(table, IcebergConversion.deltaVersion(last));
        if (lag.compareTo(properties.maxStaleness()) > 0) {
            refused.increment();
            throw new ApiException(
                    ErrorCode.ICEBERG_METADATA_BEHIND,
                    "The Iceberg metadata of " + name + " is at Delta version " + IcebergConversion.deltaVersion(last)
                            + ", behind version " + target + " for " + lag.toSeconds() + " s (more than "
                            + properties.maxStaleness().toSeconds() + " s): " + cause + "; retry shortly.");
        }
        stale.increment();
        return last;
    }

    /** How long ago the first Delta version {@code version}'s metadata lacks was committed. */
    private Duration lag(TableRow table, long version) {
        return conversion
                .committedAt(table, version + 1)
                .map(at -> Duration.between(at, clock.instant()))
                .filter(d -> !d.isNegative())
                .orElse(Duration.ZERO);
    }

    private void requireEnabled(TableRow table) {
        turnedOff(table).ifPresent(why -> {
            throw new ApiException(ErrorCode.ICEBERG_NOT_SERVED, why);
        });
    }

    /** Why the table is not served to Iceberg readers, if {@value #ENABLED} turns it off (nearest level first). */
    Optional<String> turnedOff(TableRow table) {
        List<JsonNode> nearestFirst = levels.of(table);
        for (int i = 0; i < nearestFirst.size(); i++) {
            JsonNode value = nearestFirst.get(i).path(ENABLED);
            if (!value.isMissingNode() && !value.isNull()) {
                return "false".equalsIgnoreCase(value.asString())
                        ? Optional.of(table.fullName() + " is not served to Iceberg readers: " + ENABLED
                                + " is false on its " + PropertyLevels.NAMES.get(i) + ".")
                        : Optional.empty();
            }
        }
        return Optional.empty();
    }
}
