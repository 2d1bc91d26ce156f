package io.deltaplane.metadata.commit;

import static java.util.Objects.requireNonNull;

import io.deltaplane.metadata.MetadataErrors;
import io.deltaplane.metadata.delta.ActionParser.TableState;
import io.deltaplane.metadata.delta.RowTracking;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The stored state {@link CommitWriter} validates a commit's actions against: the table's head by
 * name, its live files, its latest protocol and {@code delta.appendOnly} setting, and what row
 * tracking needs (the high-water mark, the live adds a commit recommits). Reads only, without
 * a lock (the CAS re-checks what it must); every write is {@link CommitRepository}'s.
 */
@Repository
class TableStateReads {

    /** The state a commit by name is validated against, read without a lock (the CAS re-checks it). */
    static final String TABLE_STATE_BY_NAME = """
            SELECT t.id, t.location, t.partition_columns, t.current_version,
              (SELECT c.num_files FROM commits c WHERE c.table_id = t.id AND c.version = t.current_version),
              t.row_tracking, coalesce(t.partition_keys, t.partition_columns),
              coalesce((SELECT m.action -> 'configuration' ->> 'delta.columnMapping.mode' = 'id' FROM metadata_versions m
                WHERE m.table_id = t.id ORDER BY m.version DESC LIMIT 1), false)
            FROM tables t WHERE t.catalog = ? AND t.schema = ? AND t.name = ?""";

    static final String NUM_FILES = "SELECT num_files FROM commits WHERE table_id = ? AND version = ?";

    // --- the stored state validation needs ---

    static final String CURRENT_PROTOCOL =
            "SELECT action::text FROM protocol_versions WHERE table_id = ? ORDER BY version DESC LIMIT 1";

    static final String APPEND_ONLY = """
            SELECT action -> 'configuration' ->> 'delta.appendOnly' FROM metadata_versions
            WHERE table_id = ? ORDER BY version DESC LIMIT 1""";

    static final String CURRENT_METADATA =
            "SELECT action::text FROM metadata_versions WHERE table_id = ? ORDER BY version DESC LIMIT 1";

    static final String CURRENT_CONFIGURATION = """
            SELECT (action -> 'configuration')::text FROM metadata_versions
            WHERE table_id = ? ORDER BY version DESC LIMIT 1""";

    // The row-tracking high-water mark: the newest delta.rowTracking domain (one probe of the key).
    static final String ROW_ID_HIGH_WATER_MARK = """
            SELECT configuration FROM domain_metadata
            WHERE table_id = ? AND domain = 'delta.rowTracking' AND NOT removed
            ORDER BY version DESC LIMIT 1""";

    // The live adds at given paths, one probe of files_live_path each.
    static final String LIVE_ADDS = """
            SELECT live.path, live.action FROM unnest(CAST(? AS text[])) AS r(path)
            CROSS JOIN LATERAL (SELECT l.path, l.action FROM files l
              WHERE l.table_id = ? AND l.path = r.path AND l.removed_version IS NULL LIMIT 1) live""";

    // Only when a commit enables row tracking: a walk of the table's live files.
    static final String LIVE_FILES_WITHOUT_ROW_IDS = """
            SELECT count(*) FROM files
            WHERE table_id = ? AND removed_version IS NULL AND strpos(action, '"baseRowId"') = 0""";

    /**
     * A table's state as a commit by name is validated against: its id, location and partition
     * columns, its current version, the number of live files in it, whether it tracks row ids
     * (its plain commits then take the general path, which assigns them), and whether its column
     * mapping mode is {@code id} (the files it takes must carry Parquet field ids: {@link FieldIdCheck}).
     */
    record TableHead(
            TableState state, long currentVersion, long liveFiles, boolean rowTracking, boolean fieldIdsRequired) {}

    private final JdbcClient jdbc;
    private final JsonMapper json = JsonMapper.builder().build();

    TableStateReads(JdbcClient jdbc) {
        this.jdbc = requireNonNull(jdbc, "jdbc");
    }

    /** The state of {@code catalog.schema.name}, or 404 TABLE_NOT_FOUND. */
    TableHead requireHead(String catalog, String schema, String name) {
        return tableHead(catalog, schema, name)
                .orElseThrow(() -> MetadataErrors.tableNotFound(catalog + "." + schema + "." + name));
    }

