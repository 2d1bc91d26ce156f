package io.deltaplane.metadata.deltalog;

import static java.util.Objects.requireNonNull;

import io.deltaplane.metadata.delta.V2Checkpoints;
import io.deltaplane.storage.Storage;
import io.deltaplane.storage.Storages;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import javax.sql.DataSource;
import org.apache.hadoop.conf.Configuration;
import org.apache.parquet.hadoop.ParquetFileWriter;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.api.WriteSupport;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.apache.parquet.io.OutputFile;
import org.apache.parquet.schema.MessageType;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * Writes the classic-named single-file Parquet checkpoint of a version (V2-spec, with its {@code
 * checkpointMetadata}, for a table with the {@code v2Checkpoint} feature), and {@code _last_checkpoint},
 * straight from Postgres: one query streams the version's protocol, metaData, app transactions,
 * domain metadata, live files and unexpired {@code remove} tombstones (every file removed at or
 * before the version whose removal is younger than {@code delta.deletedFileRetentionDuration},
 * default one week, however old the previous checkpoint is), and each row becomes one checkpoint
 * row. Memory is bounded by the cursor's fetch size and Parquet's row group, not by the table.
 */
@Component
public class DeltaLogCheckpointWriter {

    // One statement, one snapshot of the tables. Kinds are the checkpoint's column names.
    // Tombstones find their commit and live successor by LATERAL ... LIMIT 1 (one probe each): as a
    // join and NOT EXISTS, the cached generic plan read all the table's commits and files per
    // tombstone (CheckpointTombstonesLookupTest). The latest txn per app is found by a loose index
    // scan of the primary key (table_id, app_id, version): one probe for the next app_id and one for
    // its newest version at or before :version, two index entries per app. DISTINCT ON read every
    // txn row of the table, one per commit of a streaming writer (AppTxnsLookupTest).
    // The adds of the table's current version are exactly its removed_version IS NULL rows, which
    // files_live_path lists without a removed row; an older version needs the added/removed bounds,
    // which walk every removed file of the table too. The gate (current_version = :version, in this
    // statement's snapshot; a scalar sub-select, which Postgres always runs once as an InitPlan, so the
    // branch not taken is skipped in every plan — an EXISTS once let a custom plan scan both) picks one of
    // the two branches, so a commit landing after the checkpoint was claimed changes nothing but
    // the branch: the same adds either way (CheckpointAddsLookupTest).
    // Tombstones are looked for only from the first version committed within the retention period
    // (one probe of commits_by_time): committed_at grows with the version in every table, since the
    // one compare-and-swap that writes each version, imports included, sets it to GREATEST(now,
    // previous + 1 ms) (CommitRepository.APPEND), so no earlier version's removes can be retained.
    // Without the bound every removed file of the table was read at each checkpoint, the expired
    // ones of all its history too (CheckpointTombstonesLookupTest).
    // A file is its path and deletion vector (Delta's (path, dvId)): a path whose vector changed has
    // a tombstone per vector removed, and only a live file with the same vector hides one. The
    // vector is parsed only from rows that name one.
    static final String STATE_AT = """
            WITH RECURSIVE md AS (
                SELECT action FROM metadata_versions
                WHERE table_id = :tableId AND version <= :version ORDER BY version DESC LIMIT 1),
            retention AS (
                SELECT md.action -> 'configuration' ->> 'delta.deletedFileRetentionDuration' AS setting FROM md),
            retained AS (
                -- only what Postgres reads as an interval (commits refuse other values; a table stored
                -- before that takes Delta's default week), at most a century
                SELECT now() - least(coalesce(CASE
                        WHEN setting ~* '^\\s*(interval\\s+)?[0-9]{1,6}\\s*(microseconds?|milliseconds?|seconds?|minutes?|hours?|days?|weeks?)\\s*$'
                        THEN CAST(regexp_replace(setting, '^\\s*interval\\s+', '', 'i') AS interval) END,
                        interval '1 week'), interval '100 years') AS since
                FROM retention),
            first_retained AS (
                SELECT coalesce((SELECT k.version FROM commits k
                                 WHERE k.table_id = :tableId AND k.committed_at >= (SELECT since FROM retained)
                                 ORDER BY k.committed_at LIMIT 1), :version + 1) AS version),
            apps AS (
                (SELECT app_id FROM app_txns WHERE table_id = :tableId ORDER BY app_id LIMIT 1)
                UNION ALL
                SELECT (SELECT n.app_id FROM app_txns n
                        WHERE n.table_id = :tableId AND n.app_id > apps.app_id ORDER BY n.app_id LIMIT 1)
                FROM apps WHERE apps.app_id IS NOT NULL)
            (SELECT 'protocol' AS kind, action::text AS action, NULL::bigint AS deleted_at
             FROM protocol_versions WHERE table_id = :tableId AND version <= :version
             ORDER BY version DESC LIMIT 1)
            UNION ALL
            SELECT 'metaData', action::text, NULL FROM md
            UNION ALL
            SELECT 'txn', json_build_object('appId', app_id, 'version', txn_version,
                                            'lastUpdated', last_updated)::text, NULL
            FROM apps
            CROSS JOIN LATERAL (SELECT a.txn_version, a.last_updated FROM app_txns a
                                WHERE a.table_id = :tableId AND a.app_id = apps.app_id AND a.version <= :version
                                ORDER BY a.version DESC LIMIT 1) t
            UNION ALL
            SELECT 'domainMetadata', json_build_object('domain', domain, 'configuration', configuration,
                                                       'removed', false)::text, NULL
            FROM (SELECT DISTINCT ON (domain) domain, configuration, removed FROM domain_metadata
                  WHERE table_id = :tableId AND version <= :version ORDER BY domain, version DESC) d
            WHERE NOT d.removed
            UNION ALL
            SELECT 'add', action, NULL FROM files
            WHERE table_id = :tableId AND removed_version IS NULL
              AND (SELECT current_version FROM tables WHERE id = :tableId) = :version
            UNION ALL
            SELECT 'add', action, NULL FROM files
            WHERE table_id = :tableId AND added_version <= :version
              AND (removed_version IS NULL OR removed_version > :version)
              AND (SELECT current_version FROM tables WHERE id = :tableId) IS DISTINCT FROM :version
            UNION ALL
            SELECT 'remove', r.action, (extract(epoch FROM c.committed_at) * 1000)::bigint
            FROM (SELECT DISTINCT ON (path, dv) path, dv, action, removed_version
                  FROM (SELECT path, action, removed_version, CASE WHEN strpos(action, '"deletionVector"') > 0
                          THEN CAST(action AS jsonb) -> 'deletionVector' END AS dv FROM files
                        WHERE table_id = :tableId AND removed_version <= :version
                          AND removed_version >= (SELECT version FROM first_retained)) removed
                  ORDER BY path, dv, removed_version DESC) r
            CROSS JOIN retained
            CROSS JOIN LATERAL (SELECT k.committed_at FROM commits k
                                WHERE k.table_id = :tableId AND k.version = r.removed_version LIMIT 1) c
            LEFT JOIN LATERAL (SELECT true AS live FROM files l
                               WHERE l.table_id = :tableId AND l.path = r.path AND l.added_version <= :version
                                 AND (l.removed_version IS NULL OR l.removed_version > :version)
                                 AND (CASE WHEN strpos(l.action, '"deletionVector"') > 0
                                        THEN CAST(l.action AS jsonb) -> 'deletionVector' END)
                                     IS NOT DISTINCT FROM r.dv
                               LIMIT 1) successor ON true
            WHERE c.committed_at >= retained.since AND successor.live IS NULL
            """;

