package io.deltaplane.client;

import java.net.http.HttpRequest;
import java.util.UUID;
import java.util.function.Consumer;

/**
 * The low-level clients generated at build time from the committed OpenAPI documents
 * ({@code platform-api/openapi/*.json}), configured like the {@link Deltaplane} they come from:
 * same gateway, API key and timeouts, a fresh request id per call. They cover every operation of
 * the contract, e.g. {@code new TablesApi(client.generated().metadata()).getTablesByFullNameHistory(…)};
 * they throw the generated {@code ApiException} and do not retry.
 */
public final class GeneratedApis {

    private final DeltaplaneConfig config;

    GeneratedApis(DeltaplaneConfig config) {
        this.config = config;
    }

    /** For {@code io.deltaplane.client.generated.metadata.api.*} (catalogs, schemas, tables, transactions). */
    public io.deltaplane.client.generated.metadata.invoker.ApiClient metadata() {
        var api = new io.deltaplane.client.generated.metadata.invoker.ApiClient();
        api.updateBaseUri(config.url().toString());
        api.setRequestInterceptor(headers());
        api.setReadTimeout(config.timeout());
        api.setConnectTimeout(config.connectTimeout());
        return api;
    }

    /** For {@code io.deltaplane.client.generated.lineage.api.*} (jobs, runs, events, datasets, lineage). */
    public io.deltaplane.client.generated.lineage.invoker.ApiClient lineage() {
        var api = new io.deltaplane.client.generated.lineage.invoker.ApiClient();
        api.updateBaseUri(config.url().toString());
        api.setRequestInterceptor(headers());
        api.setReadTimeout(config.timeout());
        api.setConnectTimeout(config.connectTimeout());
        return api;
    }

    /** For {@code io.deltaplane.client.generated.ingest.api.*} (ingest mappings). */
    public io.deltaplane.client.generated.ingest.invoker.ApiClient ingest() {
        var api = new io.deltaplane.client.generated.ingest.invoker.ApiClient();
        api.updateBaseUri(config.url().toString());
        api.setRequestInterceptor(headers());
        api.setReadTimeout(config.timeout());
        api.setConnectTimeout(config.connectTimeout());
        return api;
    }

    private Consumer<HttpRequest.Builder> headers() {
        return request -> request.header("Authorization", "Bearer " + config.apiKey())
                .header("X-Request-Id", UUID.randomUUID().toString());
    }
}
