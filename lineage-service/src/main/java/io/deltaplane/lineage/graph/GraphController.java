package io.deltaplane.lineage.graph;

import static java.util.Objects.requireNonNull;

import io.deltaplane.lineage.dataset.DatasetAccess;
import io.deltaplane.lineage.dataset.TableRepository;
import io.deltaplane.lineage.graph.GraphRecords.Direction;
import io.deltaplane.lineage.graph.GraphRecords.Edge;
import io.deltaplane.lineage.graph.GraphRecords.Graph;
import io.deltaplane.lineage.graph.GraphRecords.Node;
import io.deltaplane.lineage.graph.GraphRecords.Provenance;
import io.deltaplane.support.names.Names;
import io.deltaplane.support.problem.ApiException;
import io.deltaplane.support.problem.ErrorCode;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** {@code GET /api/v1/lineage?node=table:<name>|job:<name>&depth=&direction=}. */
@RestController
public class GraphController {

    public static final int MAX_DEPTH = 20;
    public static final int MAX_NODES = 5000;

    /** The name a table the caller may not see has in a graph. */
    public static final String REDACTED = "redacted";

    private final GraphRepository graph;
    private final TableRepository tables;
    private final DatasetAccess access;

    public GraphController(GraphRepository graph, TableRepository tables, DatasetAccess access) {
        this.graph = requireNonNull(graph, "graph");
        this.tables = requireNonNull(tables, "tables");
        this.access = requireNonNull(access, "access");
    }

    @GetMapping("/api/v1/lineage")
    @Transactional(readOnly = true)
    public Graph lineage(
            @RequestParam String node,
            @RequestParam(defaultValue = "3") int depth,
            @RequestParam(defaultValue = "both") String direction,
            @RequestParam(name = "as_of", required = false) String asOfText) {
        if (depth < 0 || depth > MAX_DEPTH) {
            throw ApiException.badRequest(ErrorCode.BAD_REQUEST, "depth must be between 0 and " + MAX_DEPTH + ".");
        }
        Direction dir = parseDirection(direction);
        Instant asOf = asOfText == null ? null : instant(asOfText);
        int colon = node.indexOf(':');
        String kind = colon < 0 ? "" : node.substring(0, colon);
        String name = colon < 0 ? "" : Names.lookup(node.substring(colon + 1));
        long start = switch (kind) {
            case "job" ->
                graph.jobId(name)
                        .orElseThrow(() -> ApiException.notFound(ErrorCode.JOB_NOT_FOUND, "No job '" + name + "'."));
            case "table" -> {
                access.requireRead(name);
                yield tables.findId(name)
                        .orElseThrow(() -> ApiException.notFound(
                                ErrorCode.TABLE_NOT_FOUND, "Lineage knows no table '" + name + "'."));
            }
            default ->
                throw ApiException.badRequest(ErrorCode.BAD_REQUEST, "node must be 'table:<name>' or 'job:<name>'.");
        };

        if (asOf != null
                && graph.createdAt(start).map(created -> created.isAfter(asOf)).orElse(true)) {
            throw ApiException.notFound(
                    "job".equals(kind) ? ErrorCode.JOB_NOT_FOUND : ErrorCode.TABLE_NOT_FOUND,
                    "'" + node + "' was not known yet at " + asOf + ".");
        }
        List<GraphRepository.Reached> reached = graph.walk(start, dir, depth, MAX_NODES + 1, asOf);
        boolean truncated = reached.size() > MAX_NODES;
        if (truncated) {
            reached = reached.subList(0, MAX_NODES);
        }
        // Tables the caller may not see stay in the graph (its shape is not theirs to hide) but
        // without their names: redacted-1, redacted-2, ... in the order they are reached.
        java.util.function.Predicate<String> visible = access.visibility();
        Map<Long, GraphRepository.Reached> byId = new HashMap<>();
        List<Node> nodes = new ArrayList<>(reached.size());
        int redacted = 0;
        for (GraphRepository.Reached r : reached) {
            if ("table".equals(r.kind()) && !visible.test(r.name())) {
                r = new GraphRepository.Reached(r.id(), r.depth(), r.kind(), REDACTED + "-" + ++redacted);
            }
            byId.put(r.id(), r);
            nodes.add(new Node(r.kind() + ":" + r.name(), r.kind(), r.name(), r.depth()));
        }
        Map<List<Long>, List<Provenance>> provenance = new HashMap<>();
        for (GraphRepository.RawProvenance p : graph.provenanceAmong(byId.keySet(), asOf)) {
            provenance
                    .computeIfAbsent(List.of(p.src(), p.dst()), k -> new ArrayList<>())
                    .add(new Provenance(p.runId(), p.version(), p.at()));
        }
        List<Edge> edges = new ArrayList<>();
        for (GraphRepository.RawEdge e : graph.edgesAmong(byId.keySet(), asOf)) {
            GraphRepository.Reached from = byId.get(e.src());
            GraphRepository.Reached to = byId.get(e.dst());
            edges.add(new Edge(
                    from.kind() + ":" + from.name(),
                    to.kind() + ":" + to.name(),
                    "table".equals(from.kind()) ? "read" : "write",
                    provenance.getOrDefault(List.of(e.src(), e.dst()), List.of())));
        }
        return new Graph(node, dir.name().toLowerCase(Locale.ROOT), depth, asOf, nodes, edges, truncated);
    }

    private static Instant instant(String text) {
        try {
            return OffsetDateTime.parse(text).toInstant();
        } catch (DateTimeParseException e) {
            throw ApiException.badRequest(
                    ErrorCode.BAD_REQUEST,
                    "as_of must be an ISO-8601 date-time with an offset, e.g. 2026-11-20T06:00:00Z.");
        }
    }

    private static Direction parseDirection(String direction) {
        try {
            return Direction.valueOf(direction.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest(ErrorCode.BAD_REQUEST, "direction must be upstream, downstream or both.");
        }
    }
}
