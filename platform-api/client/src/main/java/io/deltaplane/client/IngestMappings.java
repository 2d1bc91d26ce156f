package io.deltaplane.client;

import com.fasterxml.jackson.databind.JsonNode;
import io.deltaplane.client.internal.Transport;
import io.deltaplane.client.model.IngestMapping;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/** Ingest mappings of ingest-worker: {@code list/get/create/update/delete}, pause/resume, status. */
public final class IngestMappings {
    private static final String BASE = "/api/v1/ingest/mappings";
    private final Deltaplane client;
    private final Transport transport;

    IngestMappings(Deltaplane client, Transport transport) {
        this.client = client;
        this.transport = transport;
    }

    public List<IngestMapping> list() {
        return Lists.items(transport.get(BASE, JsonNode.class), "mappings", JsonNode.class).stream()
                .map(IngestMapping::of)
                .toList();
    }

    public IngestMapping get(String name) {
        return IngestMapping.of(transport.get(path(name), JsonNode.class));
    }

    public IngestMapping create(IngestMapping mapping) {
        return IngestMapping.of(transport.send("POST", BASE, mapping.body(), JsonNode.class));
    }

    public IngestMapping update(IngestMapping mapping) {
        return IngestMapping.of(transport.send("PUT", path(mapping.name()), mapping.body(), JsonNode.class));
    }

    public void delete(String name) {
        transport.send("DELETE", path(name), null, Void.class);
    }

    public void pause(String name) {
        transport.send("POST", path(name) + "/pause", null, Void.class);
    }

    public void resume(String name) {
        transport.send("POST", path(name) + "/resume", null, Void.class);
    }

    /** State, per-partition offsets, lag, rows ingested and dead-lettered, last batch. */
    public JsonNode status(String name) {
        return transport.get(path(name) + "/status", JsonNode.class);
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

    private static String path(String name) {
        return BASE + "/" + Transport.segment(name);
    }
}
