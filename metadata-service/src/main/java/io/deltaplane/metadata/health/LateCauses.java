package io.deltaplane.metadata.health;

import static java.util.Objects.requireNonNull;

import io.deltaplane.client.generated.lineage.model.Edge;
import io.deltaplane.client.generated.lineage.model.Graph;
import io.deltaplane.metadata.health.UpstreamCause.Cause;
import io.deltaplane.metadata.lineage.LineageCalls;
import io.deltaplane.support.request.RequestIds;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * The upstream cause of a late table, from lineage-service's graph ({@link UpstreamCause} judges
 * it). Lineage that cannot be asked (no key, unreachable, an error) leaves the table its own
 * cause: it gets an incident of its own rather than none.
 */
@Component
class LateCauses {

    private static final Logger log = LoggerFactory.getLogger(LateCauses.class);

    /** How far upstream the cause is looked for. */
    static final int DEPTH = 10;

    private final LineageCalls lineage;

    LateCauses(LineageCalls lineage) {
        this.lineage = requireNonNull(lineage, "lineage");
    }

    /** The root late table upstream of {@code table} and the path from it, if any. */
    Optional<Cause> of(String table, Set<String> late) {
        Optional<Graph> graph;
        try {
            graph = lineage.upstream(table, DEPTH, RequestIds.generate());
        } catch (RuntimeException e) {
            log.debug("no upstream cause for {}: lineage did not answer ({})", table, e.toString());
            return Optional.empty();
        }
        return graph.flatMap(g -> {
            List<String[]> edges = new ArrayList<>();
            for (Edge e : g.getEdges() == null ? List.<Edge>of() : g.getEdges()) {
                edges.add(new String[] {e.getFrom(), e.getTo()});
            }
            return UpstreamCause.of(table, edges, late);
        });
    }
}
