package io.deltaplane.client;

import com.fasterxml.jackson.databind.JsonNode;
import io.deltaplane.client.internal.Transport;
import io.deltaplane.client.model.Catalog;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/** Catalogs: {@code list/get/create/delete}, each also {@code …Async}. */
public final class Catalogs {
    private final Deltaplane client;
    private final Transport transport;

    Catalogs(Deltaplane client, Transport transport) {
        this.client = client;
        this.transport = transport;
    }

    public List<Catalog> list() {
        return Lists.items(
                transport.get("/api/v1/catalogs?max_results=1000", JsonNode.class), "catalogs", Catalog.class);
    }

    public Catalog get(String name) {
        return transport.get("/api/v1/catalogs/" + Transport.segment(Names.check("catalog", name)), Catalog.class);
    }

    /** @throws ConflictException when it already exists */
    public Catalog create(String name, String comment) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("name", Names.check("catalog", name));
        body.put("comment", comment);
        return transport.send("POST", "/api/v1/catalogs", body, Catalog.class);
    }

    public Catalog create(String name) {
        return create(name, null);
    }

    /** Deletes an empty catalog ({@code force} deletes its schemas and tables too). */
    public void delete(String name, boolean force) {
        transport.send(
                "DELETE",
                "/api/v1/catalogs/" + Transport.segment(Names.check("catalog", name)) + (force ? "?force=true" : ""),
                null,
                Void.class);
    }

    public void delete(String name) {
        delete(name, false);
    }

    public CompletableFuture<List<Catalog>> listAsync() {
        return client.async(this::list);
    }

    public CompletableFuture<Catalog> getAsync(String name) {
        return client.async(() -> get(name));
    }

    public CompletableFuture<Catalog> createAsync(String name, String comment) {
        return client.async(() -> create(name, comment));
    }

    public CompletableFuture<Void> deleteAsync(String name, boolean force) {
        return client.async(() -> {
            delete(name, force);
            return null;
        });
    }
}
