package io.deltaplane.client;

import io.deltaplane.client.generated.ingest.api.IngestApi;
import io.deltaplane.client.generated.ingest.model.MappingResource;
import io.deltaplane.client.generated.ingest.model.MappingStatus;
import io.deltaplane.client.internal.Json;
import io.deltaplane.client.model.IngestMapping;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/** Ingest mappings of ingest-worker: {@code list/get/create/update/delete}, pause/resume, status. */
public final class IngestMappings {
    private final Deltaplane client;
    private final Calls calls;
    private final IngestApi api;

    IngestMappings(Deltaplane client, GeneratedApis generated, Calls calls) {
        this.client = client;
        this.calls = calls;
        this.api = new IngestApi(generated.ingest());
    }

    public List<IngestMapping> list() {
        Map<String, List<MappingResource>> answer = calls.idempotent(api::getIngestMappings);
        return answer.getOrDefault("mappings", List.of()).stream()
                .map(IngestMappings::mapping)
                .toList();
    }

    public IngestMapping get(String name) {
        return mapping(calls.idempotent(h -> api.getIngestMappingsByName(name, h)));
    }

    public IngestMapping create(IngestMapping mapping) {
        return mapping(calls.create(h -> api.postIngestMappings(resource(mapping), h)));
    }

    public IngestMapping update(IngestMapping mapping) {
        return mapping(calls.idempotent(h -> api.putIngestMappingsByName(mapping.name(), resource(mapping), h)));
    }

    /** The mapping's JSON as the contract's typed body. */
    private static MappingResource resource(IngestMapping mapping) {
        return io.deltaplane.client.internal.Json.mapper().convertValue(mapping.body(), MappingResource.class);
    }

    public void delete(String name) {
        calls.idempotent(h -> {
            api.deleteIngestMappingsByName(name, h);
            return null;
        });
    }

    public void pause(String name) {
        calls.create(h -> api.postIngestMappingsByNamePause(name, h));
    }

    public void resume(String name) {
        calls.create(h -> api.postIngestMappingsByNameResume(name, h));
    }

    /** State, per-partition offsets, lag, rows ingested and dead-lettered, last batch (the generated model). */
    public MappingStatus status(String name) {
        return calls.idempotent(h -> api.getIngestMappingsByNameStatus(name, h));
    }

    public CompletableFuture<List<IngestMapping>> listAsync() {
        return client.async(this::list);
    }

    public CompletableFuture<IngestMapping> getAsync(String name) {
        return client.async(() -> get(name));
    }

    public CompletableFuture<IngestMapping> createAsync(IngestMapping mapping) {
        return client.async(() -> create(mapping));
    }

    public CompletableFuture<IngestMapping> updateAsync(IngestMapping mapping) {
        return client.async(() -> update(mapping));
    }

    public CompletableFuture<Void> deleteAsync(String name) {
        return client.async(() -> {
            delete(name);
            return null;
        });
    }

    private static IngestMapping mapping(MappingResource resource) {
        return IngestMapping.of(Json.tree(resource));
    }
}
