package io.deltaplane.lineage.graph;

import static java.util.Objects.requireNonNull;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * Keeps the job-level graph the lineage query walks: a read adds table → job, a write adds job →
 * table. Edges are derived from run inputs and outputs, stored once however many runs repeat them.
 */
@Repository
public class LineageEdges {

    static final String ADD = "INSERT INTO edges (src, dst) VALUES (:src, :dst) ON CONFLICT DO NOTHING";

    private final JdbcClient jdbc;

    public LineageEdges(JdbcClient jdbc) {
        this.jdbc = requireNonNull(jdbc, "jdbc");
    }

    public void read(long tableId, long jobId) {
        jdbc.sql(ADD).param("src", tableId).param("dst", jobId).update();
    }

    public void wrote(long jobId, long tableId) {
        jdbc.sql(ADD).param("src", jobId).param("dst", tableId).update();
    }
}
