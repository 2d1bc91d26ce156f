package io.deltaplane.gateway.routing;

import static org.springframework.cloud.gateway.server.mvc.filter.BeforeFilterFunctions.setPath;
import static org.springframework.cloud.gateway.server.mvc.filter.BeforeFilterFunctions.uri;
import static org.springframework.cloud.gateway.server.mvc.handler.GatewayRouterFunctions.route;
import static org.springframework.cloud.gateway.server.mvc.handler.HandlerFunctions.http;

import io.deltaplane.gateway.resilience.BackendResilience;
import io.deltaplane.support.audit.AuditFilter;
import io.deltaplane.support.request.RequestIds;
import io.deltaplane.support.security.ClientAddresses;
import java.util.List;
import org.springframework.cloud.gateway.server.mvc.config.GatewayMvcProperties;
import org.springframework.cloud.gateway.server.mvc.filter.HttpHeadersFilter;
import org.springframework.cloud.gateway.server.mvc.handler.ProxyExchange;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpHeaders;
import org.springframework.web.servlet.function.RequestPredicate;
import org.springframework.web.servlet.function.RequestPredicates;
import org.springframework.web.servlet.function.RouterFunction;
import org.springframework.web.servlet.function.ServerResponse;

/**
 * The routes of API.md's Gateway section, most specific first: a table's lineage snapshots live
 * in lineage-service although every other {@code /tables} path belongs to metadata-service.
 */
@Configuration(proxyBeanMethods = false)
public class RouteConfiguration {

    static final List<String> LINEAGE_TABLE_PATHS = List.of("/api/v1/tables/*/snapshots/**");
    static final List<String> METADATA_PATHS = List.of(
            "/api/v1/catalogs/**",
            "/api/v1/schemas/**",
            "/api/v1/tables/**",
            "/api/v1/transactions/**",
            "/api/v1/incidents/**",
            "/api/v1/health/**",
            "/api/2.1/unity-catalog/**");
    static final List<String> LINEAGE_PATHS = List.of(
            "/api/v1/jobs/**",
            "/api/v1/runs/**",
            "/api/v1/events/**",
            "/api/v1/datasets/**",
            "/api/v1/lineage/**",
            "/api/v1/snapshots/**");
    static final List<String> INGEST_PATHS = List.of("/api/v1/ingest/**");

    /** Where each service serves its own OpenAPI document. */
    static final String SERVICE_API_DOCS = "/v3/api-docs";

    @Bean
    public ProxyExchange backendProxyExchange(BackendProperties backends, GatewayMvcProperties properties) {
        return new BackendProxyExchange(backends, properties);
    }

    @Bean
    public RouterFunction<ServerResponse> apiRoutes(BackendProperties backends, BackendResilience resilience) {
        return backendRoute("lineage-table-snapshots", LINEAGE_TABLE_PATHS, backends.lineage(), resilience, "lineage")
                .and(backendRoute("metadata", METADATA_PATHS, backends.metadata(), resilience, "metadata"))
                .and(backendRoute("lineage", LINEAGE_PATHS, backends.lineage(), resilience, "lineage"))
                .and(backendRoute("ingest", INGEST_PATHS, backends.ingest(), resilience, "ingest"));
    }

    /** {@code /v3/api-docs/{service}} on the gateway is the service's own {@code /v3/api-docs}. */
    @Bean
    public RouterFunction<ServerResponse> apiDocsRoutes(BackendProperties backends, BackendResilience resilience) {
        RouterFunction<ServerResponse> routes = null;
        for (var entry : backends.byName().entrySet()) {
            RouterFunction<ServerResponse> docs = route("api-docs-" + entry.getKey())
                    .route(RequestPredicates.GET(SERVICE_API_DOCS + "/" + entry.getKey()), http())
                    .before(uri(entry.getValue().url()))
                    .before(setPath(SERVICE_API_DOCS))
                    .filter(resilience.forBackend(entry.getKey()))
                    .build();
            routes = routes == null ? docs : routes.and(docs);
        }
        return routes;
    }

    private static RouterFunction<ServerResponse> backendRoute(
            String id, List<String> paths, Backend backend, BackendResilience resilience, String backendName) {
        return route(id)
                .route(anyPath(paths), http())
                .before(request -> {
                    // the service audits what it handles; the gateway only what it refuses itself
                    request.attributes().put(AuditFilter.HANDLED_DOWNSTREAM, Boolean.TRUE);
                    return request;
                })
                .before(uri(backend.url()))
                .filter(resilience.forBackend(backendName))
                .build();
    }

    private static RequestPredicate anyPath(List<String> patterns) {
        return patterns.stream()
                .map(RequestPredicates::path)
                .reduce(RequestPredicate::or)
                .orElseThrow();
    }

    @Bean
    public ForwardedClientAddress forwardedClientAddress(ClientAddresses addresses) {
        return new ForwardedClientAddress(addresses);
    }

    /**
     * The gateway has already put the request id on its response; the backend echoes the same id,
     * which would otherwise appear twice.
     */
    @Bean
    public HttpHeadersFilter.ResponseHttpHeadersFilter dropUpstreamRequestId() {
        return (headers, response) -> {
            HttpHeaders filtered = new HttpHeaders();
            headers.forEach((name, values) -> {
                if (!RequestIds.HEADER.equalsIgnoreCase(name)) {
                    filtered.addAll(name, values);
                }
            });
            return filtered;
        };
    }
}
