package io.deltaplane.lineage.snapshot;

import static java.util.Objects.requireNonNull;

import io.deltaplane.lineage.common.SetWrite;
import io.deltaplane.lineage.common.Times;
import io.deltaplane.lineage.dataset.TableRepository;
import io.deltaplane.lineage.snapshot.SnapshotRecords.RunInput;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.support.SqlArrayValue;
import org.springframework.stereotype.Repository;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

@Repository
public class SnapshotRepository {

    private static final String COLUMNS = "s.id, t.name AS table_name, s.uri, s.format, s.schema::text AS schema,"
            + " s.created_at, s.version, s.run_id, j.name AS job_name";
    private static final String FROM = " FROM snapshots s JOIN tracked_tables t ON t.id = s.table_id"
            + " LEFT JOIN runs r ON r.id = s.run_id LEFT JOIN jobs j ON j.id = r.job_id";

    /** The unique index {@link #INSERT} and {@link #INSERT_VERSIONS} conflict on (V9). */
    private static final String VERSION_KEY = "(table_id, version, md5(uri)) WHERE version IS NOT NULL";

    // A versioned snapshot is stored once per (table, version, location): a repeat inserts nothing; the
    // same name at another location is a table made again there (V9).
    static final String INSERT = "INSERT INTO snapshots (table_id, uri, format, schema, version, run_id, created_at,"
            + " source) VALUES (:table, :uri, :format, CAST(:schema AS jsonb), :version, :run, :created, :source)"
            + " ON CONFLICT " + VERSION_KEY + " DO NOTHING RETURNING id";
    // Many versions in one statement; sorted so concurrent batches take index locks in one order.
    static final String INSERT_VERSIONS = "INSERT INTO snapshots (table_id, uri, format, schema, version, run_id,"
            + " created_at, source) SELECT u.table_id, u.uri, u.format, CAST(u.schema AS jsonb), u.version,"
            + " CAST(u.run_id AS uuid), CAST(u.created_at AS timestamptz), :source"
            + " FROM unnest(CAST(:tables AS bigint[]), CAST(:uris AS text[]), CAST(:formats AS text[]),"
            + " CAST(:schemas AS text[]), CAST(:versions AS bigint[]), CAST(:runs AS text[]),"
            + " CAST(:created AS text[])) AS u(table_id, uri, format, schema, version, run_id, created_at)"
            + " ORDER BY u.table_id, u.version, u.uri"
            + " ON CONFLICT " + VERSION_KEY + " DO NOTHING RETURNING id, table_id, version, uri";
    static final String BY_VERSIONS = "SELECT s.id, s.table_id, s.version, s.uri FROM snapshots s"
            + " JOIN unnest(CAST(:tables AS bigint[]), CAST(:versions AS bigint[]), CAST(:uris AS text[]))"
            + " AS k(table_id, version, uri) ON s.table_id = k.table_id AND s.version = k.version"
            + " AND md5(s.uri) = md5(k.uri) AND s.uri = k.uri";
    static final String BY_ID = "SELECT " + COLUMNS + FROM + " WHERE s.id = :id";
    static final String BY_VERSION = "SELECT s.id, s.run_id FROM snapshots s WHERE s.table_id = :table"
            + " AND s.version = :version AND md5(s.uri) = md5(:uri) AND s.uri = :uri";
    static final String CLAIM_WRITER = "UPDATE snapshots SET run_id = :run WHERE id = :id AND run_id IS NULL";
    // A table's versions are its history (the relay may deliver them after a job registered an
    // unversioned snapshot of the same write): the highest version at the table's current location
    // wins; unversioned snapshots only when the table has no version at all.
    static final String LATEST = "SELECT " + COLUMNS + FROM + " WHERE s.table_id = :table AND (s.version IS NULL"
            + " OR s.uri = " + TableRepository.currentLocation(":table") + ")"
            + " ORDER BY s.version IS NULL, s.version DESC, s.created_at DESC, s.id DESC LIMIT 1";
    static final String HISTORY = "SELECT " + COLUMNS + FROM
            + " WHERE s.table_id = :table AND (CAST(:before AS bigint) IS NULL OR s.id < :before)"
            + " ORDER BY s.id DESC LIMIT :limit";
    static final String WRITTEN_BY = "SELECT " + COLUMNS + FROM + " WHERE s.run_id = :run ORDER BY s.id";
    static final String RECORD_INPUT = "INSERT INTO run_inputs (run_id, table_id, snapshot_id, read_at)"
            + " VALUES (:run, :table, :snapshot, :now) ON CONFLICT DO NOTHING";
    // Set-based, for a batch of OpenLineage events (OpenLineageBatchWriter).
    static final String WRITTEN_BY_ANY =
            "SELECT run_id, table_id FROM snapshots WHERE run_id = ANY (CAST(:runs AS uuid[]))";
    static final String INSERT_WRITES = "INSERT INTO snapshots (table_id, uri, format, schema, run_id, created_at,"
            + " source) SELECT u.table_id, u.uri, u.format, CAST(u.schema AS jsonb), CAST(u.run_id AS uuid), :now,"
            + " 'openlineage' FROM unnest(CAST(:tables AS bigint[]), CAST(:uris AS text[]), CAST(:formats AS text[]),"
            + " CAST(:schemas AS text[]), CAST(:runs AS text[])) WITH ORDINALITY"
            + " AS u(table_id, uri, format, schema, run_id, n) ORDER BY u.n RETURNING id, table_id, run_id";
    static final String INSERT_INPUTS = "INSERT INTO run_inputs (run_id, table_id, snapshot_id, read_at)"
            + " SELECT CAST(u.run_id AS uuid), u.table_id, u.snapshot_id, :now FROM unnest(CAST(:runs AS text[]),"
            + " CAST(:tables AS bigint[]), CAST(:snapshots AS bigint[])) AS u(run_id, table_id, snapshot_id)"
            + " ORDER BY 1, 2, 3 ON CONFLICT DO NOTHING";

