package io.deltaplane.metadata.table;

import static java.util.Objects.requireNonNull;

import io.deltaplane.metadata.MetadataErrors;
import io.deltaplane.metadata.names.TableName;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/**
 * Reads {@link TableEntry}s: a table, or a page of a schema's tables, in one statement, whatever the
 * page holds. Each row of {@code tables} is joined to what its entry adds, each read where its one
 * writer keeps it: the current metaData (the table's latest {@code metadata_versions} row, one index
 * probe), the owner ({@code platform.owners}, kept by {@code GrantStore}), the publisher's state
 * ({@code publish_state}), the catalog-managed registration ({@code unity_tables}) and the
 * catalog's storage root (for a table older than the recorded {@code managed} flag). Reads only.
 */
@Repository
public class TableEntries {

    /** What an entry adds to the table rows {@code %s} selects ({@link TableRepository#COLUMNS} first). */
    static final String ENTRIES_OF = """
            SELECT t.*, m.action ->> 'schemaString', (m.action -> 'configuration')::text, o.owner,
                   p.published_version, u.unity_id, c.storage_root
              FROM (%s) t
              LEFT JOIN LATERAL (SELECT v.action FROM metadata_versions v
                                  WHERE v.table_id = t.id ORDER BY v.version DESC LIMIT 1) m ON true
              LEFT JOIN platform.owners o
                ON o.securable_type = 'table' AND o.securable_name = t.catalog || '.' || t.schema || '.' || t.name
              LEFT JOIN publish_state p ON p.table_id = t.id
              LEFT JOIN unity_tables u ON u.table_id = t.id
              LEFT JOIN catalogs c ON c.name = t.catalog""";

    static final String BY_NAME = ENTRIES_OF.formatted(TableRepository.BY_NAME);
    static final String BY_ID = ENTRIES_OF.formatted(TableRepository.BY_ID);
    /** A page of a schema's tables after a name, {@link TableRepository#LIST}'s, with their entries. */
    static final String PAGE = ENTRIES_OF.formatted(TableRepository.LIST) + "\n ORDER BY t.name";

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final TypeReference<LinkedHashMap<String, String>> CONFIGURATION = new TypeReference<>() {};

    private final JdbcClient jdbc;
    private final StorageRoots roots;

    public TableEntries(JdbcClient jdbc, StorageRoots roots) {
        this.jdbc = requireNonNull(jdbc, "jdbc");
        this.roots = requireNonNull(roots, "roots");
    }

    /** The table named {@code name} as it is now, or 404 TABLE_NOT_FOUND. */
    public TableEntry require(TableName name) {
        return jdbc.sql(BY_NAME)
                .params(name.catalog(), name.schema(), name.name())
                .query(this::entry)
                .optional()
                .orElseThrow(() -> MetadataErrors.tableNotFound(name.toString()));
    }

    /** The table {@code row} is a row of, as it is now, or 404 TABLE_NOT_FOUND if it was dropped since. */
    public TableEntry of(TableRow row) {
        return jdbc.sql(BY_ID)
                .param(row.id())
                .query(this::entry)
                .optional()
                .orElseThrow(() -> MetadataErrors.tableNotFound(row.fullName()));
    }

    /** A page of a schema's tables after {@code after}, by name; {@code only} (null for all) the names to keep. */
    public List<TableEntry> page(String catalog, String schema, String after, int limit, String[] only) {
        return jdbc.sql(PAGE)
                .params(catalog, schema, after, only, only, limit)
                .query(this::entry)
                .list();
    }

    private TableEntry entry(ResultSet rs, int n) throws SQLException {
        TableRow row = TableRepository.row(rs, n);
        String configuration = rs.getString(15);
        long published = rs.getLong(17);
        PublishStatus publish = rs.wasNull() ? null : PublishStatus.of(published, row.currentVersion());
        UUID unityId = rs.getObject(18, UUID.class);
        boolean managed = roots.isManaged(
                row.managed(), rs.getString(19), row.catalog(), row.schema(), row.name(), row.location());
        return new TableEntry(
                row,
                managed ? TableEntry.Type.MANAGED : TableEntry.Type.EXTERNAL,
                rs.getString(14),
                configuration == null ? Map.of() : JSON.readValue(configuration, CONFIGURATION),
                rs.getString(16),
                publish,
                unityId == null ? row.id() : unityId);
    }
}
