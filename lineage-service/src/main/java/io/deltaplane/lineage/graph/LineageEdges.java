package io.deltaplane.lineage.graph;

import static java.util.Objects.requireNonNull;

import io.deltaplane.lineage.common.SetWrite;
import io.deltaplane.lineage.common.Times;
import java.time.Instant;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * Keeps the job-level graph the lineage query walks: a read adds table → job, a write adds job →
 * table. Edges are derived from run inputs and outputs, stored once however many runs repeat them.
 */
@Repository
public class LineageEdges {

    /** An edge stands from the first time it was recorded ({@code first_seen}, for point-in-time reads). */
    static final String ADD =
            "INSERT INTO edges (src, dst, first_seen) VALUES (:src, :dst, :at)" + " ON CONFLICT (src, dst) DO NOTHING";

    static final String ADD_MANY = "INSERT INTO edges (src, dst, first_seen) SELECT u.src, u.dst, :now"
            + " FROM unnest(CAST(:srcs AS bigint[]), CAST(:dsts AS bigint[])) AS u(src, dst) ORDER BY u.src, u.dst"
            + " ON CONFLICT (src, dst) DO NOTHING";

    /** An edge of the job-level graph: a table's id and a job's id, in the direction data flows. */
    public record Edge(long src, long dst) {}

    private final JdbcClient jdbc;

    public LineageEdges(JdbcClient jdbc) {
        this.jdbc = requireNonNull(jdbc, "jdbc");
    }

    /** A run of the job read the table {@code at} (the time its run_inputs row says). */
    public void read(long tableId, long jobId, Instant at) {
        add(tableId, jobId, at);
    }

    /** A run of the job wrote the table {@code at} (the time its snapshot row says). */
    public void wrote(long jobId, long tableId, Instant at) {
        add(jobId, tableId, at);
    }

    /** Adds edges a batch's reads and writes make, seen first {@code now}. */
    public SetWrite addAll(java.util.Collection<Edge> edges, Instant now) {
        return new SetWrite(
                ADD_MANY,
                java.util.Map.of(
                        "srcs",
                                SetWrite.array(
                                        "bigint", edges.stream().map(Edge::src).toList()),
                        "dsts",
                                SetWrite.array(
                                        "bigint", edges.stream().map(Edge::dst).toList()),
                        "now", Times.utc(now)));
    }

    private void add(long src, long dst, Instant at) {
        jdbc.sql(ADD)
                .param("src", src)
                .param("dst", dst)
                .param("at", Times.utc(at))
                .update();
    }
}
