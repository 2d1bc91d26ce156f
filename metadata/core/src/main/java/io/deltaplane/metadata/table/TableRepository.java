package io.deltaplane.metadata.table;

import static java.util.Objects.requireNonNull;

import io.deltaplane.metadata.MetadataErrors;
import io.deltaplane.metadata.names.TableName;
import io.deltaplane.support.names.Names;
import java.sql.Array;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** Reads table rows; writes go through the commit package (a table changes only by committing). */
@Repository
public class TableRepository {

    /** A row's columns, in the order {@link #row} reads them. */
    public static final String COLUMNS = "id, catalog, schema, name, location, current_version, last_committed_at,"
            + " partition_columns, comment, created_at, updated_at, managed,"
            + " coalesce(partition_keys, partition_columns)";

    public static final String BY_NAME =
            "SELECT " + COLUMNS + " FROM tables WHERE catalog = ? AND schema = ? AND name = ?";
    static final String BY_ID = "SELECT " + COLUMNS + " FROM tables WHERE id = ?";
    /** A page of a schema's tables after a name; {@code only} (null for all) the names to keep ({@link TableEntries#page}). */
    static final String LIST = "SELECT " + COLUMNS + " FROM tables WHERE catalog = ? AND schema = ? AND name > ?"
            + " AND (CAST(? AS text[]) IS NULL OR name = ANY(CAST(? AS text[]))) ORDER BY name LIMIT ?";
    /** Every table, by id after a cursor: what a pass over all tables pages through. */
    static final String ALL_AFTER = "SELECT " + COLUMNS + " FROM tables WHERE id > ? ORDER BY id LIMIT ?";

    static final String CURRENT_METADATA =
            "SELECT action::text FROM metadata_versions WHERE table_id = ? ORDER BY version DESC LIMIT 1";
    static final String CURRENT_PROTOCOL =
            "SELECT action::text FROM protocol_versions WHERE table_id = ? ORDER BY version DESC LIMIT 1";
    /** Both, in one round trip: what an engine loading a table is answered with. */
    static final String CURRENT_METADATA_AND_PROTOCOL = "SELECT (" + CURRENT_METADATA + "), (" + CURRENT_PROTOCOL + ")";

    static final String DELETE = "DELETE FROM tables WHERE id = ?";
    /** A catalog's tables by {@code schema.name}, in the schemas given (null: all), names LIKE the patterns. */
    static final String SUMMARIES = "SELECT catalog, schema, name, location, managed,"
            + " (SELECT c.storage_root FROM catalogs c WHERE c.name = tables.catalog) FROM tables WHERE catalog = ?"
            + " AND (CAST(? AS text[]) IS NULL OR schema = ANY(CAST(? AS text[])))"
            + " AND schema LIKE ? AND name LIKE ? AND schema || '.' || name > ?"
            + " ORDER BY schema || '.' || name LIMIT ?";
    /** Every data file any version of the table added: what a purge may delete, and nothing else. */
    static final String DATA_FILE_PATHS = "SELECT DISTINCT path FROM files WHERE table_id = ?";

    private final JdbcClient jdbc;

    public TableRepository(JdbcClient jdbc) {
        this.jdbc = requireNonNull(jdbc, "jdbc");
    }

    /** The table named {@code catalog.schema.table}, or 404 TABLE_NOT_FOUND. */
    public TableRow require(String fullName) {
        String[] parts = Names.split(fullName, 3, "table");
        return find(parts[0], parts[1], parts[2]).orElseThrow(() -> MetadataErrors.tableNotFound(fullName));
    }

    /** The table named {@code name}, or 404 TABLE_NOT_FOUND. */
    public TableRow require(TableName name) {
        return find(name.catalog(), name.schema(), name.name())
                .orElseThrow(() -> MetadataErrors.tableNotFound(name.toString()));
    }

    public Optional<TableRow> find(String catalog, String schema, String name) {
        return jdbc.sql(BY_NAME)
                .params(catalog, schema, name)
                .query(TableRepository::row)
                .optional();
    }

    public Optional<TableRow> findById(UUID id) {
        return jdbc.sql(BY_ID).param(id).query(TableRepository::row).optional();
    }

    /** Up to {@code limit} tables of every schema, in id order after {@code after}. */
    public List<TableRow> allAfter(UUID after, int limit) {
        return jdbc.sql(ALL_AFTER)
                .params(after, limit)
                .query(TableRepository::row)
                .list();
    }

    /** The current metaData action object as JSON text. */
    public String currentMetadata(UUID tableId) {
        return jdbc.sql(CURRENT_METADATA).param(tableId).query(String.class).single();
    }

    /** The current protocol action object as JSON text. */
    public String currentProtocol(UUID tableId) {
        return jdbc.sql(CURRENT_PROTOCOL).param(tableId).query(String.class).single();
    }

    /** The current metaData and protocol action objects as JSON text, read together. */
    public record CurrentActions(String metadata, String protocol) {}

    /** {@link #currentMetadata} and {@link #currentProtocol} in one statement. */
    public CurrentActions currentMetadataAndProtocol(UUID tableId) {
        return jdbc.sql(CURRENT_METADATA_AND_PROTOCOL)
                .params(tableId, tableId)
                .query((rs, n) -> new CurrentActions(rs.getString(1), rs.getString(2)))
                .single();
    }

    /**
     * A table's name and location, as a catalog-wide listing shows it; {@code cursor()} orders it.
     * {@code catalogRoot}: its catalog's storage root (null: none), what {@link
     * StorageRoots#isManaged(Boolean, String, String, String, String, String)} needs of a table
     * older than the {@code managed} flag.
     */
    public record TableSummary(
            String catalog, String schema, String name, String location, Boolean managed, String catalogRoot) {

        public String fullName() {
            return catalog + "." + schema + "." + name;
        }

        /** {@code schema.name}: the order of a catalog-wide listing. */
        public String cursor() {
            return schema + "." + name;
        }
    }

    /**
     * Up to {@code limit} of a catalog's tables after {@code after} ({@code schema.name}), in the
     * schemas {@code schemas} (null: all), schema and table names LIKE the patterns.
     */
    public List<TableSummary> summaries(
            String catalog, String[] schemas, String schemaLike, String tableLike, String after, int limit) {
        return jdbc.sql(SUMMARIES)
                .params(catalog, schemas, schemas, schemaLike, tableLike, after, limit)
                .query((rs, n) -> new TableSummary(
                        rs.getString(1),
                        rs.getString(2),
                        rs.getString(3),
                        rs.getString(4),
                        rs.getObject(5, Boolean.class),
                        rs.getString(6)))
                .list();
    }

    public List<String> dataFilePaths(UUID id) {
        return jdbc.sql(DATA_FILE_PATHS).param(id).query(String.class).list();
    }

    public boolean delete(UUID id) {
        return jdbc.sql(DELETE).param(id).update() == 1;
    }

    /** The row whose {@link #COLUMNS} come first in {@code rs}. */
    public static TableRow row(ResultSet rs, int n) throws SQLException {
        Array partitions = rs.getArray(8);
        return new TableRow(
                rs.getObject(1, UUID.class),
                rs.getString(2),
                rs.getString(3),
                rs.getString(4),
                rs.getString(5),
                rs.getLong(6),
                rs.getTimestamp(7).toInstant(),
                List.of((String[]) partitions.getArray()),
                rs.getString(9),
                rs.getTimestamp(10).toInstant(),
                rs.getTimestamp(11).toInstant(),
                rs.getObject(12, Boolean.class),
                List.of((String[]) rs.getArray(13).getArray()));
    }
}
