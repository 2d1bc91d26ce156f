package io.deltaplane.ingest.delta;

import static java.util.Objects.requireNonNull;

import io.deltaplane.support.loop.BackgroundLoop;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * Compacts the Delta tables this worker's mappings stream into, in the background: every {@code
 * compaction-interval}, each table with at least {@code compaction-min-files} small files gets one
 * {@link DeltaCompactor} pass, which asks metadata-service's OPTIMIZE to rewrite them. A failed
 * pass (a lost race, an unreachable service) is logged and tried again next round; the stream never
 * waits for it.
 */
@Component
public class DeltaCompaction implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(DeltaCompaction.class);

    private final DeltaSinks sinks;
    private final DeltaCompactor compactor;
    private final BackgroundLoop loop;

    public DeltaCompaction(
            DeltaSinks sinks, MetadataClient metadata, DeltaTargetProperties properties, MeterRegistry registry) {
        this.sinks = requireNonNull(sinks, "sinks");
        this.compactor = new DeltaCompactor(metadata, properties);
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
            try {
                compactor.compact(target);
            } catch (Exception e) {
                log.warn("Compaction of {} failed; trying again next round: {}", target.fullName(), e.toString());
            }
        }
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
