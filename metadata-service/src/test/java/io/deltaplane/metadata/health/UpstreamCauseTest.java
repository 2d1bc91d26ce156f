package io.deltaplane.metadata.health;

import static org.assertj.core.api.Assertions.assertThat;

import io.deltaplane.client.generated.lineage.model.JobHealth;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Naming the cause of a late table from the graph upstream of it (no lineage-service, no database). */
class UpstreamCauseTest {

    // raw.orders -> job:rollup -> mid.orders -> job:daily -> gold.revenue; raw.fx -> job:daily
    private static final List<String[]> CHAIN = List.of(
            new String[] {"table:raw.orders", "job:rollup"},
            new String[] {"job:rollup", "table:mid.orders"},
            new String[] {"table:mid.orders", "job:daily"},
            new String[] {"table:raw.fx", "job:daily"},
            new String[] {"job:daily", "table:gold.revenue"});

    @Test
    void theRootIsTheLateUpstreamWithNoLateUpstreamOfItsOwn() {
        var cause = UpstreamCause.of("gold.revenue", CHAIN, Set.of("gold.revenue", "mid.orders", "raw.orders"))
                .orElseThrow();
        assertThat(cause.root()).isEqualTo("raw.orders");
        assertThat(cause.describe()).isEqualTo("raw.orders → job rollup → mid.orders → job daily → gold.revenue");
    }

    @Test
    void aLateTableWhoseUpstreamIsFreshIsItsOwnCause() {
        assertThat(UpstreamCause.of("raw.orders", CHAIN, Set.of("raw.orders", "gold.revenue")))
                .isEmpty();
        assertThat(UpstreamCause.of("gold.revenue", CHAIN, Set.of("gold.revenue")))
                .isEmpty();
    }

    @Test
    void theNearestRootWinsAndACycleEnds() {
        List<String[]> cyclic = new java.util.ArrayList<>(CHAIN);
        cyclic.add(new String[] {"table:gold.revenue", "job:backfill"});
        cyclic.add(new String[] {"job:backfill", "table:raw.orders"});
        var cause = UpstreamCause.of("gold.revenue", CHAIN, Set.of("gold.revenue", "raw.fx", "raw.orders"))
                .orElseThrow();
        assertThat(cause.root()).as("raw.fx is two steps up, raw.orders four").isEqualTo("raw.fx");
        assertThat(UpstreamCause.of("mid.orders", cyclic, Set.of("mid.orders", "raw.orders", "gold.revenue")))
                .as("every late table upstream has a late upstream: a cycle, no root")
                .isEmpty();
    }

    @Test
    void theJobsWritingATableAreTheOnesAskedForItsPipelineCause() {
        List<String[]> edges = new java.util.ArrayList<>(CHAIN);
        edges.add(new String[] {"job:backfill", "table:gold.revenue"});
        assertThat(UpstreamCause.writers("gold.revenue", edges)).containsExactly("backfill", "daily");
        assertThat(UpstreamCause.writers("mid.orders", edges)).containsExactly("rollup");
        assertThat(UpstreamCause.writers("raw.orders", edges))
                .as("read by a job, written by none")
                .isEmpty();
    }

    @Test
    void aWriterIsACauseWhenLineageJudgesItFailingRunningLongOverdueStalledOrLagging() {
        for (JobHealth.StatusEnum status : JobHealth.StatusEnum.values()) {
            JobHealth health =
                    new JobHealth().jobName("load_orders").status(status).reason("its last run 7 failed");
            boolean unhealthy = status == JobHealth.StatusEnum.FAILING
                    || status == JobHealth.StatusEnum.RUNNING_LONG
                    || status == JobHealth.StatusEnum.OVERDUE
                    || status == JobHealth.StatusEnum.STALLED
                    || status == JobHealth.StatusEnum.LAGGING;
            assertThat(LateCauses.unhealthy(health))
                    .as(status.getValue())
                    .isEqualTo(
                            unhealthy
                                    ? Optional.of("job load_orders " + status.getValue() + ": its last run 7 failed")
                                    : Optional.empty());
        }
        assertThat(JobHealth.StatusEnum.values())
                .as("every status lineage answers was judged: HEALTHY and UNKNOWN are no cause")
                .hasSize(7);
    }
}