    /** The protocol in force at a version: a table with v2Checkpoint gets V2-spec checkpoints. */
    static final String PROTOCOL_AT = """
            SELECT action::text FROM protocol_versions WHERE table_id = :tableId AND version <= :version
            ORDER BY version DESC LIMIT 1""";

    private static final int FETCH_SIZE = 2_000;
    private static final int ROW_GROUP_BYTES = 32 * 1024 * 1024;
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final NamedParameterJdbcTemplate jdbc;
    private final TransactionTemplate readOnly;
    private final Storages storages;

    public DeltaLogCheckpointWriter(DataSource dataSource, PlatformTransactionManager transactions, Storages storages) {
        JdbcTemplate streaming = new JdbcTemplate(requireNonNull(dataSource, "dataSource"));
        streaming.setFetchSize(FETCH_SIZE); // a cursor: pgjdbc streams only inside a transaction
        this.jdbc = new NamedParameterJdbcTemplate(streaming);
        this.readOnly = new TransactionTemplate(requireNonNull(transactions, "transactions"));
        this.readOnly.setReadOnly(true);
        this.storages = requireNonNull(storages, "storages");
    }

    /** What a written checkpoint holds, as {@code _last_checkpoint} says it. */
    public record LastCheckpoint(long version, long size, long sizeInBytes, long numOfAddFiles) {

