package io.deltaplane.metadata.health;

import static java.util.Objects.requireNonNull;

import io.deltaplane.client.generated.lineage.model.Edge;
import io.deltaplane.client.generated.lineage.model.Graph;
import io.deltaplane.client.generated.lineage.model.JobHealth;
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
 * Why a late table is late, from lineage-service: a late table upstream in its graph ({@link
 * UpstreamCause} judges it), which makes the table <em>affected</em>; else, the table being its own
 * root, a job that writes it whose runs fail, run long, are overdue, stalled or lagging (lineage's job health), named
 * in its incident. Lineage that cannot be asked (no key, unreachable, an error) leaves the table its
 * own cause with none named: it gets an incident of its own rather than none.
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

    /**
     * Why a late table is late.
     *
     * @param upstream the root late table upstream and the path from it: the table is affected
     * @param pipeline when there is none, a job writing the table that is not healthy, described
     *     ({@code job daily_rollup FAILING: its last run … failed}); null when none is known
     * @param answered false when lineage could not be asked (or a writer's health not read): the
     *     cause is not known, which is not the same as no cause — an incident keeps the one it named
     */
    record Explanation(Optional<Cause> upstream, String pipeline, boolean answered) {

        /** Lineage answered: the table is its own cause and no writer of it is unhealthy. */
        static final Explanation NONE = new Explanation(Optional.empty(), null, true);

        /** Lineage did not answer: nothing is known of the cause. */
        static final Explanation UNKNOWN = new Explanation(Optional.empty(), null, false);

        /** What its incident names as its cause: the path upstream, else the unhealthy writer. */
        String named() {
            return upstream.map(Cause::describe).orElse(pipeline);
        }
    }

    /** Why {@code table}, one of the {@code late} tables, is late. */
    Explanation of(String table, Set<String> late) {
        Optional<Graph> graph;
        try {
            graph = lineage.upstream(table, DEPTH, RequestIds.generate());
        } catch (RuntimeException e) {
            log.debug("no upstream cause for {}: lineage did not answer ({})", table, e.toString());
            return Explanation.UNKNOWN;
        }
        if (graph.isEmpty()) {
            return Explanation.UNKNOWN; // lineage is not called (no key): nothing is known
        }
        List<String[]> edges = new ArrayList<>();
        for (Edge e :
                graph.get().getEdges() == null ? List.<Edge>of() : graph.get().getEdges()) {
            edges.add(new String[] {e.getFrom(), e.getTo()});
        }
        Optional<Cause> upstream = UpstreamCause.of(table, edges, late);
        if (upstream.isPresent()) {
            return new Explanation(upstream, null, true);
        }
        return unhealthyWriter(table, edges);
    }

    /**
     * The first job (by name) writing {@code table} whose health is not HEALTHY or UNKNOWN; not
     * answered when there is none and the health of a writer could not be read.
     */
    private Explanation unhealthyWriter(String table, List<String[]> edges) {
        boolean allRead = true;
        for (String job : UpstreamCause.writers(table, edges)) {
            try {
                Optional<String> unhealthy =
                        lineage.jobHealth(job, RequestIds.generate()).flatMap(LateCauses::unhealthy);
                if (unhealthy.isPresent()) {
                    return new Explanation(Optional.empty(), unhealthy.get(), true);
                }
            } catch (RuntimeException e) {
                log.debug("health of job {} not known: {}", job, e.toString());
                allRead = false;
            }
        }
        return allRead ? Explanation.NONE : Explanation.UNKNOWN;
    }

    private static final Set<JobHealth.StatusEnum> UNHEALTHY = Set.of(
            JobHealth.StatusEnum.FAILING,
            JobHealth.StatusEnum.RUNNING_LONG,
            JobHealth.StatusEnum.OVERDUE,
            JobHealth.StatusEnum.STALLED,
            JobHealth.StatusEnum.LAGGING);

    /** The job described as a cause ({@code job load FAILING: its last run … failed}), if it is not healthy. */
    static Optional<String> unhealthy(JobHealth health) {
        return UNHEALTHY.contains(health.getStatus())
                ? Optional.of(
                        "job " + health.getJobName() + " " + health.getStatus().getValue() + ": " + health.getReason())
                : Optional.empty();
    }
}
