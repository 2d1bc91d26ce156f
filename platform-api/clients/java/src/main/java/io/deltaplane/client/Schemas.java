package io.deltaplane.client;

import io.deltaplane.client.generated.metadata.api.SchemasApi;
import io.deltaplane.client.generated.metadata.model.CatalogSchema;
import io.deltaplane.client.generated.metadata.model.CreateSchema;
import io.deltaplane.client.generated.metadata.model.SchemaList;
import io.deltaplane.client.internal.Json;
import io.deltaplane.client.model.Schema;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Schemas: {@code list/get/create/delete}, each also {@code …Async}. A short name resolves against
 * the session's catalog ({@link Deltaplane#useCatalog}).
 */
public final class Schemas {
    private final Deltaplane client;
    private final Calls calls;
    private final SchemasApi api;

    Schemas(Deltaplane client, GeneratedApis generated, Calls calls) {
        this.client = client;
        this.calls = calls;
        this.api = new SchemasApi(generated.metadata());
    }

    /** The schemas of the current catalog. */
    public List<Schema> list() {
        return list(client.requireCatalog("schemas"));
    }

    public List<Schema> list(String catalog) {
        String checked = Names.check("catalog", catalog);
        return Paging.all(
                        calls,
                        (token, h) -> api.getSchemas(checked, Paging.PAGE_SIZE, token, h),
                        SchemaList::getSchemas,
                        SchemaList::getNextPageToken)
                .stream()
                .map(Schemas::schema)
                .toList();
    }

    public Schema get(String name) {
        String fullName = client.resolveSchema(name);
        return schema(calls.idempotent(h -> api.getSchemasByFullName(fullName, h)));
    }

    public Schema create(String name, String comment) {
        String[] full = client.resolveSchema(name).split("\\.");
        CreateSchema body = new CreateSchema()
                .catalogName(full[0])
                .name(Names.check("schema", full[1]))
                .comment(comment);
        return schema(calls.create(h -> api.postSchemas(body, h)));
    }

    public Schema create(String name) {
        return create(name, null);
    }

    public void delete(String name, boolean force) {
        String fullName = client.resolveSchema(name);
        calls.idempotent(h -> {
            api.deleteSchemasByFullName(fullName, force ? Boolean.TRUE : null, h);
            return null;
        });
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

    private static Schema schema(CatalogSchema s) {
        return new Schema(
                s.getCatalogName(), s.getName(), s.getFullName(), s.getComment(), Json.instant(s.getCreatedAt()));
    }
}
