package io.deltaplane.client;

import io.deltaplane.client.generated.metadata.api.CatalogsApi;
import io.deltaplane.client.generated.metadata.model.CatalogList;
import io.deltaplane.client.generated.metadata.model.CreateCatalog;
import io.deltaplane.client.internal.Json;
import io.deltaplane.client.model.Catalog;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/** Catalogs: {@code list/get/create/delete}, each also {@code …Async}. */
public final class Catalogs {
    private final Deltaplane client;
    private final Calls calls;
    private final CatalogsApi api;

    Catalogs(Deltaplane client, GeneratedApis generated, Calls calls) {
        this.client = client;
        this.calls = calls;
        this.api = new CatalogsApi(generated.metadata());
    }

    public List<Catalog> list() {
        return Paging.all(
                        calls,
                        (token, h) -> api.getCatalogs(Paging.PAGE_SIZE, token, h),
                        CatalogList::getCatalogs,
                        CatalogList::getNextPageToken)
                .stream()
                .map(Catalogs::catalog)
                .toList();
    }

    public Catalog get(String name) {
        String checked = Names.check("catalog", name);
        return catalog(calls.idempotent(h -> api.getCatalogsByName(checked, h)));
    }

    /** @throws ConflictException when it already exists */
    public Catalog create(String name, String comment) {
        CreateCatalog body =
                new CreateCatalog().name(Names.check("catalog", name)).comment(comment);
        return catalog(calls.create(h -> api.postCatalogs(body, h)));
    }

    public Catalog create(String name) {
        return create(name, null);
    }

    /** Deletes an empty catalog ({@code force} deletes its schemas and tables too). */
    public void delete(String name, boolean force) {
        String checked = Names.check("catalog", name);
        calls.idempotent(h -> {
            api.deleteCatalogsByName(checked, force ? Boolean.TRUE : null, h);
            return null;
        });
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

    private static Catalog catalog(io.deltaplane.client.generated.metadata.model.Catalog c) {
        return new Catalog(c.getName(), c.getComment(), Json.instant(c.getCreatedAt()));
    }
}
