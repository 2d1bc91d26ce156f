package io.deltaplane.client;

import com.fasterxml.jackson.databind.JsonNode;
import io.deltaplane.client.internal.Transport;
import io.deltaplane.client.model.Schema;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * Schemas: {@code list/get/create/delete}, each also {@code …Async}. A short name resolves against
 * the session's catalog ({@link Deltaplane#useCatalog}).
 */
public final class Schemas {
    private final Deltaplane client;
    private final Transport transport;

    Schemas(Deltaplane client, Transport transport) {
        this.client = client;
        this.transport = transport;
    }

    /** The schemas of the current catalog. */
    public List<Schema> list() {
        return list(client.requireCatalog("schemas"));
    }

    public List<Schema> list(String catalog) {
        return Lists.items(
                transport.get(
                        "/api/v1/schemas"
                                + Transport.query(
                                        Map.of("catalog_name", Names.check("catalog", catalog), "max_results", 1000)),
                        JsonNode.class),
                "schemas",
                Schema.class);
    }

    public Schema get(String name) {
        return transport.get("/api/v1/schemas/" + Transport.segment(client.resolveSchema(name)), Schema.class);
    }

    public Schema create(String name, String comment) {
        String[] full = client.resolveSchema(name).split("\\.");
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("catalog_name", full[0]);
        body.put("name", Names.check("schema", full[1]));
        body.put("comment", comment);
        return transport.send("POST", "/api/v1/schemas", body, Schema.class);
    }

    public Schema create(String name) {
        return create(name, null);
    }

    public void delete(String name, boolean force) {
        transport.send(
                "DELETE",
                "/api/v1/schemas/" + Transport.segment(client.resolveSchema(name)) + (force ? "?force=true" : ""),
                null,
                Void.class);
    }

    public void delete(String name) {
        delete(name, false);
    }

    public CompletableFuture<List<Schema>> listAsync(String catalog) {
        return client.async(() -> list(catalog));
    }

    public CompletableFuture<Schema> getAsync(String name) {
        return client.async(() -> get(name));
    }

    public CompletableFuture<Schema> createAsync(String name, String comment) {
        return client.async(() -> create(name, comment));
    }

    public CompletableFuture<Void> deleteAsync(String name, boolean force) {
        return client.async(() -> {
            delete(name, force);
            return null;
        });
    }
}
