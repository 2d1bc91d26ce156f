package io.deltaplane.lineage.artifact;

import static java.util.Objects.requireNonNull;

import io.deltaplane.lineage.common.Times;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

@Repository
public class ArtifactRepository {

    // Serialises the recording of one URI's uploads: each checks under it that the name still holds
    // its bytes before writing the row, so the last upload in place is the one recorded.
    public static final String LOCK_URI = "SELECT pg_advisory_xact_lock(hashtextextended(:uri, 0))";
    static final String UPSERT = "INSERT INTO artifacts (uri, bucket, object_key, size, sha256, content_type,"
            + " created_at) VALUES (:uri, :bucket, :key, :size, :sha, :type, :now) ON CONFLICT (uri) DO UPDATE SET"
            + " size = EXCLUDED.size, sha256 = EXCLUDED.sha256, content_type = EXCLUDED.content_type,"
            + " created_at = EXCLUDED.created_at";
    static final String FIND = "SELECT uri, size, sha256, content_type FROM artifacts WHERE uri = :uri";
    static final String LINK = "INSERT INTO run_artifacts (run_id, type, uri) VALUES (:run, :type, :uri)"
            + " ON CONFLICT (run_id, uri) DO UPDATE SET type = EXCLUDED.type";
    static final String LINKED = "SELECT l.type, l.uri, a.size, a.sha256 FROM run_artifacts l"
            + " LEFT JOIN artifacts a ON a.uri = l.uri WHERE l.run_id = :run ORDER BY l.uri";

    private final JdbcClient jdbc;

    public ArtifactRepository(JdbcClient jdbc) {
        this.jdbc = requireNonNull(jdbc, "jdbc");
    }

    public record Artifact(String uri, long size, String sha256, String contentType) {}

    /** A run's link to an artifact; size and sha256 are known when the artifact was uploaded here. */
    public record LinkedArtifact(String type, String uri, Long size, String sha256) {}

    public void lock(String uri) {
        jdbc.sql(LOCK_URI).param("uri", uri).query((rs, n) -> 1).list();
    }

    public void upsert(ArtifactPath path, long size, String sha256, String contentType, Instant now) {
        jdbc.sql(UPSERT)
                .param("uri", path.uri())
                .param("bucket", path.bucket())
                .param("key", path.key())
                .param("size", size)
                .param("sha", sha256)
                .param("type", contentType)
                .param("now", Times.utc(now))
                .update();
    }

    public Optional<Artifact> find(String uri) {
        return jdbc.sql(FIND)
                .param("uri", uri)
                .query((rs, n) -> new Artifact(
                        rs.getString("uri"), rs.getLong("size"), rs.getString("sha256"), rs.getString("content_type")))
                .optional();
    }

    public void link(UUID runId, String type, String uri) {
        jdbc.sql(LINK).param("run", runId).param("type", type).param("uri", uri).update();
    }

    public List<LinkedArtifact> linkedTo(UUID runId) {
        return jdbc.sql(LINKED)
                .param("run", runId)
                .query((rs, n) -> new LinkedArtifact(
                        rs.getString("type"), rs.getString("uri"), (Long) rs.getObject("size"), rs.getString("sha256")))
                .list();
    }
}
