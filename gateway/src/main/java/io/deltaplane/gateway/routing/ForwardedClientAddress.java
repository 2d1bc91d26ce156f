package io.deltaplane.gateway.routing;

import io.deltaplane.support.security.ClientAddresses;
import org.springframework.cloud.gateway.server.mvc.filter.HttpHeadersFilter;
import org.springframework.core.Ordered;
import org.springframework.http.HttpHeaders;
import org.springframework.web.servlet.function.ServerRequest;

/**
 * Tells the service who the client is: {@code X-Forwarded-For} on every proxied request is the one
 * address the gateway resolved by its own rules ({@link ClientAddresses}: the peer, or what a
 * trusted proxy in front of it said) — never a chain a client could have started itself. The
 * services write it into the audit trail and throttle failed authentications by it, when they trust
 * the gateway (their {@code deltaplane.security.trusted-proxies}; docs/security.md).
 *
 * <p>Runs after Spring Cloud Gateway's own header filters, which drop any incoming {@code
 * X-Forwarded-*} header while no {@code trusted-proxies} of theirs is set.
 */
public final class ForwardedClientAddress implements HttpHeadersFilter.RequestHttpHeadersFilter, Ordered {

    static final String FORWARDED_FOR = "X-Forwarded-For";

    private final ClientAddresses addresses;

    public ForwardedClientAddress(ClientAddresses addresses) {
        this.addresses = addresses;
    }

    @Override
    public HttpHeaders apply(HttpHeaders headers, ServerRequest request) {
        HttpHeaders forwarded = new HttpHeaders();
        forwarded.addAll(headers);
        forwarded.set(FORWARDED_FOR, addresses.of(request.servletRequest()));
        return forwarded;
    }

    @Override
    public int getOrder() {
        return Ordered.LOWEST_PRECEDENCE;
    }
}