    /** A snapshot a run wrote (an OpenLineage output): unversioned, its schema as JSON text or null. */
    public record RunWrite(long tableId, String uri, String format, String schema, UUID runId) {}

    /** A run read a table at a snapshot (null: the table had none). */
    public record RunRead(UUID runId, long tableId, Long snapshotId) {}

    static final String INPUTS = "SELECT t.name AS table_name, i.snapshot_id, s.uri, s.format, s.version, i.read_at"
            + " FROM run_inputs i JOIN tracked_tables t ON t.id = i.table_id"
            + " LEFT JOIN snapshots s ON s.id = i.snapshot_id WHERE i.run_id = :run ORDER BY i.read_at, t.name";

    private final JdbcClient jdbc;
    private final JsonMapper json;

    public SnapshotRepository(JdbcClient jdbc, JsonMapper json) {
        this.jdbc = requireNonNull(jdbc, "jdbc");
        this.json = requireNonNull(json, "json");
    }

    /** Stores a snapshot; empty when a snapshot of that (table, version, uri) already exists. */
    public Optional<Long> insert(
            long tableId,
            String uri,
            String format,
            JsonNode schema,
            Long version,
            UUID runId,
            Instant createdAt,
            String source) {
        return jdbc.sql(INSERT)
                .param("table", tableId)
                .param("uri", uri)
                .param("format", format)
                .param("schema", schema == null || schema.isNull() ? null : json.writeValueAsString(schema))
                .param("version", version)
                .param("run", runId)
                .param("created", Times.utc(createdAt))
                .param("source", source)
                .query(Long.class)
                .optional();
    }

    /** A versioned snapshot to store; {@code schema} is JSON text or null. */
    public record NewVersion(
            long tableId, String uri, String format, String schema, long version, UUID runId, Instant createdAt) {}

    /** Identifies a versioned snapshot: a version of the table at a location. */
    public record VersionKey(long tableId, long version, String uri) {}

