package io.deltaplane.support.security;

import jakarta.servlet.http.HttpServletRequest;
import java.util.List;
import org.springframework.security.web.util.matcher.IpAddressMatcher;

/**
 * The address a request came from, for throttling failed authentications: the connection's peer,
 * or — only when that peer is one of the operator's trusted proxies ({@code
 * deltaplane.security.trusted-proxies}, addresses or CIDR ranges) — the right-most address in
 * {@code X-Forwarded-For} that is not a trusted proxy, or its left-most address when every hop is
 * trusted (as Tomcat's {@code RemoteIpValve} does: behind the gateway, a service that trusts every
 * peer the network lets in takes the one address the gateway resolved). A client cannot pick its
 * address by sending the header itself: from an untrusted peer the header is ignored.
 */
public final class ClientAddresses {

    static final String FORWARDED_FOR = "X-Forwarded-For";

    private final List<IpAddressMatcher> trustedProxies;

    public ClientAddresses(List<String> trustedProxies) {
        this.trustedProxies = trustedProxies.stream()
                .map(String::trim)
                .filter(proxy -> !proxy.isEmpty())
                .map(IpAddressMatcher::new)
                .toList();
    }

    public String of(HttpServletRequest request) {
        String peer = request.getRemoteAddr();
        if (!trusted(peer)) {
            return peer;
        }
        String forwarded = request.getHeader(FORWARDED_FOR);
        if (forwarded == null || forwarded.isBlank()) {
            return peer;
        }
        String[] hops = forwarded.split(",");
        String leftMost = peer;
        for (int i = hops.length - 1; i >= 0; i--) {
            String hop = hops[i].trim();
            if (hop.isEmpty()) {
                continue;
            }
            if (!trusted(hop)) {
                return hop;
            }
            leftMost = hop;
        }
        return leftMost;
    }

    private boolean trusted(String address) {
        for (IpAddressMatcher proxy : trustedProxies) {
            try {
                if (proxy.matches(address)) {
                    return true;
                }
            } catch (IllegalArgumentException e) {
                return false; // not an IP address (a forged header's garbage): never trusted
            }
        }
        return false;
    }
}
