package io.deltaplane.lineage.graph;

import static java.util.Objects.requireNonNull;

import io.deltaplane.lineage.common.Times;
import io.deltaplane.lineage.graph.GraphRecords.Direction;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Collectors;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * Walks the edge table in Postgres with a recursive query, bounded by depth: each step is an index
 * lookup on {@code edges (src, dst)} (downstream) or {@code edges (dst, src)} (upstream), and UNION
 * drops repeats of a node at the same depth, so cycles end at the depth bound.
 */
@Repository
public class GraphRepository {

    /** Edges that stood at {@code :as_of} (null: now): recorded at or before it. */
    private static final String STOOD = " AND e.first_seen <= coalesce(CAST(:as_of AS timestamptz), 'infinity')";

    private static final String DOWN = "down(node, depth) AS (SELECT CAST(:start AS bigint), 0 UNION"
            + " SELECT e.dst, d.depth + 1 FROM down d JOIN edges e ON e.src = d.node WHERE d.depth < :depth"
            + STOOD + ")";
    private static final String UP = "up(node, depth) AS (SELECT CAST(:start AS bigint), 0 UNION"
            + " SELECT e.src, u.depth + 1 FROM up u JOIN edges e ON e.dst = u.node WHERE u.depth < :depth"
            + STOOD + ")";
    private static final String NAMED = " SELECT r.node, r.depth, CASE WHEN j.id IS NOT NULL THEN 'job' ELSE 'table'"
            + " END AS kind, coalesce(j.name, t.name) AS name FROM reached r LEFT JOIN jobs j ON j.id = r.node"
            + " LEFT JOIN tracked_tables t ON t.id = r.node ORDER BY r.depth, r.node LIMIT :limit";

    static final String DOWNSTREAM = "WITH RECURSIVE " + DOWN
            + ", reached AS (SELECT node, min(depth) AS depth FROM down GROUP BY node)" + NAMED;
    static final String UPSTREAM =
            "WITH RECURSIVE " + UP + ", reached AS (SELECT node, min(depth) AS depth FROM up GROUP BY node)" + NAMED;
    static final String BOTH = "WITH RECURSIVE " + DOWN + ", " + UP
            + ", reached AS (SELECT node, min(depth) AS depth FROM (SELECT * FROM down UNION ALL SELECT * FROM up) w"
            + " GROUP BY node)" + NAMED;
    static final String EDGES_AMONG = "SELECT src, dst FROM edges e WHERE src = ANY (CAST(:ids AS bigint[]))"
            + " AND dst = ANY (CAST(:ids AS bigint[]))" + STOOD;
    // Edges are stored once; the runs behind them are what run_inputs (reads) and snapshots (writes)
    // already record, so provenance is read from there, newest first, a bounded number per edge: for
    // each edge among the nodes (a read is table -> job, a write job -> table; node ids are one
    // space, so the other branch finds nothing), an index walk newest first that stops at :per_edge
    // (run_inputs_by_table, snapshots_latest). It never joins every run of the nodes' jobs, so it
    // stays a few index probes an edge however many runs the jobs have had.
    static final String PROVENANCE = "SELECT e.src, e.dst, p.run_id, p.version, p.at FROM edges e"
            + " CROSS JOIN LATERAL ((SELECT i.run_id, s.version, i.read_at AS at FROM run_inputs i"
            + " JOIN runs r ON r.id = i.run_id LEFT JOIN snapshots s ON s.id = i.snapshot_id"
            + " WHERE i.table_id = e.src AND r.job_id = e.dst"
            + " AND i.read_at <= coalesce(CAST(:as_of AS timestamptz), 'infinity')"
            + " ORDER BY i.read_at DESC, i.run_id LIMIT :per_edge)"
            + " UNION ALL (SELECT s.run_id, s.version, s.created_at FROM snapshots s JOIN runs r ON r.id = s.run_id"
            + " WHERE s.table_id = e.dst AND r.job_id = e.src"
            + " AND s.created_at <= coalesce(CAST(:as_of AS timestamptz), 'infinity')"
            + " ORDER BY s.created_at DESC, s.run_id LIMIT :per_edge)) p"
            + " WHERE e.src = ANY (CAST(:ids AS bigint[])) AND e.dst = ANY (CAST(:ids AS bigint[]))" + STOOD
            + " ORDER BY e.src, e.dst, p.at DESC, p.run_id";
    /** When a node came to be (null if there is no such node). */
    static final String CREATED = "SELECT created_at FROM jobs WHERE id = :id UNION ALL"
            + " SELECT created_at FROM tracked_tables WHERE id = :id";

    public static final int PROVENANCE_PER_EDGE = 10;
    static final String JOB_ID = "SELECT id FROM jobs WHERE name = :name";

    private final JdbcClient jdbc;

    public GraphRepository(JdbcClient jdbc) {
        this.jdbc = requireNonNull(jdbc, "jdbc");
    }

    public record Reached(long id, int depth, String kind, String name) {}

    public record RawEdge(long src, long dst) {}

    public record RawProvenance(long src, long dst, UUID runId, Long version, Instant at) {}

    public Optional<Long> jobId(String name) {
        return jdbc.sql(JOB_ID).param("name", name).query(Long.class).optional();
    }

    /** When node {@code id} was first recorded. */
    public Optional<Instant> createdAt(long id) {
        return jdbc.sql(CREATED)
                .param("id", id)
                .query((rs, n) -> rs.getObject(1, OffsetDateTime.class).toInstant())
                .optional();
    }

    /** The nodes reached from {@code start} over the edges that stood at {@code asOf} (null: now). */
    public List<Reached> walk(long start, Direction direction, int depth, int limit, Instant asOf) {
        String sql = switch (direction) {
            case DOWNSTREAM -> DOWNSTREAM;
            case UPSTREAM -> UPSTREAM;
            case BOTH -> BOTH;
        };
        return jdbc.sql(sql)
                .param("start", start)
                .param("depth", depth)
                .param("limit", limit)
                .param("as_of", asOf == null ? null : Times.utc(asOf))
                .query((rs, n) ->
                        new Reached(rs.getLong("node"), rs.getInt("depth"), rs.getString("kind"), rs.getString("name")))
                .list();
    }

    /** The runs behind the edges among {@code ids}, grouped by edge, newest first. */
    public List<RawProvenance> provenanceAmong(Collection<Long> ids, Instant asOf) {
        return jdbc.sql(PROVENANCE)
                .param("ids", array(ids))
                .param("as_of", asOf == null ? null : Times.utc(asOf))
                .param("per_edge", PROVENANCE_PER_EDGE)
                .query((rs, n) -> new RawProvenance(
                        rs.getLong("src"),
                        rs.getLong("dst"),
                        rs.getObject("run_id", UUID.class),
                        (Long) rs.getObject("version"),
                        rs.getObject("at", OffsetDateTime.class).toInstant()))
                .list();
    }

    private static String array(Collection<Long> ids) {
        return ids.stream().map(String::valueOf).collect(Collectors.joining(",", "{", "}"));
    }

    public List<RawEdge> edgesAmong(Collection<Long> ids, Instant asOf) {
        return jdbc.sql(EDGES_AMONG)
                .param("ids", array(ids))
                .param("as_of", asOf == null ? null : Times.utc(asOf))
                .query((rs, n) -> new RawEdge(rs.getLong("src"), rs.getLong("dst")))
                .list();
    }
}
