package io.deltaplane.metadata.managed;

import static java.util.Objects.requireNonNull;

import io.deltaplane.metadata.managed.CatalogManagedTables.StagedTable;
import io.deltaplane.metadata.table.TableRepository;
import io.deltaplane.metadata.table.TableRow;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * What a catalog door reads of a table once per request, in one statement ({@link CatalogTable}):
 * the row, its registration in {@code unity_tables}, its current metaData and protocol, and its
 * schema's and catalog's properties (the levels its maintenance settings are read from). Reads
 * only, without a lock: a commit's compare-and-swap re-checks the version all of it was read at.
 */
@Repository
public class CatalogTableReads {

    // The table (TableRepository's columns first, read by its row mapper), then what the door
    // answers with it: each part a probe of a primary key or of the newest row of the table's
    // metaData and protocol, as TableRepository's and PropertyLevels' own reads of them.
    static final String READ = """
            SELECT t.*, u.unity_id, u.catalog, u.schema, u.name, u.location, u.table_id, u.staged_by,
              (SELECT m.action::text FROM metadata_versions m WHERE m.table_id = t.id ORDER BY m.version DESC LIMIT 1),
              (SELECT p.action::text FROM protocol_versions p WHERE p.table_id = t.id ORDER BY p.version DESC LIMIT 1),
              i.found, i.schema_properties, i.catalog_properties
            FROM (%s) t
            LEFT JOIN unity_tables u ON u.table_id = t.id
            LEFT JOIN LATERAL (
              SELECT true AS found, s.properties::text AS schema_properties, c.properties::text AS catalog_properties
              FROM schemas s JOIN catalogs c ON c.name = s.catalog WHERE s.catalog = t.catalog AND s.name = t.schema
            ) i ON true""";

    static final String BY_NAME = READ.formatted(TableRepository.BY_NAME);

    /** By UC id: the table a staged id became, else the table whose own id it is. */
    static final String BY_UNITY_ID = READ.formatted("SELECT " + TableRepository.COLUMNS
            + " FROM tables WHERE id = COALESCE((SELECT table_id FROM unity_tables WHERE unity_id = ?), ?)");

    private final JdbcClient jdbc;

    public CatalogTableReads(JdbcClient jdbc) {
        this.jdbc = requireNonNull(jdbc, "jdbc");
    }

    public Optional<CatalogTable> byName(String catalog, String schema, String name) {
        return jdbc.sql(BY_NAME)
                .params(catalog, schema, name)
                .query(CatalogTableReads::catalogTable)
                .optional();
    }

    public Optional<CatalogTable> byUnityId(UUID unityId) {
        return jdbc.sql(BY_UNITY_ID)
                .params(unityId, unityId)
                .query(CatalogTableReads::catalogTable)
                .optional();
    }

    private static CatalogTable catalogTable(ResultSet rs, int n) throws SQLException {
        TableRow table = TableRepository.row(rs, n);
        UUID unityId = rs.getObject(14, UUID.class);
        Optional<StagedTable> registration = unityId == null
                ? Optional.empty()
                : Optional.of(new StagedTable(
                        unityId,
                        rs.getString(15),
                        rs.getString(16),
                        rs.getString(17),
                        rs.getString(18),
                        rs.getObject(19, UUID.class),
                        rs.getString(20)));
        String metadata = rs.getString(21);
        String protocol = rs.getString(22);
        List<String> inherited = rs.getBoolean(23) ? List.of(rs.getString(24), rs.getString(25)) : List.of();
        // a table has both from its first version on; without them, nothing is carried
        Optional<CatalogTable.Current> current = metadata == null || protocol == null
                ? Optional.empty()
                : Optional.of(new CatalogTable.Current(metadata, protocol, inherited));
        return new CatalogTable(table, registration, current);
    }
}