    /**
     * Stores many versioned snapshots at once; answers the ids of those stored now. A (table,
     * version) already stored, or listed twice, is stored once.
     */
    public Map<VersionKey, Long> insertVersions(List<NewVersion> rows, String source) {
        Map<VersionKey, Long> inserted = new HashMap<>();
        if (rows.isEmpty()) {
            return inserted;
        }
        int n = rows.size();
        Long[] tableIds = new Long[n];
        String[] uris = new String[n];
        String[] formats = new String[n];
        String[] schemas = new String[n];
        Long[] versions = new Long[n];
        String[] runs = new String[n];
        String[] created = new String[n];
        for (int i = 0; i < n; i++) {
            NewVersion row = rows.get(i);
            tableIds[i] = row.tableId();
            uris[i] = row.uri();
            formats[i] = row.format();
            schemas[i] = row.schema();
            versions[i] = row.version();
            runs[i] = row.runId() == null ? null : row.runId().toString();
            created[i] = row.createdAt().toString();
        }
        jdbc.sql(INSERT_VERSIONS)
                .param("tables", new SqlArrayValue("bigint", (Object[]) tableIds))
                .param("uris", new SqlArrayValue("text", (Object[]) uris))
                .param("formats", new SqlArrayValue("text", (Object[]) formats))
                .param("schemas", new SqlArrayValue("text", (Object[]) schemas))
                .param("versions", new SqlArrayValue("bigint", (Object[]) versions))
                .param("runs", new SqlArrayValue("text", (Object[]) runs))
                .param("created", new SqlArrayValue("text", (Object[]) created))
                .param("source", source)
                .query(rs -> {
                    inserted.put(
                            new VersionKey(rs.getLong("table_id"), rs.getLong("version"), rs.getString("uri")),
                            rs.getLong("id"));
                });
        return inserted;
    }

    /** The ids of the given versioned snapshots that exist. */
    public Map<VersionKey, Long> findVersions(Collection<VersionKey> keys) {
        Map<VersionKey, Long> found = new HashMap<>();
        if (keys.isEmpty()) {
            return found;
        }
        Long[] tableIds = keys.stream().map(VersionKey::tableId).toArray(Long[]::new);
        Long[] versions = keys.stream().map(VersionKey::version).toArray(Long[]::new);
        String[] uris = keys.stream().map(VersionKey::uri).toArray(String[]::new);
        jdbc.sql(BY_VERSIONS)
                .param("tables", new SqlArrayValue("bigint", (Object[]) tableIds))
                .param("versions", new SqlArrayValue("bigint", (Object[]) versions))
                .param("uris", new SqlArrayValue("text", (Object[]) uris))
                .query(rs -> {
                    found.put(
                            new VersionKey(rs.getLong("table_id"), rs.getLong("version"), rs.getString("uri")),
                            rs.getLong("id"));
                });
        return found;
    }

    /** JSON text of a schema for {@link NewVersion}; null for none. */
    public String schemaText(JsonNode schema) {
        return schema == null || schema.isNull() ? null : json.writeValueAsString(schema);
    }

    public record Existing(long id, UUID runId) {}

    public Optional<Existing> findVersion(long tableId, long version, String uri) {
        return jdbc.sql(BY_VERSION)
                .param("table", tableId)
                .param("version", version)
                .param("uri", uri)
                .query((rs, n) -> new Existing(rs.getLong("id"), rs.getObject("run_id", UUID.class)))
                .optional();
    }

    /** Makes {@code runId} the writer of a snapshot that has none yet; false if it already has one. */
    public boolean claimWriter(long snapshotId, UUID runId) {
        return jdbc.sql(CLAIM_WRITER)
                        .param("id", snapshotId)
                        .param("run", runId)
                        .update()
                == 1;
    }

    public Snapshot get(long id) {
        return jdbc.sql(BY_ID).param("id", id).query(this::map).single();
    }

