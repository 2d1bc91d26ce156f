package io.deltaplane.gateway.routing;

import static java.util.Objects.requireNonNull;

import java.net.URI;
import java.time.Duration;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * One service behind the gateway.
 *
 * @param url base URL of the service, scheme, host and port only (e.g. {@code http://localhost:8081})
 * @param connectTimeout how long to wait for a TCP connection; short, so a stopped service fails fast
 * @param responseTimeout longest silence while waiting for the service's answer (a socket read
 *     timeout: a long streamed body is fine as long as bytes keep flowing)
 * @param connectionTimeToLive how long a kept-alive connection to the service is used: after it, the
 *     next request opens a new one, which the service's load balancer (a Kubernetes Service) may send
 *     to a replica added since — without it, replicas the autoscaler adds get little traffic
 */
public record Backend(
        URI url,
        @DefaultValue("1s") Duration connectTimeout,
        @DefaultValue("30s") Duration responseTimeout,
        @DefaultValue("60s") Duration connectionTimeToLive) {

    public Backend {
        requireNonNull(url, "url");
        if (!"http".equals(url.getScheme()) && !"https".equals(url.getScheme())) {
            throw new IllegalArgumentException("backend url must be http(s)://host:port, got " + url);
        }
        if (url.getHost() == null) {
            throw new IllegalArgumentException("backend url has no host: " + url);
        }
        if (url.getPath() != null && !url.getPath().isEmpty() && !"/".equals(url.getPath())) {
            throw new IllegalArgumentException("backend url must not have a path (paths are kept as sent): " + url);
        }
        requirePositive(connectTimeout, "connect-timeout");
        requirePositive(responseTimeout, "response-timeout");
        requirePositive(connectionTimeToLive, "connection-time-to-live");
    }

    /** {@code scheme://host:port}, the key the proxy uses to find this backend's connection settings. */
    public String origin() {
        return origin(url);
    }

    static String origin(URI uri) {
        int port = uri.getPort() >= 0 ? uri.getPort() : ("https".equals(uri.getScheme()) ? 443 : 80);
        return uri.getScheme() + "://" + uri.getHost() + ":" + port;
    }

    private static void requirePositive(Duration d, String name) {
        if (d == null || d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException(name + " must be positive");
        }
    }
}
