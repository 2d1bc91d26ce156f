package io.deltaplane.metadata.health;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Why a late table is late, from the lineage graph upstream of it (a pure function): the nearest
 * late table upstream whose own upstream has no late table — the root — with the path from it. A
 * table with such a cause is <em>affected</em>: its incident is the root's. Edges run {@code
 * table:<t> -> job:<j>} (the job read the table) and {@code job:<j> -> table:<t>} (it wrote it).
 */
final class UpstreamCause {

    /** The root late table and the path from it to the affected one: {@code raw.orders → job daily_rollup → …}. */
    record Cause(String root, List<String> path) {
        String describe() {
            return String.join(STEP, path);
        }
    }

    /** Between the steps of a described path; an affected table's path ends with it and the table. */
    static final String STEP = " → ";

    private UpstreamCause() {}

    /**
     * @param table the late table, {@code catalog.schema.table}
     * @param edges the upstream graph's edges as {@code [from, to]} node ids
     * @param late every late table (names)
     */
    static Optional<Cause> of(String table, List<String[]> edges, Set<String> late) {
        // upward: for each node, the nodes it was made from
        Map<String, List<String>> from = new HashMap<>();
        for (String[] edge : edges) {
            from.computeIfAbsent(edge[1], k -> new ArrayList<>()).add(edge[0]);
        }
        Map<String, String> cameFrom = new LinkedHashMap<>(); // BFS order: nearest first
        String start = "table:" + table;
        Deque<String> queue = new ArrayDeque<>(List.of(start));
        cameFrom.put(start, null);
        while (!queue.isEmpty()) {
            String node = queue.poll();
            for (String up : from.getOrDefault(node, List.of())) {
                if (!cameFrom.containsKey(up)) {
                    cameFrom.put(up, node);
                    queue.add(up);
                }
            }
        }
        for (String node : cameFrom.keySet()) {
            if (node.equals(start) || !node.startsWith("table:") || !late.contains(node.substring(6))) {
                continue;
            }
            if (!hasLateUpstream(node, from, late)) {
                List<String> path = new ArrayList<>();
                for (String at = node; at != null; at = cameFrom.get(at)) {
                    path.add(at.startsWith("job:") ? "job " + at.substring(4) : at.substring(6));
                }
                return Optional.of(new Cause(node.substring(6), path));
            }
        }
        return Optional.empty();
    }

    /** The jobs that wrote {@code table} ({@code job:<j> -> table:<t>} edges), by name. */
    static List<String> writers(String table, List<String[]> edges) {
        java.util.TreeSet<String> jobs = new java.util.TreeSet<>();
        for (String[] edge : edges) {
            if (edge[1].equals("table:" + table) && edge[0].startsWith("job:")) {
                jobs.add(edge[0].substring(4));
            }
        }
        return List.copyOf(jobs);
    }

    private static boolean hasLateUpstream(String node, Map<String, List<String>> from, Set<String> late) {
        Set<String> seen = new HashSet<>(Set.of(node));
        Deque<String> queue = new ArrayDeque<>(List.of(node));
        while (!queue.isEmpty()) {
            for (String up : from.getOrDefault(queue.poll(), List.of())) {
                if (seen.add(up)) {
                    if (up.startsWith("table:") && late.contains(up.substring(6))) {
                        return true;
                    }
                    queue.add(up);
                }
            }
        }
        return false;
    }
}
