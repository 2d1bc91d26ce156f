package io.deltaplane.client;

import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.util.UUID;
import java.util.function.Consumer;

/**
 * The low-level clients generated at build time from the committed OpenAPI documents
 * ({@code platform-api/openapi/*.json}), one {@code ApiClient} per service and one for the gateway's own API, built once per {@link
 * Deltaplane} and used by its resource managers too: same gateway, API key, user agent and timeouts,
 * one HTTP connection pool. They cover every operation of the contract, e.g.
 * {@code new TablesApi(client.generated().metadata()).getTablesByFullNameHistory(…)}. A call made
 * directly with them gets a fresh {@code X-Request-Id} unless its {@code headers} argument has one;
 * it throws the generated {@code ApiException} and is not retried (the resource managers add that).
 */
public final class GeneratedApis {

    static final String USER_AGENT = "deltaplane-java-client/0.1";

    private final io.deltaplane.client.generated.metadata.invoker.ApiClient metadata;
    private final io.deltaplane.client.generated.lineage.invoker.ApiClient lineage;
    private final io.deltaplane.client.generated.ingest.invoker.ApiClient ingest;
    private final io.deltaplane.client.generated.gateway.invoker.ApiClient gateway;

    GeneratedApis(DeltaplaneConfig config) {
        // One HttpClient for all: the generated ApiClient would build a new one for every API
        // object (getHttpClient() calls HttpClient.Builder#build), each with its own pool and thread.
        HttpClient http = HttpClient.newBuilder()
                .connectTimeout(config.connectTimeout())
                .version(HttpClient.Version.HTTP_1_1)
                .build();
        Consumer<HttpRequest.Builder> interceptor = interceptor(config.credentials());
        String base = config.url().toString();

        metadata = new io.deltaplane.client.generated.metadata.invoker.ApiClient() {
            @Override
            public HttpClient getHttpClient() {
                return http;
            }
        };
        metadata.updateBaseUri(base);
        metadata.setRequestInterceptor(interceptor)
                .setReadTimeout(config.timeout())
                .setConnectTimeout(config.connectTimeout());

        lineage = new io.deltaplane.client.generated.lineage.invoker.ApiClient() {
            @Override
            public HttpClient getHttpClient() {
                return http;
            }
        };
        lineage.updateBaseUri(base);
        lineage.setRequestInterceptor(interceptor)
                .setReadTimeout(config.timeout())
                .setConnectTimeout(config.connectTimeout());

        ingest = new io.deltaplane.client.generated.ingest.invoker.ApiClient() {
            @Override
            public HttpClient getHttpClient() {
                return http;
            }
        };
        ingest.updateBaseUri(base);
        ingest.setRequestInterceptor(interceptor)
                .setReadTimeout(config.timeout())
                .setConnectTimeout(config.connectTimeout());

        gateway = new io.deltaplane.client.generated.gateway.invoker.ApiClient() {
            @Override
            public HttpClient getHttpClient() {
                return http;
            }
        };
        gateway.updateBaseUri(base);
        gateway.setRequestInterceptor(interceptor)
                .setReadTimeout(config.timeout())
                .setConnectTimeout(config.connectTimeout());
    }

    /**
     * Adds the credential (asked for anew each time: a token may have been refreshed) and the user
     * agent to every request, and a request id where the call brought none.
     */
    private static Consumer<HttpRequest.Builder> interceptor(Credentials credentials) {
        return request -> {
            // the generated code adds the call's own headers before it calls the interceptor
            HttpHeaders present = request.copy().build().headers();
            request.setHeader("Authorization", "Bearer " + credentials.bearer()).setHeader("User-Agent", USER_AGENT);
            if (present.firstValue(Calls.REQUEST_ID).isEmpty()) {
                request.header(Calls.REQUEST_ID, UUID.randomUUID().toString());
            }
        };
    }

    /** For {@code io.deltaplane.client.generated.metadata.api.*} (catalogs, schemas, tables, transactions). */
    public io.deltaplane.client.generated.metadata.invoker.ApiClient metadata() {
        return metadata;
    }

    /** For {@code io.deltaplane.client.generated.lineage.api.*} (jobs, runs, events, datasets, lineage). */
    public io.deltaplane.client.generated.lineage.invoker.ApiClient lineage() {
        return lineage;
    }

    /** For {@code io.deltaplane.client.generated.ingest.api.*} (ingest mappings). */
    public io.deltaplane.client.generated.ingest.invoker.ApiClient ingest() {
        return ingest;
    }

    /**
     * For {@code io.deltaplane.client.generated.gateway.api.*}: what the gateway itself answers —
     * API keys, principals and groups ({@code AdminApi}), the audit trail ({@code AuditApi}), the
     * caller ({@code MeApi}).
     */
    public io.deltaplane.client.generated.gateway.invoker.ApiClient gateway() {
        return gateway;
    }

    /** A call of the generated APIs, for {@link #call(GeneratedCall)}. */
    @FunctionalInterface
    public interface GeneratedCall<T> {
        T call() throws Exception;
    }

    /**
     * Makes one call of the generated APIs and answers as the resource managers do on failure: the
     * {@link DeltaplaneException} of the answer's status, carrying the problem's {@code error_code}
     * and request id ({@link NotFoundException}, {@link AuthException}, …), or a {@link
     * TransientNetworkException} when no answer came. Not retried.
     *
     * @param call e.g. {@code () -> new AdminApi(client.generated().gateway()).getAdminApiKeys()}
     */
    public <T> T call(GeneratedCall<T> call) {
        try {
            return call.call();
        } catch (DeltaplaneException e) {
            throw e;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DeltaplaneException("interrupted", 0, null, null, null, e);
        } catch (Exception e) {
            throw ErrorMapper.map(e, null);
        }
    }
}
