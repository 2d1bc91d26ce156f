package io.deltaplane.metadata.publish;

import static java.util.Objects.requireNonNull;

import io.deltaplane.support.loop.BackgroundLoop;
import io.deltaplane.support.loop.ClusterPasses;
import io.deltaplane.support.loop.ProcessRole;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * Runs the publisher (woken by local commits, else polling), the checkpointer, the periodic
 * reconciler and the lag gauges as background loops of their own, so a slow checkpoint never delays
 * a commit file. {@code deltaplane.publish.enabled=false} leaves them stopped; commits still queue.
 */
@Component
public class PublishScheduler implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(PublishScheduler.class);
    private static final Duration GAUGE_REFRESH = Duration.ofSeconds(1);
    private static final Duration STOP_WAIT = Duration.ofSeconds(30);

    private final PublishProperties properties;
    private final ProcessRole role;
    private final List<BackgroundLoop> loops;

    public PublishScheduler(
            DeltaLogPublisher publisher,
            Checkpointer checkpointer,
            Reconciler reconciler,
            PublishStates states,
            PublishMetrics metrics,
            PublishWakeup wakeup,
            PublishProperties properties,
            Clock clock,
            ClusterPasses passes,
            ProcessRole role,
            MeterRegistry registry) {
        requireNonNull(publisher, "publisher");
        requireNonNull(checkpointer, "checkpointer");
        requireNonNull(reconciler, "reconciler");
        requireNonNull(states, "states");
        requireNonNull(metrics, "metrics");
        requireNonNull(clock, "clock");
        this.properties = requireNonNull(properties, "properties");
        this.role = requireNonNull(role, "role");
        Duration poll = atLeastOneMilli(properties.pollInterval());
        Duration reconcile = atLeastOneMilli(properties.reconcileInterval());
        this.loops = List.of(
                BackgroundLoop.named("delta-log-publisher")
                        .threads(properties.workers())
                        .wakeup(requireNonNull(wakeup, "wakeup"))
                        .round(publisher::publishRound)
                        .coalesceWakeUps(properties.gather())
                        .every(poll)
                        .metrics(registry)
                        .build(),
                BackgroundLoop.named("delta-log-checkpointer")
                        .task(checkpointer::drain)
                        .every(poll)
                        .initialDelay(poll)
                        .metrics(registry)
                        .build(),
                // every table's log listed once per interval across the replicas, not once per replica
                BackgroundLoop.named("delta-log-reconciler")
                        .task(passes.task("delta-log-reconcile", reconcile, reconciler::reconcileAll))
                        .every(reconcile)
                        .initialDelay(reconcile)
                        .metrics(registry)
                        .build(),
                BackgroundLoop.named("publish-lag-gauges")
                        .task(() ->
                                metrics.refreshLag(states.mostLagging(properties.lagGaugeTables()), clock.instant()))
                        .every(GAUGE_REFRESH)
                        .metrics(registry)
                        .build());
    }

    private static Duration atLeastOneMilli(Duration d) {
        return d.toMillis() < 1 ? Duration.ofMillis(1) : d;
    }

    @Override
    public synchronized void start() {
        if (isRunning()) {
            return;
        }
        loops.forEach(BackgroundLoop::start);
        // No bound from the connection pool: a worker holds a connection only for its claim and
        // progress statements, never while it writes to storage (a lease keeps the table its own).
        log.info(
                "Publishing to _delta_log with {} workers (lease {} s), polling every {} ms, checkpoint every {} versions (unless a table's delta.checkpointInterval says otherwise)",
                properties.workers(),
                properties.lease().toMillis() / 1000.0,
                properties.pollInterval().toMillis(),
                properties.checkpointInterval());
    }

    @Override
    public synchronized void stop() {
        loops.forEach(loop -> loop.stop(STOP_WAIT));
    }

    @Override
    public boolean isRunning() {
        return loops.get(0).isRunning();
    }

    /**
     * Where the process runs background jobs ({@link ProcessRole}); elsewhere its commits are
     * published by the pods that do (within their poll), and an engine's staged commit by its own
     * request ({@link PublishNow}).
     */
    @Override
    public boolean isAutoStartup() {
        return properties.enabled() && role.backgroundJobs();
    }
}
