package io.deltaplane.gateway.routing;

import java.net.URI;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.hc.client5.http.config.ConnectionConfig;
import org.apache.hc.client5.http.config.RequestConfig;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManager;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManagerBuilder;
import org.apache.hc.core5.util.TimeValue;
import org.apache.hc.core5.util.Timeout;
import org.springframework.cloud.gateway.server.mvc.config.GatewayMvcProperties;
import org.springframework.cloud.gateway.server.mvc.handler.ProxyExchange;
import org.springframework.cloud.gateway.server.mvc.handler.RestClientProxyExchange;
import org.springframework.http.client.HttpComponentsClientHttpRequestFactory;
import org.springframework.web.client.RestClient;
import org.springframework.web.servlet.function.ServerResponse;

/**
 * The gateway's proxy: Spring Cloud Gateway's {@link RestClientProxyExchange}, one per backend so
 * each has its own timeouts and connection pool.
 *
 * <p>The RestClient is deliberately not built from Boot's builder: its interceptors (request-id
 * forwarding) would make Spring buffer every request body in memory, and the gateway must stream
 * gigabyte uploads. The request id still reaches the backend as an ordinary forwarded header.
 *
 * <p>Apache HttpClient carries the calls: it streams both bodies, keeps a pool of keep-alive
 * connections per backend, and its response timeout is a socket timeout (silence is bounded, a
 * long transfer is not). Unlike {@code HttpURLConnection}, whose keep-alive cache is JVM-wide and
 * sized by a system property, the pool is this backend's own and idle connections are checked and
 * evicted (CPU per request measured the same for both). As a proxy it must pass bodies and headers
 * through as they are:
 * no decompression, no cookies, no redirects followed, no retries of its own (retries are
 * Resilience4j's, for idempotent requests only).
 */
public final class BackendProxyExchange implements ProxyExchange {

    /** Connections kept per backend; beyond this, requests wait for a free one. */
    private static final int MAX_CONNECTIONS_PER_BACKEND = 256;

    private final Map<String, ProxyExchange> byOrigin;

    public BackendProxyExchange(BackendProperties backends, GatewayMvcProperties properties) {
        this.byOrigin = backends.byName().values().stream()
                .collect(Collectors.toUnmodifiableMap(
                        Backend::origin, b -> proxyFor(b, properties), (first, second) -> first));
    }

    private static ProxyExchange proxyFor(Backend backend, GatewayMvcProperties properties) {
        Timeout silence = Timeout.of(backend.responseTimeout());
        PoolingHttpClientConnectionManager connections = PoolingHttpClientConnectionManagerBuilder.create()
                .setMaxConnTotal(MAX_CONNECTIONS_PER_BACKEND)
                .setMaxConnPerRoute(MAX_CONNECTIONS_PER_BACKEND)
                .setDefaultConnectionConfig(ConnectionConfig.custom()
                        .setConnectTimeout(Timeout.of(backend.connectTimeout()))
                        .setSocketTimeout(silence)
                        // The backend closes idle keep-alive connections; check one that sat idle.
                        .setValidateAfterInactivity(TimeValue.ofSeconds(1))
                        // a connection is used for a bounded time, so replicas added since get traffic
                        .setTimeToLive(TimeValue.of(backend.connectionTimeToLive()))
                        .build())
                .build();
        CloseableHttpClient client = HttpClients.custom()
                .setConnectionManager(connections)
                .setDefaultRequestConfig(
                        RequestConfig.custom().setResponseTimeout(silence).build())
                .evictIdleConnections(TimeValue.ofSeconds(30))
                .disableAutomaticRetries()
                .disableRedirectHandling()
                .disableContentCompression()
                .disableCookieManagement()
                .disableAuthCaching()
                .build();
        return new RestClientProxyExchange(
                RestClient.builder()
                        .requestFactory(new HttpComponentsClientHttpRequestFactory(client))
                        .build(),
                properties);
    }

    @Override
    public ServerResponse exchange(Request request) {
        URI uri = request.getUri();
        if (uri == null) {
            throw new IllegalStateException("route resolved no backend URI");
        }
        ProxyExchange proxy = byOrigin.get(Backend.origin(uri));
        if (proxy == null) {
            throw new IllegalStateException("no backend configured for " + Backend.origin(uri));
        }
        return proxy.exchange(request);
    }
}