        byte[] json() {
            return ("{\"version\":" + version + ",\"size\":" + size + ",\"sizeInBytes\":" + sizeInBytes
                            + ",\"numOfAddFiles\":" + numOfAddFiles + "}")
                    .getBytes(StandardCharsets.UTF_8);
        }
    }

    /**
     * Writes the checkpoint of {@code version} and points {@code _last_checkpoint} at it (unless it
     * already points at a newer one). Empty if the checkpoint file already existed: an earlier
     * attempt wrote it, and readers find it by listing.
     */
    public Optional<LastCheckpoint> write(UUID tableId, String location, long version) throws IOException {
        Storage storage = storages.forLocation(location);
        String path = storage.resolve(location, DeltaLogNames.checkpointFile(version));
        boolean v2 = V2Checkpoints.supported(JSON.readTree(
                jdbc.queryForObject(PROTOCOL_AT, Map.of("tableId", tableId, "version", version), String.class)));
        LastCheckpoint[] written = new LastCheckpoint[1];
        boolean created = storage.putIfAbsent(path, out -> {
            StreamOutputFile file = new StreamOutputFile(out, path);
            long[] counts = new long[2];
            try (ParquetWriter<CheckpointSchema.Action> parquet =
                    new Builder(file, v2 ? CheckpointSchema.SCHEMA_V2 : CheckpointSchema.SCHEMA).build()) {
                readOnly.executeWithoutResult(tx ->
                        jdbc.query(STATE_AT, Map.of("tableId", tableId, "version", version), rs -> {
                            String kind = rs.getString(1);
                            JsonNode body = JSON.readTree(rs.getString(2));
                            if (kind.equals("add")) {
                                counts[1]++;
                            } else if (kind.equals("remove")) {
                                body = tombstone((ObjectNode) body, rs.getLong(3));
                            } else if (!kind.equals("txn") && !kind.equals("domainMetadata")) {
                                body = body.get(kind) != null && body.size() == 1 ? body.get(kind) : body;
                            }
                            try {
                                parquet.write(new CheckpointSchema.Action(kind, body));
                            } catch (IOException e) {
                                throw new UncheckedIOException(e);
                            }
                            counts[0]++;
                        }));
                if (v2) {
                    // V2 spec: the checkpoint says which version it is (no sidecars: it holds every action)
                    parquet.write(new CheckpointSchema.Action(
                            "checkpointMetadata", JSON.createObjectNode().put("version", version)));
                    counts[0]++;
                }
            }
            written[0] = new LastCheckpoint(version, counts[0], file.size(), counts[1]);
        });
        if (!created) {
            return Optional.empty();
        }
        LastCheckpoint last = written[0];
        String pointer = storage.resolve(location, DeltaLogNames.LOG_DIR + "/" + DeltaLogNames.LAST_CHECKPOINT);
        Optional<byte[]> current = storage.read(pointer);
        if (current.isEmpty() || JSON.readTree(current.get()).path("version").asLong(-1) < version) {
            storage.put(pointer, out -> out.write(last.json()));
        }
        return Optional.of(last);
    }

    /** The remove action for a file's add, removed at {@code deletedAt} (epoch millis). */
    private static ObjectNode tombstone(ObjectNode add, long deletedAt) {
        ObjectNode remove = JSON.createObjectNode();
        remove.set("path", add.get("path"));
        remove.put("deletionTimestamp", deletedAt);
        remove.put("dataChange", true);
        remove.put("extendedFileMetadata", true);
        for (String field : new String[] {
            "partitionValues", "size", "tags", "deletionVector", "baseRowId", "defaultRowCommitVersion"
        }) {
            JsonNode value = add.get(field);
            if (value != null) {
                remove.set(field, value);
            }
        }
        return remove;
    }

    private static final class Builder extends ParquetWriter.Builder<CheckpointSchema.Action, Builder> {

        private final MessageType schema;

        Builder(OutputFile file, MessageType schema) {
            super(file);
            this.schema = schema;
            withConf(new Configuration(false));
            withWriteMode(ParquetFileWriter.Mode.OVERWRITE);
            withCompressionCodec(CompressionCodecName.SNAPPY);
            withRowGroupSize((long) ROW_GROUP_BYTES);
            withDictionaryEncoding(true);
        }

        @Override
        protected Builder self() {
            return this;
        }

        @Override
        protected WriteSupport<CheckpointSchema.Action> getWriteSupport(Configuration conf) {
            return new CheckpointSchema.Support(schema);
        }
    }
}
