package io.deltaplane.ingest.delta;

import io.deltaplane.ingest.mapping.MappingSpec;
import io.deltaplane.ingest.mapping.MappingSpec.ColumnSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The columns of a Delta ingest target: the source position ({@code _partition}, {@code _offset},
 * {@code _enqueued_at}), the ingestion time, optionally the ingestion date to partition by, then the
 * mapping's columns (or the raw {@code payload}). Each column knows its Delta type and the DuckDB
 * expression over the checked stage that yields exactly that Parquet type.
 */
public final class DeltaColumns {

    /** Columns a table may be partitioned by that the mapping does not declare. */
    public static final Set<String> PARTITION_PSEUDO_COLUMNS = Set.of("_partition", "_ingested_date");

    private DeltaColumns() {}

    /** One column: its name, Delta type and the DuckDB expression over {@code ingest_checked}. */
    public record Column(String name, String deltaType, String expression, boolean nullable) {

        /** The Delta schema's field. */
        public String field() {
            return "{\"name\":\"" + name + "\",\"type\":\"" + deltaType + "\",\"nullable\":" + nullable
                    + ",\"metadata\":{}}";
        }
    }

    /** The target's columns, in table order. */
    public static List<Column> of(MappingSpec mapping) {
        List<Column> columns = new ArrayList<>();
        columns.add(new Column("_partition", "integer", "_partition", false));
        columns.add(new Column("_offset", "long", "_offset", false));
        columns.add(new Column("_enqueued_at", "timestamp", "_enqueued_at", true));
        columns.add(new Column("_ingested_at", "timestamp", "{ingested_at}", false));
        if (mapping.target().partitionColumns().contains("_ingested_date")) {
            columns.add(new Column("_ingested_date", "date", "CAST(timezone('UTC', {ingested_at}) AS DATE)", false));
        }
        if (mapping.raw()) {
            columns.add(new Column("payload", "string", "p", true));
        } else {
            for (int i = 0; i < mapping.columns().size(); i++) {
                ColumnSpec c = mapping.columns().get(i);
                String type = c.type().toUpperCase(Locale.ROOT);
                columns.add(new Column(c.name(), deltaType(type), expression("c" + i, type), !c.isRequired()));
            }
        }
        return List.copyOf(columns);
    }

    /** The Delta type of an allow-listed DuckDB mapping type. */
    static String deltaType(String duckDbType) {
        if (duckDbType.startsWith("DECIMAL(")) {
            return duckDbType.toLowerCase(Locale.ROOT);
        }
        return switch (duckDbType) {
            case "BOOLEAN" -> "boolean";
            case "TINYINT" -> "byte";
            case "SMALLINT" -> "short";
            case "INTEGER" -> "integer";
            case "BIGINT" -> "long";
            case "FLOAT" -> "float";
            case "DOUBLE" -> "double";
            case "DATE" -> "date";
            case "TIMESTAMP", "TIMESTAMPTZ" -> "timestamp";
            case "VARCHAR", "UUID", "TIME" -> "string";
            default -> throw new IllegalArgumentException("No Delta type for " + duckDbType);
        };
    }

    /** Types Parquet would hold differently from what Delta reads are cast on the way out. */
    private static String expression(String column, String duckDbType) {
        return switch (duckDbType) {
            case "UUID", "TIME" -> "CAST(" + column + " AS VARCHAR)";
            // A zone-less TIMESTAMP is taken as UTC: Delta's timestamp is an instant.
            case "TIMESTAMP" -> "timezone('UTC', " + column + ")";
            default -> column;
        };
    }

    /** The Delta schema (a StructType) of the columns. */
    public static String schema(List<Column> columns) {
        StringBuilder out = new StringBuilder("{\"type\":\"struct\",\"fields\":[");
        for (int i = 0; i < columns.size(); i++) {
            out.append(i == 0 ? "" : ",").append(columns.get(i).field());
        }
        return out.append("]}").toString();
    }
}
