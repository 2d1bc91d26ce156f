package io.deltaplane.metadata.managed;

import static java.util.Objects.requireNonNull;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * The one writer of {@code unity_tables} (staged and finalized catalog-managed tables) and {@code
 * catalog_commits} (the staged commit each ratified version came from, and its ratified bytes).
 */
@Repository
public class CatalogManagedTables {

    /** A table id and location handed out for an engine's create; {@code tableId} once finalized. */
    public record StagedTable(
            UUID unityId, String catalog, String schema, String name, String location, UUID tableId, String stagedBy) {}

    static final String STAGED_COLUMNS =
            "SELECT unity_id, catalog, schema, name, location, table_id, staged_by FROM unity_tables";
    static final String STAGED_BY_NAME =
            STAGED_COLUMNS + " WHERE catalog = ? AND schema = ? AND name = ?" + " AND table_id IS NULL";
    static final String STAGED_BY_LOCATION = STAGED_COLUMNS + " WHERE location = ?";
    static final String STAGED_BY_ID = STAGED_COLUMNS + " WHERE unity_id = ?";
    static final String STAGED_BY_TABLE = STAGED_COLUMNS + " WHERE table_id = ?";
    static final String INSERT_STAGED =
            "INSERT INTO unity_tables (unity_id, catalog, schema, name, location, staged_at, staged_by)"
                    + " VALUES (?, ?, ?, ?, ?, ?, ?)";
    static final String FINALIZE = "UPDATE unity_tables SET table_id = ? WHERE unity_id = ? AND table_id IS NULL";
    static final String INSERT_COMMIT = "INSERT INTO catalog_commits (table_id, version, file_name, file_size,"
            + " file_modification_time, commit_timestamp, content) VALUES (?, ?, ?, ?, ?, ?, ?)";
    static final String COMMIT_COLUMNS =
            "SELECT version, commit_timestamp, file_name, file_size, file_modification_time FROM catalog_commits";
    static final String COMMIT_AT = COMMIT_COLUMNS + " WHERE table_id = ? AND version = ?";
    static final String COMMITS_BETWEEN =
            COMMIT_COLUMNS + " WHERE table_id = ? AND version > ? AND version <= ? ORDER BY version";
    /** History pruning: the versions before the table's history start are no longer Postgres's. */
    static final String FORGET_COMMITS_BEFORE = "DELETE FROM catalog_commits WHERE table_id = ? AND version < ?";

    private final JdbcClient jdbc;

    public CatalogManagedTables(JdbcClient jdbc) {
        this.jdbc = requireNonNull(jdbc, "jdbc");
    }

    public void stage(StagedTable table, Instant at) {
        jdbc.sql(INSERT_STAGED)
                .params(
                        table.unityId(),
                        table.catalog(),
                        table.schema(),
                        table.name(),
                        table.location(),
                        Timestamp.from(at),
                        table.stagedBy())
                .update();
    }

    /** An earlier staging of the same name not finalized yet: staging again answers it. */
    public Optional<StagedTable> stagedByName(String catalog, String schema, String name) {
        return jdbc.sql(STAGED_BY_NAME)
                .params(catalog, schema, name)
                .query(this::staged)
                .optional();
    }

    public Optional<StagedTable> byLocation(String location) {
        return jdbc.sql(STAGED_BY_LOCATION).param(location).query(this::staged).optional();
    }

    public Optional<StagedTable> byUnityId(UUID unityId) {
        return jdbc.sql(STAGED_BY_ID).param(unityId).query(this::staged).optional();
    }

    /** The UC table id of a table created through the Delta API, if it was. */
    public Optional<StagedTable> byTable(UUID tableId) {
        return jdbc.sql(STAGED_BY_TABLE).param(tableId).query(this::staged).optional();
    }

    public boolean finalized(UUID unityId, UUID tableId) {
        return jdbc.sql(FINALIZE).params(tableId, unityId).update() == 1;
    }

    /**
     * Forgets the staged commits of the versions before {@code start} (history pruning, below the
     * log's first version: never read again, neither to publish nor to reconcile); how many.
     */
    public long forgetCommitsBefore(UUID tableId, long start) {
        return jdbc.sql(FORGET_COMMITS_BEFORE).params(tableId, start).update();
    }

    /**
     * Inside the committing transaction: version {@code commit.version()} came from a staged file
     * whose bytes, as read once and validated, are {@code content} — what is published as {@code
     * <version>.json}, whatever the engine does to its staged file afterwards.
     */
    public void recordCommit(UUID tableId, CatalogCommit commit, byte[] content) {
        jdbc.sql(INSERT_COMMIT)
                .params(
                        tableId,
                        commit.version(),
                        commit.fileName(),
                        commit.fileSize(),
                        commit.fileModificationTimestamp(),
                        commit.timestamp(),
                        content)
                .update();
    }

    public Optional<CatalogCommit> commit(UUID tableId, long version) {
        return jdbc.sql(COMMIT_AT).params(tableId, version).query(this::commit).optional();
    }

    /** The staged commits ratified after {@code after} up to {@code upTo}, ascending. */
    public List<CatalogCommit> commits(UUID tableId, long after, long upTo) {
        return jdbc.sql(COMMITS_BETWEEN)
                .params(tableId, after, upTo)
                .query(this::commit)
                .list();
    }

    private StagedTable staged(java.sql.ResultSet rs, int row) throws java.sql.SQLException {
        return new StagedTable(
                rs.getObject(1, UUID.class),
                rs.getString(2),
                rs.getString(3),
                rs.getString(4),
                rs.getString(5),
                rs.getObject(6, UUID.class),
                rs.getString(7));
    }

    private CatalogCommit commit(java.sql.ResultSet rs, int row) throws java.sql.SQLException {
        return new CatalogCommit(rs.getLong(1), rs.getLong(2), rs.getString(3), rs.getLong(4), rs.getLong(5));
    }
}
