package io.deltaplane.support.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import io.deltaplane.testing.MovableClock;
import java.net.InetSocketAddress;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.springframework.security.oauth2.jwt.BadJwtException;
import org.springframework.security.oauth2.jwt.JwtException;

/**
 * A provider whose discovery fails is asked again only after {@link OidcTokens#RETRY_DISCOVERY_AFTER}:
 * during an outage, requests are refused at once instead of each waiting out the provider's timeout.
 * The provider is a real HTTP server on loopback that answers its discovery document with 503 and
 * counts the requests; time moves by an injected clock.
 */
class OidcDiscoveryOutageTest {

    @Test
    void aFailedDiscoveryIsNotRetriedByEveryRequest() throws Exception {
        AtomicInteger discoveries = new AtomicInteger();
        HttpServer provider = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        provider.createContext("/", exchange -> {
            discoveries.incrementAndGet();
            exchange.sendResponseHeaders(503, -1);
            exchange.close();
        });
        provider.start();
        try {
            String issuer = "http://127.0.0.1:" + provider.getAddress().getPort() + "/realm";
            MovableClock clock = MovableClock.frozenAt(Instant.parse("2026-11-25T12:00:00Z"));
            OidcTokens tokens = new OidcTokens(new OidcProperties(List.of(issuer), "", "email", "groups", true), clock);
            String token = unsignedLooking(issuer);

            assertThatThrownBy(() -> tokens.decode(token))
                    .isInstanceOf(JwtException.class)
                    .isNotInstanceOf(BadJwtException.class);
            int first = discoveries.get();
            assertThat(first).as("discovery asked").isPositive();

            assertThatThrownBy(() -> tokens.decode(token)).isInstanceOf(JwtException.class);
            assertThatThrownBy(() -> tokens.decode(token)).isInstanceOf(JwtException.class);
            assertThat(discoveries.get())
                    .as("not asked again within the window")
                    .isEqualTo(first);

            clock.advance(OidcTokens.RETRY_DISCOVERY_AFTER.plusSeconds(1));
            assertThatThrownBy(() -> tokens.decode(token)).isInstanceOf(JwtException.class);
            assertThat(discoveries.get()).as("asked again after it").isGreaterThan(first);
        } finally {
            provider.stop(0);
        }
    }

    /** A signed-looking JWT (RS256 header, junk signature) of {@code issuer}: it reaches discovery. */
    private static String unsignedLooking(String issuer) {
        Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
        String header = b64.encodeToString("{\"alg\":\"RS256\",\"typ\":\"JWT\"}".getBytes());
        String claims =
                b64.encodeToString(("{\"iss\":\"" + issuer + "\",\"sub\":\"x\",\"exp\":4102444800}").getBytes());
        return header + "." + claims + "." + b64.encodeToString(new byte[32]);
    }
}
