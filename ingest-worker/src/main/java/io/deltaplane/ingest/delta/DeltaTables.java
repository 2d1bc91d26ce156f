package io.deltaplane.ingest.delta;

import static java.util.Objects.requireNonNull;

import io.deltaplane.ingest.delta.DeltaColumns.Column;
import io.deltaplane.ingest.delta.MetadataClient.Table;
import io.deltaplane.ingest.mapping.MappingSpec;
import io.deltaplane.support.problem.ApiException;
import io.deltaplane.support.problem.ErrorCode;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import tools.jackson.databind.JsonNode;

/**
 * The Delta tables mappings write: created with the mapping's columns when missing, and checked
 * against the mapping when they exist — same columns, same types, same partitioning — so a mapping
 * never writes files its table's readers cannot read.
 */
public final class DeltaTables {

    private final MetadataClient metadata;

    public DeltaTables(MetadataClient metadata) {
        this.metadata = requireNonNull(metadata, "metadata");
    }

    /** The mapping's table, created if missing; 422 if it exists with another shape. */
    public DeltaTarget ensure(MappingSpec mapping) throws IOException {
        List<Column> columns = DeltaColumns.of(mapping);
        String name = mapping.target().table();
        List<String> partitionBy = mapping.target().partitionColumns();
        Optional<Table> existing = metadata.table(name);
        Table table;
        if (existing.isPresent()) {
            table = existing.get();
            check(mapping, table, columns);
        } else {
            try {
                table = metadata.createTable(
                        name, DeltaColumns.schema(columns), partitionBy, "Ingested by mapping " + mapping.name());
            } catch (MetadataClient.Rejected e) {
                // Created concurrently (another replica, a retry): use it if it has our shape.
                table = metadata.table(name).orElseThrow(() -> e);
                check(mapping, table, columns);
            }
        }
        return new DeltaTarget(table.fullName(), table.location(), columns, partitionBy);
    }

    /** Checks an existing table against the mapping without creating anything (at mapping create / update). */
    public void checkIfExists(MappingSpec mapping) throws IOException {
        Optional<Table> existing = metadata.table(mapping.target().table());
        if (existing.isPresent()) {
            check(mapping, existing.get(), DeltaColumns.of(mapping));
        }
    }

    private static void check(MappingSpec mapping, Table table, List<Column> columns) {
        Map<String, String> wanted = new TreeMap<>();
        columns.forEach(c -> wanted.put(c.name(), c.deltaType()));
        Map<String, String> actual = new TreeMap<>();
        for (JsonNode field : table.schema().path("fields")) {
            JsonNode type = field.path("type");
            actual.put(field.path("name").asString(), type.isString() ? type.asString() : type.toString());
        }
        List<String> problems = new ArrayList<>();
        for (JsonNode field : table.schema().path("fields")) {
            if (field.path("metadata").has("delta.columnMapping.physicalName")) {
                // Its files hold columns under physical names; this worker writes Parquet by column name.
                problems.add("it uses Delta column mapping (delta.columnMapping.mode), which ingest does not write");
                break;
            }
        }
        if (!wanted.equals(actual)) {
            problems.add("its columns are " + actual + ", the mapping writes " + wanted);
        }
        if (!table.partitionColumns().equals(mapping.target().partitionColumns())) {
            problems.add("it is partitioned by " + table.partitionColumns() + ", the mapping by "
                    + mapping.target().partitionColumns());
        }
        if (!problems.isEmpty()) {
            throw new ApiException(
                    ErrorCode.TARGET_MISMATCH,
                    "The Delta table " + table.fullName() + " does not match mapping " + mapping.name() + ": "
                            + String.join("; ", problems) + ".");
        }
    }
}
