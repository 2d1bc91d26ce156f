package io.deltaplane.lineage.provenance;

import static java.util.Objects.requireNonNull;

import io.deltaplane.lineage.dataset.DatasetRef;
import io.deltaplane.lineage.provenance.VersionLineage.RunRef;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

@Repository
public class VersionLineageRepository {

    static final String VERSION = "SELECT s.id, s.uri, s.format, s.created_at, s.run_id, j.name AS job_name"
            + " FROM snapshots s JOIN tracked_tables t ON t.id = s.table_id LEFT JOIN runs r ON r.id = s.run_id"
            + " LEFT JOIN jobs j ON j.id = r.job_id WHERE t.id = (" + DatasetRef.RESOLVE_ID
            + ") AND s.version = :version"
            // a table made again at another location has a version v at both: the newer one answers
            + " ORDER BY s.id DESC LIMIT 1";
    static final String READERS = "SELECT i.run_id, j.name AS job_name, i.read_at FROM run_inputs i"
            + " JOIN runs r ON r.id = i.run_id JOIN jobs j ON j.id = r.job_id WHERE i.snapshot_id = :snapshot"
            + " ORDER BY i.read_at, i.run_id LIMIT :limit";
    static final String TABLE_EXISTS = "SELECT count(*) FROM (" + DatasetRef.RESOLVE_ID + ") t";

    private final JdbcClient jdbc;

    public VersionLineageRepository(JdbcClient jdbc) {
        this.jdbc = requireNonNull(jdbc, "jdbc");
    }

    /** The stored version and its writer, if any. */
    public record Written(long snapshotId, String uri, String format, OffsetDateTime createdAt, RunRef producedBy) {}

    public boolean tableExists(String table) {
        DatasetRef ref = DatasetRef.parse(table);
        return jdbc.sql(TABLE_EXISTS)
                        .param("namespace", ref.namespace())
                        .param("name", ref.name())
                        .query(Long.class)
                        .single()
                > 0;
    }

    public Optional<Written> version(String table, long version) {
        DatasetRef ref = DatasetRef.parse(table);
        return jdbc.sql(VERSION)
                .param("namespace", ref.namespace())
                .param("name", ref.name())
                .param("version", version)
                .query((rs, n) -> {
                    OffsetDateTime created = rs.getObject("created_at", OffsetDateTime.class);
                    UUID run = rs.getObject("run_id", UUID.class);
                    return new Written(
                            rs.getLong("id"),
                            rs.getString("uri"),
                            rs.getString("format"),
                            created,
                            run == null ? null : new RunRef(run, rs.getString("job_name"), created.toInstant()));
                })
                .optional();
    }

    public List<RunRef> readers(long snapshotId, int limit) {
        return jdbc.sql(READERS)
                .param("snapshot", snapshotId)
                .param("limit", limit)
                .query((rs, n) -> new RunRef(
                        rs.getObject("run_id", UUID.class),
                        rs.getString("job_name"),
                        rs.getObject("read_at", OffsetDateTime.class).toInstant()))
                .list();
    }
}
