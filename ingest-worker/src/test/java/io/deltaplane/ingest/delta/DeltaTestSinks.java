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
        MetadataClient metadata = metadata(metadataUrl, key);
        DeltaSinks sinks = new DeltaSinks(
                warehouse,
                new DeltaTables(metadata),
                metadata,
                storages,
                new DeltaTargetProperties(staging, 50, 16 << 20, 128 << 20, Duration.ofSeconds(30)),
                new ServicesProperties(
                        URI.create(metadataUrl), URI.create("http://127.0.0.1:1"), key, Duration.ofSeconds(30)),
                JSON,
                Clock.systemUTC());
        return sinks.factory(mapping, observer);
    }
}
