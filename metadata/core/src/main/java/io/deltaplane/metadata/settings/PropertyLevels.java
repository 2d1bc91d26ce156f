package io.deltaplane.metadata.settings;

import static java.util.Objects.requireNonNull;

import io.deltaplane.metadata.table.TableRepository;
import io.deltaplane.metadata.table.TableRow;
import java.util.ArrayList;
import java.util.List;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Where a table's settings are read from, nearest first: its current Delta configuration, its
 * schema's properties, its catalog's. The maintenance policy and the freshness SLA both take a key
 * from the nearest level that sets it, so a team sets it once for a catalog or schema.
 */
@Component
public class PropertyLevels {

    /** Level names, in the order {@link #of} answers them. */
    public static final List<String> NAMES = List.of("table", "schema", "catalog");

    static final String INHERITED = "SELECT s.properties::text, c.properties::text"
            + " FROM schemas s JOIN catalogs c ON c.name = s.catalog WHERE s.catalog = ? AND s.name = ?";

    private final TableRepository tables;
    private final JdbcClient jdbc;
    private final JsonMapper json;

    public PropertyLevels(TableRepository tables, JdbcClient jdbc, JsonMapper json) {
        this.tables = requireNonNull(tables, "tables");
        this.jdbc = requireNonNull(jdbc, "jdbc");
        this.json = requireNonNull(json, "json");
    }

    /** The table's configuration, then its schema's and catalog's properties (when they exist). */
    public List<JsonNode> of(TableRow table) {
        return of(table, json.readTree(tables.currentMetadata(table.id())).path("configuration"));
    }

    /**
     * {@link #of(TableRow)} from what the caller read: the table's current configuration, and its
     * schema's and catalog's properties as JSON text (in that order; empty when there is no such
     * schema), as {@link #INHERITED} reads them.
     */
    public List<JsonNode> of(JsonNode configuration, List<String> inheritedProperties) {
        List<JsonNode> levels = new ArrayList<>();
        levels.add(configuration);
        inheritedProperties.forEach(properties -> levels.add(json.readTree(properties)));
        return levels;
    }

    /** {@link #of(TableRow)}, where the caller read the table's current configuration already. */
    public List<JsonNode> of(TableRow table, JsonNode configuration) {
        List<JsonNode> levels = new ArrayList<>();
        levels.add(configuration);
        jdbc.sql(INHERITED)
                .params(table.catalog(), table.schema())
                .query((rs, row) -> List.of(json.readTree(rs.getString(1)), json.readTree(rs.getString(2))))
                .optional()
                .ifPresent(levels::addAll);
        return levels;
    }
}
