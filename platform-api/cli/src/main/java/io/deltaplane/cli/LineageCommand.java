package io.deltaplane.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.deltaplane.client.generated.lineage.api.LineageApi;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code deltaplane lineage table:<name>|job:<name>}: the lineage graph around a node as an indented
 * tree — what it feeds (downstream) and what feeds it (upstream).
 */
@Command(name = "lineage", description = "The lineage graph around a node, as a tree in the terminal.")
final class LineageCommand extends CliCommand {

    @Parameters(paramLabel = "NODE", description = "table:<catalog.schema.table> or job:<name>")
    String node;

    @Option(names = "--depth", defaultValue = "3")
    int depth;

    @Option(names = "--direction", defaultValue = "both", description = "upstream, downstream or both")
    String direction;

    @Override
    public Integer call() {
        LineageApi lineage = new LineageApi(cli().client().generated().lineage());
        JsonNode graph = tree(call(() -> lineage.getLineage(node, depth, direction, null)));
        output().text(render(graph), graph);
        return ExitCodes.OK;
    }

    /** The tree text: the root, then a "downstream" and an "upstream" branch walking the edges. */
    static String render(JsonNode graph) {
        String root = graph.path("root").asText();
        Map<String, List<JsonNode>> outgoing = new LinkedHashMap<>();
        Map<String, List<JsonNode>> incoming = new LinkedHashMap<>();
        for (JsonNode edge : graph.path("edges")) {
            outgoing.computeIfAbsent(edge.path("from").asText(), k -> new ArrayList<>())
                    .add(edge);
            incoming.computeIfAbsent(edge.path("to").asText(), k -> new ArrayList<>())
                    .add(edge);
        }
        StringBuilder text = new StringBuilder(root).append('\n');
        if (outgoing.containsKey(root)) {
            text.append("  downstream\n");
            walk(text, root, outgoing, "to", "→", "    ", new HashSet<>(Set.of(root)));
        }
        if (incoming.containsKey(root)) {
            text.append("  upstream\n");
            walk(text, root, incoming, "from", "←", "    ", new HashSet<>(Set.of(root)));
        }
        if (!outgoing.containsKey(root) && !incoming.containsKey(root)) {
            text.append("  (no lineage recorded)\n");
        }
        return text.toString();
    }

    private static void walk(
            StringBuilder text,
            String node,
            Map<String, List<JsonNode>> edges,
            String next,
            String arrow,
            String indent,
            Set<String> onPath) {
        List<JsonNode> children = edges.getOrDefault(node, List.of());
        for (int i = 0; i < children.size(); i++) {
            JsonNode edge = children.get(i);
            String child = edge.path(next).asText();
            boolean last = i == children.size() - 1;
            text.append(indent)
                    .append(last ? "└─ " : "├─ ")
                    .append(edge.path("type").asText())
                    .append(' ')
                    .append(arrow)
                    .append(' ')
                    .append(child);
            if (!onPath.add(child)) {
                text.append(" (cycle)\n");
                continue;
            }
            text.append('\n');
            walk(text, child, edges, next, arrow, indent + (last ? "   " : "│  "), onPath);
            onPath.remove(child);
        }
    }
}
