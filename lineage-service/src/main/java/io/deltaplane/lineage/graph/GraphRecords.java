package io.deltaplane.lineage.graph;

import java.util.List;

/** The lineage graph as the API returns it: ids are {@code table:<name>} and {@code job:<name>}. */
public final class GraphRecords {
    private GraphRecords() {}

    public enum Direction {
        UPSTREAM,
        DOWNSTREAM,
        BOTH
    }

    public record Node(String id, String type, String name, int depth) {}

    /** {@code type} is {@code read} (table → job) or {@code write} (job → table). */
    public record Edge(String from, String to, String type) {}

    public record Graph(
            String root, String direction, int depth, List<Node> nodes, List<Edge> edges, boolean truncated) {}
}
