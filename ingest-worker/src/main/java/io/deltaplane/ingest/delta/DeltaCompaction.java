package io.deltaplane.ingest.delta;

import static java.util.Objects.requireNonNull;

import io.deltaplane.ingest.sink.Warehouse;
import io.deltaplane.storage.Storages;
import io.deltaplane.support.loop.BackgroundLoop;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import org.duckdb.DuckDBConnection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;

/**
 * Compacts the Delta tables this worker's mappings stream into, in the background: every {@code
 * compaction-interval}, each table with at least {@code compaction-min-files} small files gets one
 * {@link DeltaCompactor} pass. A failed pass (a lost race, an unreachable service) is logged and
 * tried again next round; the stream never waits for it.
 */
@Component
public class DeltaCompaction implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(DeltaCompaction.class);

    private final DeltaSinks sinks;
    private final Warehouse warehouse;
    private final MetadataClient metadata;
    private final Storages storages;
    private final DeltaTargetProperties properties;
    private final JsonMapper json;
    private final Clock clock;
    private final BackgroundLoop loop;

    public DeltaCompaction(
            DeltaSinks sinks,
            Warehouse warehouse,
            MetadataClient metadata,
            Storages storages,
            DeltaTargetProperties properties,
            JsonMapper json,
            Clock clock,
            MeterRegistry registry) {
        this.sinks = requireNonNull(sinks, "sinks");
        this.warehouse = requireNonNull(warehouse, "warehouse");
        this.metadata = requireNonNull(metadata, "metadata");
        this.storages = requireNonNull(storages, "storages");
        this.properties = requireNonNull(properties, "properties");
        this.json = requireNonNull(json, "json");
        this.clock = requireNonNull(clock, "clock");
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
            try (DuckDBConnection connection = warehouse.connect()) {
                new DeltaCompactor(metadata, storages.forLocation(target.location()), json, clock, properties)
                        .compact(target, connection, properties.stagingDir().resolve("compaction"));
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
