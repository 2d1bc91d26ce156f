package io.deltaplane.lineage.job;

import static java.util.Objects.requireNonNull;

import io.deltaplane.lineage.common.SetWrite;
import io.deltaplane.lineage.common.Times;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.jdbc.core.RowCallbackHandler;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

@Repository
public class JobRepository {

    static final String INSERT = "INSERT INTO jobs (name, namespace, created_at, updated_at)"
            + " VALUES (:name, :namespace, :now, :now) ON CONFLICT (name) DO NOTHING RETURNING id";
    static final String FIND = "SELECT id, name, namespace, created_at, updated_at FROM jobs WHERE name = :name";
    static final String FIND_ID = "SELECT id FROM jobs WHERE name = :name";
    static final String PAGE = "SELECT id, name, namespace, created_at, updated_at FROM jobs"
            + " WHERE (CAST(:after AS text) IS NULL OR name > :after) ORDER BY name LIMIT :limit";

    // Finds the jobs by name and creates those missing, in one statement (a batch of OpenLineage events).
    static final String UPSERT_MANY = "WITH want AS (SELECT * FROM unnest(CAST(:names AS text[]),"
            + " CAST(:namespaces AS text[])) AS u(name, namespace)), found AS (SELECT j.id, j.name FROM jobs j"
            + " JOIN want w ON j.name = w.name), added AS (INSERT INTO jobs (name, namespace, created_at, updated_at)"
            + " SELECT w.name, w.namespace, :now, :now FROM want w WHERE NOT EXISTS (SELECT 1 FROM found f"
            + " WHERE f.name = w.name) ORDER BY w.name ON CONFLICT (name) DO NOTHING RETURNING id, name)"
            + " SELECT id, name FROM found UNION ALL SELECT id, name FROM added";

    private final JdbcClient jdbc;

    public JobRepository(JdbcClient jdbc) {
        this.jdbc = requireNonNull(jdbc, "jdbc");
    }

    /** The job's id, creating the job on first use. */
    public long upsert(String name, String namespace, Instant now) {
        // Read first: jobs are created once and started often; no row lock on the hot path.
        Optional<Long> existing = findId(name);
        if (existing.isPresent()) {
            return existing.get();
        }
        return jdbc.sql(INSERT)
                .param("name", name)
                .param("namespace", namespace)
                .param("now", Times.utc(now))
                .query(Long.class)
                .optional()
                .or(() -> findId(name)) // a concurrent request created it first
                .orElseThrow();
    }

    /**
     * The ids of the jobs named (name → namespace of a new one), creating those missing, in one
     * statement. Twice at most: a job another request was creating meanwhile is found the second
     * time; a name still missing then is absent from the answer.
     */
    public Map<String, Long> upsertAll(Map<String, String> namespaceByName, Instant now) {
        Map<String, Long> ids = new HashMap<>();
        List<String> names = new ArrayList<>(namespaceByName.keySet());
        for (int attempt = 0; attempt < 2 && ids.size() < names.size(); attempt++) {
            jdbc.sql(UPSERT_MANY)
                    .param("names", SetWrite.array("text", names))
                    .param(
                            "namespaces",
                            SetWrite.array(
                                    "text",
                                    names.stream().map(namespaceByName::get).toList()))
                    .param("now", Times.utc(now))
                    .query((RowCallbackHandler) rs -> ids.put(rs.getString("name"), rs.getLong("id")));
        }
        return ids;
    }

    public Optional<Job> find(String name) {
        return jdbc.sql(FIND).param("name", name).query(JobRepository::map).optional();
    }

    public Optional<Long> findId(String name) {
        return jdbc.sql(FIND_ID).param("name", name).query(Long.class).optional();
    }

    public List<Job> page(String after, int limit) {
        return jdbc.sql(PAGE)
                .param("after", after)
                .param("limit", limit)
                .query(JobRepository::map)
                .list();
    }

    private static Job map(ResultSet rs, int row) throws SQLException {
        return new Job(
                rs.getLong("id"),
                rs.getString("name"),
                rs.getString("namespace"),
                rs.getObject("created_at", OffsetDateTime.class).toInstant(),
                rs.getObject("updated_at", OffsetDateTime.class).toInstant());
    }
}
