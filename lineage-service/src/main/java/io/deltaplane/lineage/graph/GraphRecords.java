package io.deltaplane.lineage.graph;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** The lineage graph as the API returns it: ids are {@code table:<name>} and {@code job:<name>}. */
public final class GraphRecords {
    private GraphRecords() {}

    public enum Direction {
        UPSTREAM,
        DOWNSTREAM,
        BOTH
    }

    public record Node(String id, String type, String name, int depth) {}

    /**
     * {@code type} is {@code read} (table → job) or {@code write} (job → table); {@code provenance}
     * lists the runs that made the edge, newest first (at most {@link GraphRepository#PROVENANCE_PER_EDGE}).
     */
    public record Edge(String from, String to, String type, List<Provenance> provenance) {}

    /**
     * One run's part in an edge: the run, the table version it read or wrote (when the table is a
     * versioned Deltaplane table, else null) and when it read or wrote it.
     */
    public record Provenance(UUID runId, Long tableVersion, Instant at) {}

    /** The graph around {@code root}; {@code asOf} says at which time it stood (null: now). */
    public record Graph(
            String root,
            String direction,
            int depth,
            Instant asOf,
            List<Node> nodes,
            List<Edge> edges,
            boolean truncated) {}
}
