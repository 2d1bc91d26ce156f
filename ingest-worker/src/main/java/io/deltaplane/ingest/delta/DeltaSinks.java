package io.deltaplane.ingest.delta;

import static java.util.Objects.requireNonNull;

import io.deltaplane.ingest.config.ServicesProperties;
import io.deltaplane.ingest.mapping.MappingSpec;
import io.deltaplane.ingest.sink.SinkFactory;
import io.deltaplane.ingest.sink.SinkPlan;
import io.deltaplane.ingest.sink.Warehouse;
import io.deltaplane.storage.Storages;
import java.time.Clock;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;

/** Opens {@link DeltaSink}s: the table is made ready (created or checked) each time a session starts. */
@Component
public class DeltaSinks {

    private final Warehouse warehouse;
    private final DeltaTables tables;
    private final MetadataClient metadata;
    private final Storages storages;
    private final DeltaTargetProperties properties;
    private final ServicesProperties services;
    private final JsonMapper json;
    private final Clock clock;
    /** The Delta targets of the mappings consuming in this worker, by mapping: what compaction looks at. */
    private final Map<String, DeltaTarget> active = new ConcurrentHashMap<>();
    /** This worker among those sharing the warehouse: whose pending batches are whose. */
    private final String workerId;

    public DeltaSinks(
            Warehouse warehouse,
            DeltaTables tables,
            MetadataClient metadata,
            Storages storages,
            DeltaTargetProperties properties,
            ServicesProperties services,
            JsonMapper json,
            Clock clock) {
        this.warehouse = requireNonNull(warehouse, "warehouse");
        this.tables = requireNonNull(tables, "tables");
        this.metadata = requireNonNull(metadata, "metadata");
        this.storages = requireNonNull(storages, "storages");
        this.properties = requireNonNull(properties, "properties");
        this.services = requireNonNull(services, "services");
        this.json = requireNonNull(json, "json");
        this.clock = requireNonNull(clock, "clock");
        this.workerId = properties.resolvedWorkerId();
    }

    /** This worker among those sharing the warehouse ({@link DeltaTargetProperties#workerId}). */
    public String workerId() {
        return workerId;
    }

    /** The Delta targets mappings in this worker write (each mapping's, as its sink last opened it). */
    public Collection<DeltaTarget> activeTargets() {
        return List.copyOf(active.values());
    }

    /** The mapping stopped in this worker: its table is no longer ours to compact. */
    public void forget(String mapping) {
        active.remove(mapping);
    }

    /** The sink factory of a Delta-target mapping; {@code observer} hears of each version committed. */
    public SinkFactory factory(MappingSpec mapping, CommitObserver observer) {
        return () -> {
            if (!services.hasApiKey()) {
                throw new IllegalStateException("A Delta target needs DELTAPLANE_SERVICE_API_KEY (or"
                        + " DELTAPLANE_ADMIN_API_KEY) to reach the metadata service");
            }
            DeltaTarget target = tables.ensure(mapping);
            active.put(mapping.name(), target);
            return new DeltaSink(
                    warehouse.connect(),
                    new SinkPlan(mapping, warehouse.defaultDatabase(), workerId),
                    target,
                    metadata,
                    storages.forLocation(target.location()),
                    properties.stagingDir().resolve(mapping.name()),
                    json,
                    clock,
                    observer,
                    BatchOwner.newSession(workerId, properties.pendingLease()));
        };
    }
}
