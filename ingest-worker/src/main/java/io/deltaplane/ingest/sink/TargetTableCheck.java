package io.deltaplane.ingest.sink;

import static java.util.Objects.requireNonNull;

import io.deltaplane.ingest.mapping.MappingSpec;
import io.deltaplane.ingest.mapping.MappingSpec.ColumnSpec;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.duckdb.DuckDBConnection;

/**
 * Checks a DuckDB mapping against the table it would write to, before the mapping is stored: the
 * sink only adds missing columns ({@link SinkPlan#ddl()}), so a column the table already has with
 * another type, or a raw mapping onto a table without a {@code payload} column, would fail every
 * batch of the mapping instead of being refused once, with the reason, when it is made.
 */
public final class TargetTableCheck {

    static final String COLUMNS = "SELECT lower(column_name), data_type FROM information_schema.columns"
            + " WHERE table_catalog = ? AND table_schema = ? AND table_name = ?";

    private final Warehouse warehouse;

    public TargetTableCheck(Warehouse warehouse) {
        this.warehouse = requireNonNull(warehouse, "warehouse");
    }

    /** What conflicts with the existing target table, as {@code "field: message"}; empty when nothing. */
    public List<String> conflicts(MappingSpec spec) {
        if (spec.target().isDelta()) {
            return List.of(); // its rows go to a Delta table, checked by metadata-service
        }
        SinkPlan plan = new SinkPlan(spec, warehouse.defaultDatabase());
        String table = plan.database() + "." + spec.target().schema() + "."
                + spec.target().table();
        try (DuckDBConnection connection = warehouse.connect()) {
            try {
                Map<String, String> existing = columns(
                        connection,
                        plan.database(),
                        spec.target().schema(),
                        spec.target().table());
                List<String> errors = new ArrayList<>();
                if (existing.isEmpty()) {
                    return errors;
                }
                if (spec.raw()) {
                    if (!existing.containsKey("payload")) {
                        errors.add("columns: the target table " + table + " has typed columns and no payload"
                                + " column; a raw mapping needs a table of its own");
                    }
                    return errors;
                }
                for (int i = 0; i < spec.columns().size(); i++) {
                    ColumnSpec column = spec.columns().get(i);
                    String has = existing.get(column.name().toLowerCase(Locale.ROOT));
                    if (has != null && !has.equals(typeOf(connection, column.type()))) {
                        errors.add("columns[" + i + "].type: the target table " + table + " has " + column.name()
                                + " as " + has + "; a mapping cannot change a column's type (map a new column,"
                                + " or write to another table)");
                    }
                }
                return errors;
            } finally {
                connection.rollback();
            }
        } catch (SQLException e) {
            throw new IllegalStateException("DuckDB: " + e.getMessage(), e);
        }
    }

    private static Map<String, String> columns(
            DuckDBConnection connection, String database, String schema, String table) throws SQLException {
        Map<String, String> columns = new HashMap<>();
        try (PreparedStatement ps = connection.prepareStatement(COLUMNS)) {
            ps.setString(1, database);
            ps.setString(2, schema);
            ps.setString(3, table);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    columns.put(rs.getString(1), rs.getString(2));
                }
            }
        }
        return columns;
    }

    /** DuckDB's name of a type as information_schema shows it (TIMESTAMPTZ: TIMESTAMP WITH TIME ZONE). */
    private static String typeOf(DuckDBConnection connection, String type) throws SQLException {
        // the type was allow-listed by the mapping validator: safe to inline
        try (Statement s = connection.createStatement();
                ResultSet rs = s.executeQuery("SELECT typeof(CAST(NULL AS " + type + "))")) {
            rs.next();
            return rs.getString(1);
        }
    }
}
