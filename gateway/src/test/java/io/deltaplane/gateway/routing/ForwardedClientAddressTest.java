package io.deltaplane.gateway.routing;

import static org.assertj.core.api.Assertions.assertThat;

import io.deltaplane.support.security.ClientAddresses;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpHeaders;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.web.servlet.function.ServerRequest;

class ForwardedClientAddressTest {

    private static HttpHeaders forward(ClientAddresses addresses, String peer, String forwardedFor) {
        MockHttpServletRequest servlet = new MockHttpServletRequest("GET", "/api/v1/catalogs");
        servlet.setRemoteAddr(peer);
        servlet.addHeader("X-Forwarded-For", forwardedFor);
        HttpHeaders incoming = new HttpHeaders();
        incoming.add("X-Forwarded-For", forwardedFor);
        incoming.add("Accept", "application/json");
        return new ForwardedClientAddress(addresses).apply(incoming, ServerRequest.create(servlet, List.of()));
    }

    @Test
    void behindATrustedIngressTheServiceIsToldTheClientThatIngressSaw() {
        HttpHeaders out = forward(new ClientAddresses(List.of("10.0.0.0/8")), "10.1.2.3", "192.0.2.1, 203.0.113.7");
        // one address, not the chain: the forged 192.0.2.1 never reaches the service
        assertThat(out.get("X-Forwarded-For")).containsExactly("203.0.113.7");
        assertThat(out.getFirst("Accept")).isEqualTo("application/json");
    }

    @Test
    void fromAnUntrustedPeerThePeerIsTheClient() {
        HttpHeaders out = forward(new ClientAddresses(List.of()), "198.51.100.9", "203.0.113.7");
        assertThat(out.get("X-Forwarded-For")).containsExactly("198.51.100.9");
    }
}
