package io.deltaplane.metadata.commit;

import static java.util.Objects.requireNonNull;

import io.deltaplane.metadata.delta.ActionParser.TableState;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The stored state {@link CommitWriter} validates a commit's actions against: the table's head by
 * name, its live files, its latest protocol and {@code delta.appendOnly} setting. Reads only, without
 * a lock (the CAS re-checks what it must); every write is {@link CommitRepository}'s.
 */
@Repository
class TableStateReads {

    /** The state a commit by name is validated against, read without a lock (the CAS re-checks it). */
    static final String TABLE_STATE_BY_NAME = """
            SELECT t.id, t.location, t.partition_columns, t.current_version,
              (SELECT c.num_files FROM commits c WHERE c.table_id = t.id AND c.version = t.current_version)
            FROM tables t WHERE t.catalog = ? AND t.schema = ? AND t.name = ?""";

    static final String NUM_FILES = "SELECT num_files FROM commits WHERE table_id = ? AND version = ?";

    // --- the stored state validation needs ---

    static final String CURRENT_PROTOCOL =
            "SELECT action::text FROM protocol_versions WHERE table_id = ? ORDER BY version DESC LIMIT 1";

    static final String APPEND_ONLY = """
            SELECT action -> 'configuration' ->> 'delta.appendOnly' FROM metadata_versions
            WHERE table_id = ? ORDER BY version DESC LIMIT 1""";

    /**
     * A table's state as a commit by name is validated against: its id, location and partition
     * columns, its current version and the number of live files in it.
     */
    record TableHead(TableState state, long currentVersion, long liveFiles) {}

    private final JdbcClient jdbc;
    private final JsonMapper json = JsonMapper.builder().build();

    TableStateReads(JdbcClient jdbc) {
        this.jdbc = requireNonNull(jdbc, "jdbc");
    }

    /** The state of {@code catalog.schema.name}, or empty when there is no such table. */
    Optional<TableHead> tableHead(String catalog, String schema, String name) {
        return jdbc.sql(TABLE_STATE_BY_NAME)
                .params(catalog, schema, name)
                .query((rs, n) -> new TableHead(
                        new TableState(rs.getObject(1, UUID.class), rs.getString(2), List.of((String[])
                                rs.getArray(3).getArray())),
                        rs.getLong(4),
                        rs.getLong(5)))
                .optional();
    }

    /** Live files in {@code version} of a table (0 before its first version). */
    long liveFiles(UUID tableId, long version) {
        return jdbc.sql(NUM_FILES)
                .params(tableId, version)
                .query(Long.class)
                .optional()
                .orElse(0L);
    }

    /** The table's latest protocol action. */
    JsonNode currentProtocol(UUID tableId) {
        return json.readTree(
                jdbc.sql(CURRENT_PROTOCOL).param(tableId).query(String.class).single());
    }

    /** The latest metaData's {@code delta.appendOnly} setting, if any. */
    Optional<String> appendOnly(UUID tableId) {
        return jdbc.sql(APPEND_ONLY).param(tableId).query(String.class).optional();
    }
}
