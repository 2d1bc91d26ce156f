package io.deltaplane.gateway.routing;

import java.net.URI;
import java.util.Map;
import java.util.stream.Collectors;
import org.springframework.cloud.gateway.server.mvc.config.GatewayMvcProperties;
import org.springframework.cloud.gateway.server.mvc.handler.ProxyExchange;
import org.springframework.cloud.gateway.server.mvc.handler.RestClientProxyExchange;
import org.springframework.http.client.SimpleClientHttpRequestFactory;
import org.springframework.web.client.RestClient;
import org.springframework.web.servlet.function.ServerResponse;

/**
 * The gateway's proxy: Spring Cloud Gateway's {@link RestClientProxyExchange}, one per backend so
 * each has its own timeouts.
 *
 * <p>The RestClient is deliberately not built from Boot's builder: its interceptors (request-id
 * forwarding) would make Spring buffer every request body in memory, and the gateway must stream
 * gigabyte uploads. The request id still reaches the backend as an ordinary forwarded header. The
 * {@code HttpURLConnection} factory is used because its timeouts are socket timeouts: silence is
 * bounded, a long transfer is not.
 */
public final class BackendProxyExchange implements ProxyExchange {

    private static final int CHUNK_SIZE = 64 * 1024;

    private final Map<String, ProxyExchange> byOrigin;

    public BackendProxyExchange(BackendProperties backends, GatewayMvcProperties properties) {
        this.byOrigin = backends.byName().values().stream()
                .collect(Collectors.toUnmodifiableMap(
                        Backend::origin, b -> proxyFor(b, properties), (first, second) -> first));
    }

    private static ProxyExchange proxyFor(Backend backend, GatewayMvcProperties properties) {
        SimpleClientHttpRequestFactory factory = new SimpleClientHttpRequestFactory();
        factory.setConnectTimeout(backend.connectTimeout());
        factory.setReadTimeout(backend.responseTimeout());
        factory.setChunkSize(CHUNK_SIZE);
        return new RestClientProxyExchange(
                RestClient.builder().requestFactory(factory).build(), properties);
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
