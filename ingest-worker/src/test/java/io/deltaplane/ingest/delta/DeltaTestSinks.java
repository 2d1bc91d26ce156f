package io.deltaplane.ingest.delta;

import io.deltaplane.ingest.config.ServicesProperties;
import io.deltaplane.ingest.mapping.MappingSpec;
import io.deltaplane.ingest.sink.SinkFactory;
import io.deltaplane.ingest.sink.Warehouse;
import io.deltaplane.storage.LocalFileStorage;
import io.deltaplane.storage.Storages;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import tools.jackson.databind.json.JsonMapper;

/** Delta sinks wired as the worker wires them, against a real metadata service. */
final class DeltaTestSinks {

    static final JsonMapper JSON = JsonMapper.builder().build();

    private DeltaTestSinks() {}

    static MetadataClient metadata(String metadataUrl, String key) {
        return new MetadataClient(URI.create(metadataUrl), key, Duration.ofSeconds(30), JSON);
    }

    static SinkFactory factory(Warehouse warehouse, MappingSpec mapping, String metadataUrl, String key, Path staging) {
        return factory(warehouse, mapping, metadataUrl, key, staging, CommitObserver.NONE);
    }

    static SinkFactory factory(
            Warehouse warehouse,
            MappingSpec mapping,
            String metadataUrl,
            String key,
            Path staging,
            CommitObserver observer) {
        return factory(
                warehouse, mapping, metadataUrl, key, staging, observer, new Storages(List.of(new LocalFileStorage())));
    }

    static SinkFactory factory(
            Warehouse warehouse,
            MappingSpec mapping,
            String metadataUrl,
            String key,
            Path staging,
            CommitObserver observer,
            Storages storages) {
        return factory(warehouse, mapping, metadataUrl, key, staging, observer, storages, WORKER, Clock.systemUTC());
    }

    /** The worker id the tests' sinks run as, unless a test says otherwise. */
    static final String WORKER = "test-worker";

    static final Duration PENDING_LEASE = Duration.ofMinutes(5);

    /** A sink factory of worker {@code workerId}, whose clock decides when other workers' pending batches expire. */
    static SinkFactory factory(
            Warehouse warehouse,
            MappingSpec mapping,
            String metadataUrl,
            String key,
            Path staging,
            CommitObserver observer,
            Storages storages,
            String workerId,
            Clock clock) {
        MetadataClient metadata = metadata(metadataUrl, key);
        DeltaSinks sinks = new DeltaSinks(
                warehouse,
                new DeltaTables(metadata),
                metadata,
                storages,
                properties(staging, 50, workerId),
                new ServicesProperties(
                        URI.create(metadataUrl), URI.create("http://127.0.0.1:1"), key, Duration.ofSeconds(30)),
                JSON,
                clock);
        return sinks.factory(mapping, observer);
    }

    static DeltaTargetProperties properties(Path staging, int compactionMinFiles, String workerId) {
        return new DeltaTargetProperties(
                staging, compactionMinFiles, 16 << 20, 128 << 20, Duration.ofSeconds(30), workerId, PENDING_LEASE);
    }
}