    /** The state of {@code catalog.schema.name}, or empty when there is no such table. */
    Optional<TableHead> tableHead(String catalog, String schema, String name) {
        return jdbc.sql(TABLE_STATE_BY_NAME)
                .params(catalog, schema, name)
                .query((rs, n) -> new TableHead(
                        new TableState(
                                rs.getObject(1, UUID.class),
                                rs.getString(2),
                                List.of((String[]) rs.getArray(3).getArray()),
                                List.of((String[]) rs.getArray(7).getArray())),
                        rs.getLong(4),
                        rs.getLong(5),
                        rs.getBoolean(6),
                        rs.getBoolean(8)))
                .optional();
    }

    /** The table's current metaData, or empty before its first version. */
    Optional<JsonNode> currentMetadata(UUID tableId) {
        return jdbc.sql(CURRENT_METADATA)
                .param(tableId)
                .query(String.class)
                .optional()
                .map(json::readTree);
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

    /** The table's current configuration (its latest metaData's), or null before its first version. */
    JsonNode currentConfiguration(UUID tableId) {
        return jdbc.sql(CURRENT_CONFIGURATION)
                .param(tableId)
                .query(String.class)
                .optional()
                .map(json::readTree)
                .orElse(null);
    }

    /**
     * The stored state one commit is validated against ({@link StoredStateRules}, {@link
     * RowTracking}, the protocol's no-downgrade rule), each part read when it is first asked for and
     * then kept for the commit: however many rules ask, the protocol and the configuration are read
     * at most once. {@code knownProtocol}: the table's current protocol as the caller read it
     * already, or null.
     */
    Stored stored(UUID tableId, JsonNode knownProtocol) {
        return new Stored(tableId, knownProtocol);
    }

    /** See {@link #stored}. */
    final class Stored implements RowTracking.StoredState {
        private final UUID tableId;
        private JsonNode protocol;
        private JsonNode configuration;
        private boolean configurationRead;

        private Stored(UUID tableId, JsonNode protocol) {
            this.tableId = tableId;
            this.protocol = protocol;
        }

        UUID tableId() {
            return tableId;
        }

        @Override
        public JsonNode protocol() {
            if (protocol == null) {
                protocol = currentProtocol(tableId);
            }
            return protocol;
        }

        @Override
        public JsonNode configuration() {
            if (!configurationRead) {
                configuration = currentConfiguration(tableId);
                configurationRead = true;
            }
            return configuration;
        }

        @Override
        public long highWaterMark() {
            return rowTracking(tableId).highWaterMark();
        }

        @Override
        public Map<String, JsonNode> liveAdds(List<String> paths) {
            return rowTracking(tableId).liveAdds(paths);
        }

        @Override
        public long liveFilesWithoutRowIds() {
            return rowTracking(tableId).liveFilesWithoutRowIds();
        }
    }

    /** The stored state {@link RowTracking} checks a commit against, each part read when it is asked for. */
    RowTracking.StoredState rowTracking(UUID tableId) {
        return new RowTracking.StoredState() {
            @Override
            public JsonNode protocol() {
                return currentProtocol(tableId);
            }

            @Override
            public JsonNode configuration() {
                return currentConfiguration(tableId);
            }

            @Override
            public long highWaterMark() {
                return RowTracking.storedMark(jdbc.sql(ROW_ID_HIGH_WATER_MARK)
                        .param(tableId)
                        .query(String.class)
                        .optional()
                        .orElse(null));
            }

            @Override
            public Map<String, JsonNode> liveAdds(List<String> paths) {
                Map<String, JsonNode> adds = new HashMap<>();
                jdbc.sql(LIVE_ADDS)
                        .params(paths.toArray(String[]::new), tableId)
                        .query(rs -> {
                            adds.put(rs.getString(1), json.readTree(rs.getString(2)));
                        });
                return adds;
            }

            @Override
            public long liveFilesWithoutRowIds() {
                return jdbc.sql(LIVE_FILES_WITHOUT_ROW_IDS)
                        .param(tableId)
                        .query(Long.class)
                        .single();
            }
        };
    }

    /** The latest metaData's {@code delta.appendOnly} setting, if any. */
    Optional<String> appendOnly(UUID tableId) {
        return jdbc.sql(APPEND_ONLY).param(tableId).query(String.class).optional();
    }
}
