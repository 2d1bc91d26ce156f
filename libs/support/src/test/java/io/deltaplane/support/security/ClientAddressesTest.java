package io.deltaplane.support.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.mock.web.MockHttpServletRequest;

class ClientAddressesTest {

    private static MockHttpServletRequest from(String peer, String forwardedFor) {
        MockHttpServletRequest request = new MockHttpServletRequest("GET", "/api/v1/catalogs");
        request.setRemoteAddr(peer);
        if (forwardedFor != null) {
            request.addHeader("X-Forwarded-For", forwardedFor);
        }
        return request;
    }

    @Test
    void anUntrustedPeersHeaderIsIgnored() {
        ClientAddresses addresses = new ClientAddresses(List.of("10.0.0.0/8"));
        assertThat(addresses.of(from("198.51.100.9", "203.0.113.7"))).isEqualTo("198.51.100.9");
    }

    @Test
    void behindATrustedProxyTheRightMostUntrustedHopIsTheClient() {
        ClientAddresses addresses = new ClientAddresses(List.of("10.0.0.0/8"));
        // the client forged the first entry; the ingress appended the address it saw
        assertThat(addresses.of(from("10.1.2.3", "192.0.2.1, 203.0.113.7, 10.4.5.6")))
                .isEqualTo("203.0.113.7");
        assertThat(addresses.of(from("10.1.2.3", null))).isEqualTo("10.1.2.3");
    }

    @Test
    void whenEveryHopIsTrustedTheLeftMostIsTheClient() {
        // a service that trusts every peer its network policy lets in, behind the gateway
        ClientAddresses addresses = new ClientAddresses(List.of("0.0.0.0/0", "::/0"));
        assertThat(addresses.of(from("10.1.2.3", "203.0.113.7"))).isEqualTo("203.0.113.7");
        assertThat(addresses.of(from("10.1.2.3", "2001:db8::7"))).isEqualTo("2001:db8::7");
    }
}
