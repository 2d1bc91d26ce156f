package io.deltaplane.ingest.delta;

import static java.util.Objects.requireNonNull;

import io.deltaplane.support.loop.BackgroundLoop;
import io.deltaplane.support.loop.ClusterPasses;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * Compacts the Delta tables this worker's mappings stream into, in the background: every {@code
 * compaction-interval}, each table with at least {@code compaction-min-files} small files gets one
 * {@link DeltaCompactor} pass, which asks metadata-service's OPTIMIZE to rewrite them. Every worker
 * of a mapping streams into its table, so each table's pass is claimed once per interval across
 * the workers ({@link ClusterPasses}, named after the table): one OPTIMIZE per table per interval,
 * not one per worker. A failed pass (a lost race, an unreachable service) is logged and tried again
 * next interval; the stream never waits for it.
 */
@Component
public class DeltaCompaction implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(DeltaCompaction.class);
    /** Each table's pass in {@code platform.background_passes}: this prefix and the table's name. */
    static final String PASS = "delta-compaction:";

    private final DeltaSinks sinks;
    private final DeltaCompactor compactor;
    private final ClusterPasses passes;
    private final Duration interval;
    private final BackgroundLoop loop;

    public DeltaCompaction(
            DeltaSinks sinks,
            MetadataClient metadata,
            DeltaTargetProperties properties,
            ClusterPasses passes,
            MeterRegistry registry) {
        this.sinks = requireNonNull(sinks, "sinks");
        this.compactor = new DeltaCompactor(metadata, properties);
        this.passes = requireNonNull(passes, "passes");
        this.interval = properties.compactionInterval();
        this.loop = BackgroundLoop.named("delta-compaction")
                .task(this::compactAll)
                .every(properties.compactionInterval())
                .initialDelay(properties.compactionInterval())
                .metrics(registry)
                .build();
    }

    /** One pass over every active target. */
    public void compactAll() {
        for (DeltaTarget target : sinks.activeTargets()) {
            compact(target);
        }
    }

    /** Compacts {@code target} here unless another worker's pass of it ran within the interval; whether it ran here. */
    boolean compact(DeltaTarget target) {
        return passes.runOnce(PASS + target.fullName(), interval, () -> {
            try {
                compactor.compact(target);
            } catch (Exception e) {
                log.warn("Compaction of {} failed; trying again next interval: {}", target.fullName(), e.toString());
            }
        });
    }

    @Override
    public void start() {
        loop.start();
    }

    @Override
    public void stop() {
        loop.stop(Duration.ofSeconds(30));
    }

    @Override
    public boolean isRunning() {
        return loop.isRunning();
    }
}