    public Optional<Snapshot> latest(long tableId) {
        return jdbc.sql(LATEST).param("table", tableId).query(this::map).optional();
    }

    public List<Snapshot> history(long tableId, Long beforeId, int limit) {
        return jdbc.sql(HISTORY)
                .param("table", tableId)
                .param("before", beforeId)
                .param("limit", limit)
                .query(this::map)
                .list();
    }

    public List<Snapshot> writtenBy(UUID runId) {
        return jdbc.sql(WRITTEN_BY).param("run", runId).query(this::map).list();
    }

    public void recordInput(UUID runId, long tableId, Long snapshotId, Instant now) {
        jdbc.sql(RECORD_INPUT)
                .param("run", runId)
                .param("table", tableId)
                .param("snapshot", snapshotId)
                .param("now", Times.utc(now))
                .update();
    }

    /** The (run, table) pairs among {@code runs}' snapshots, as {@code runId + "/" + tableId}. */
    public java.util.Set<String> writtenByAny(Collection<UUID> runs) {
        java.util.Set<String> pairs = new java.util.HashSet<>();
        jdbc.sql(WRITTEN_BY_ANY)
                .param("runs", SetWrite.uuids(new java.util.TreeSet<>(runs)))
                .query((org.springframework.jdbc.core.RowCallbackHandler)
                        rs -> pairs.add(rs.getObject("run_id", UUID.class) + "/" + rs.getLong("table_id")));
        return pairs;
    }

    /** Stores snapshots runs wrote, in order; the statement returns {@code id, table_id, run_id}. */
    public SetWrite insertWrites(List<RunWrite> writes, Instant now) {
        return new SetWrite(
                INSERT_WRITES,
                Map.of(
                        "tables",
                                SetWrite.array(
                                        "bigint",
                                        writes.stream().map(RunWrite::tableId).toList()),
                        "uris",
                                SetWrite.array(
                                        "text",
                                        writes.stream().map(RunWrite::uri).toList()),
                        "formats",
                                SetWrite.array(
                                        "text",
                                        writes.stream().map(RunWrite::format).toList()),
                        "schemas",
                                SetWrite.array(
                                        "text",
                                        writes.stream().map(RunWrite::schema).toList()),
                        "runs",
                                SetWrite.uuids(
                                        writes.stream().map(RunWrite::runId).toList()),
                        "now", Times.utc(now)));
    }

    /** Records what runs read (a read already recorded is kept as it was). */
    public SetWrite insertReads(List<RunRead> reads, Instant now) {
        return new SetWrite(
                INSERT_INPUTS,
                Map.of(
                        "runs",
                                SetWrite.uuids(
                                        reads.stream().map(RunRead::runId).toList()),
                        "tables",
                                SetWrite.array(
                                        "bigint",
                                        reads.stream().map(RunRead::tableId).toList()),
                        "snapshots",
                                SetWrite.array(
                                        "bigint",
                                        reads.stream().map(RunRead::snapshotId).toList()),
                        "now", Times.utc(now)));
    }

    public List<RunInput> inputsOf(UUID runId) {
        return jdbc.sql(INPUTS)
                .param("run", runId)
                .query((rs, n) -> new RunInput(
                        rs.getString("table_name"),
                        (Long) rs.getObject("snapshot_id"),
                        rs.getString("uri"),
                        rs.getString("format"),
                        (Long) rs.getObject("version"),
                        rs.getObject("read_at", OffsetDateTime.class).toInstant()))
                .list();
    }

    private Snapshot map(ResultSet rs, int row) throws SQLException {
        String schema = rs.getString("schema");
        return new Snapshot(
                rs.getLong("id"),
                rs.getString("table_name"),
                rs.getString("uri"),
                rs.getString("format"),
                schema == null ? null : json.readTree(schema),
                rs.getObject("created_at", OffsetDateTime.class).toInstant(),
                (Long) rs.getObject("version"),
                rs.getObject("run_id", UUID.class),
                rs.getString("job_name"));
    }
}
