package io.deltaplane.client;

import com.fasterxml.jackson.databind.JsonNode;
import io.deltaplane.client.internal.Transport;
import io.deltaplane.client.model.CommitResult;
import io.deltaplane.client.model.Snapshot;
import io.deltaplane.client.model.Table;
import io.deltaplane.client.model.TableSpec;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * Delta tables: {@code list/get/create/delete}, {@code commit} and {@code snapshot}, each also
 * {@code …Async}. Names may be short ({@code orders}) or partial ({@code sales.orders}) and resolve
 * against the session's catalog and schema.
 */
public final class Tables {
    private final Deltaplane client;
    private final Transport transport;

    Tables(Deltaplane client, Transport transport) {
        this.client = client;
        this.transport = transport;
    }

    /** The tables of the current schema. */
    public List<Table> list() {
        return list(client.requireCatalog("tables"), client.requireSchema("tables"));
    }

    public List<Table> list(String catalog, String schema) {
        return Lists.items(
                transport.get(
                        "/api/v1/tables"
                                + Transport.query(
                                        Map.of("catalog_name", catalog, "schema_name", schema, "max_results", 1000)),
                        JsonNode.class),
                "tables",
                Table.class);
    }

    public Table get(String name) {
        return transport.get(path(name), Table.class);
    }

    /** Creates the table at version 0. @throws ConflictException when it already exists */
    public Table create(TableSpec spec) {
        String[] full = client.resolveTable(spec.name()).split("\\.");
        return transport.send("POST", "/api/v1/tables", spec.toRequest(full[0], full[1], full[2]), Table.class);
    }

    /** Removes the table from the catalog; its files stay unless {@code purge} (admin scope). */
    public void delete(String name, boolean purge) {
        transport.send("DELETE", path(name) + (purge ? "?purge=true" : ""), null, Void.class);
    }

    public void delete(String name) {
        delete(name, false);
    }

    /**
     * Commits Delta actions ({@link io.deltaplane.client.model.DeltaActions}) as version {@code
     * expectedVersion + 1}.
     *
     * @throws ConflictException with {@link ConflictException#currentVersion()} when another writer
     *     committed first
     */
    public CommitResult commit(
            String name, long expectedVersion, List<? extends Map<String, ?>> actions, String operation) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("expected_version", expectedVersion);
        body.put("actions", actions);
        body.put("operation", operation);
        return transport.send("POST", path(name) + "/commits", body, CommitResult.class);
    }

    public CommitResult commit(String name, long expectedVersion, List<? extends Map<String, ?>> actions) {
        return commit(name, expectedVersion, actions, null);
    }

    /** The latest snapshot. */
    public Snapshot snapshot(String name) {
        return transport.get(path(name) + "/snapshot", Snapshot.class);
    }

    /** Time travel by version. */
    public Snapshot snapshot(String name, long version) {
        return transport.get(path(name) + "/snapshot" + Transport.query(Map.of("version", version)), Snapshot.class);
    }

    /** Time travel by timestamp: the last version committed at or before it. */
    public Snapshot snapshotAt(String name, Instant timestamp) {
        return transport.get(
                path(name) + "/snapshot" + Transport.query(Map.of("timestamp", timestamp.toString())), Snapshot.class);
    }

    /** Commits newest first ({@code version, timestamp, operation, commit_info}). */
    public JsonNode history(String name) {
        return transport.get(path(name) + "/history", JsonNode.class);
    }

    public CompletableFuture<Table> getAsync(String name) {
        return client.async(() -> get(name));
    }

    public CompletableFuture<List<Table>> listAsync(String catalog, String schema) {
        return client.async(() -> list(catalog, schema));
    }

    public CompletableFuture<Table> createAsync(TableSpec spec) {
        return client.async(() -> create(spec));
    }

    public CompletableFuture<Void> deleteAsync(String name, boolean purge) {
        return client.async(() -> {
            delete(name, purge);
            return null;
        });
    }

    public CompletableFuture<CommitResult> commitAsync(
            String name, long expectedVersion, List<? extends Map<String, ?>> actions) {
        return client.async(() -> commit(name, expectedVersion, actions));
    }

    public CompletableFuture<Snapshot> snapshotAsync(String name) {
        return client.async(() -> snapshot(name));
    }

    private String path(String name) {
        return "/api/v1/tables/" + Transport.segment(client.resolveTable(name));
    }
}
