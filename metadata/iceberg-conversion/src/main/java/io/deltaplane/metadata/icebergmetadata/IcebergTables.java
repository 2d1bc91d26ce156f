package io.deltaplane.metadata.icebergmetadata;

import static java.util.Objects.requireNonNull;

import io.deltaplane.metadata.names.TableName;
import io.deltaplane.metadata.settings.PropertyLevels;
import io.deltaplane.metadata.table.TableRow;
import io.deltaplane.metadata.table.api.TableService;
import io.deltaplane.support.problem.ApiException;
import io.deltaplane.support.problem.ErrorCode;
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
 * than the table itself (storage out of reach) answers the last metadata made, with the Delta
 * version it reflects.
 */
@Service
public class IcebergTables {

    /** The property that turns a table's Iceberg metadata off ({@code false}) at any level. */
    public static final String ENABLED = "deltaplane.iceberg.enabled";

    private static final Logger log = LoggerFactory.getLogger(IcebergTables.class);

    /** A table's Iceberg metadata and the Delta version its current snapshot reflects. */
    public record IcebergTable(TableName name, TableMetadata metadata, long deltaVersion) {}

    private final TableService tables;
    private final PropertyLevels levels;
    private final IcebergConversion conversion;

    public IcebergTables(TableService tables, PropertyLevels levels, IcebergConversion conversion) {
        this.tables = requireNonNull(tables, "tables");
        this.levels = requireNonNull(levels, "levels");
        this.conversion = requireNonNull(conversion, "conversion");
    }

    /** The table's Iceberg metadata at the catalog's latest version; needs what loading a table needs. */
    public IcebergTable load(TableName name) {
        // authorized as every door loads a table; an EXTERNAL table takes in what engines committed to its log
        TableRow table = tables.loadRow(name);
        requireEnabled(table);
        TableMetadata metadata;
        try {
            metadata = conversion.convertTo(table, table.currentVersion());
        } catch (IcebergUnsupported e) {
            throw new ApiException(ErrorCode.ICEBERG_NOT_SERVED, e.getMessage());
        } catch (RuntimeException e) {
            log.warn("Iceberg metadata of {} could not be brought to version {}", name, table.currentVersion(), e);
            metadata = conversion.current(table);
            if (metadata == null) {
                throw new ApiException(
                        ErrorCode.SERVICE_UNAVAILABLE,
                        "The Iceberg metadata of " + name + " could not be made yet; retry shortly.");
            }
        }
        if (metadata == null) {
            throw new ApiException(
                    ErrorCode.SERVICE_UNAVAILABLE, "The Iceberg metadata of " + name + " is not made yet.");
        }
        return new IcebergTable(name, metadata, IcebergConversion.deltaVersion(metadata));
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
