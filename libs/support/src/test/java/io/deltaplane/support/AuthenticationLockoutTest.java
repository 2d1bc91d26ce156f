package io.deltaplane.support;

import static org.assertj.core.api.Assertions.assertThat;

import io.deltaplane.support.security.ClientCredentialsGrant;
import io.deltaplane.testing.TestHttp;
import java.net.http.HttpResponse;
import java.util.UUID;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * Guessing keys stops working after a few tries (429), counted by address and by credential —
 * and a valid key keeps working from an address others failed from (everyone behind one NAT or
 * ingress shares it). {@code X-Forwarded-For} names the client only when a trusted proxy sends it.
 */
class AuthenticationLockoutTest {

    static final String ADMIN_KEY = "test-admin-key-lockout-00001";

    @Nested
    @SpringBootTest(
            classes = ConventionsTestApplication.class,
            webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
            properties = {
                "deltaplane.db.schema=lockout",
                "deltaplane.security.admin-api-key=" + ADMIN_KEY,
                "deltaplane.security.failed-authentications.limit=3",
                "deltaplane.security.failed-authentications.window=1h"
            })
    class DirectClients {

        @LocalServerPort
        int port;

        @Test
        void anAddressThatKeepsFailingIsThrottledButItsValidKeysStillWork() {
            for (int i = 0; i < 3; i++) {
                assertThat(guess(port, null).statusCode()).isEqualTo(401);
            }
            HttpResponse<String> refused = guess(port, null);
            assertThat(refused.statusCode()).isEqualTo(429);
            assertThat(refused.headers().firstValue("Retry-After")).isPresent();
            assertThat(refused.headers().firstValue("Content-Type"))
                    .hasValueSatisfying(type -> assertThat(type).startsWith("application/problem+json"));
            assertThat(refused.body()).contains("\"error_code\":\"RATE_LIMITED\"");
            // a valid key from the same address is not locked out
            assertThat(TestHttp.local(port, ADMIN_KEY).get("/api/v1/paints").statusCode())
                    .isEqualTo(200);
            // a forwarded-for header from an untrusted peer is ignored: no fresh address to hide behind
            assertThat(guess(port, "203.0.113.77").statusCode()).isEqualTo(429);
            // requests without a key are not authentication attempts: health stays open
            assertThat(TestHttp.local(port, null)
                            .get("/actuator/health/liveness")
                            .statusCode())
                    .isEqualTo(200);
        }
    }

    @Nested
    @SpringBootTest(
            classes = ConventionsTestApplication.class,
            webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
            properties = {
                "deltaplane.db.schema=lockout_proxied",
                "deltaplane.security.admin-api-key=" + ADMIN_KEY,
                "deltaplane.security.failed-authentications.limit=3",
                "deltaplane.security.failed-authentications.window=1h",
                "deltaplane.security.trusted-proxies=127.0.0.1,::1"
            })
    class BehindATrustedProxy {

        @LocalServerPort
        int port;

        @Test
        void eachClientAddressIsCountedOnItsOwn() {
            for (int i = 0; i < 3; i++) {
                assertThat(guess(port, "203.0.113.1").statusCode()).isEqualTo(401);
            }
            assertThat(guess(port, "203.0.113.1").statusCode()).isEqualTo(429);
            // the right-most address the proxy did not add is the client: a spoofed left-most one changes nothing
            assertThat(guess(port, "198.51.100.9, 203.0.113.1").statusCode()).isEqualTo(429);
            // another client behind the same proxy is not throttled for it
            assertThat(guess(port, "203.0.113.2").statusCode()).isEqualTo(401);
        }

        @Test
        void guessingKeysAtTheTokenEndpointIsThrottledAsEveryOtherAuthentication() {
            String address = "203.0.113.50";
            for (int i = 0; i < 3; i++) {
                HttpResponse<String> wrong = exchange(port, "dp_guess-" + UUID.randomUUID(), address);
                assertThat(wrong.statusCode()).as(wrong.body()).isEqualTo(401);
                assertThat(wrong.body()).contains("\"error\":\"invalid_client\"");
            }
            HttpResponse<String> refused = exchange(port, "dp_guess-" + UUID.randomUUID(), address);
            assertThat(refused.statusCode()).isEqualTo(429);
            assertThat(refused.headers().firstValue("Retry-After")).isPresent();
            assertThat(refused.body()).contains("\"error\":\"slow_down\"");
            // one count: a bearer guess from the same address is throttled too
            assertThat(guess(port, address).statusCode()).isEqualTo(429);
            // the right key still gets its token from there
            HttpResponse<String> token = exchange(port, ADMIN_KEY, address);
            assertThat(token.statusCode()).as(token.body()).isEqualTo(200);
            assertThat(token.body()).contains("\"access_token\":\"" + ADMIN_KEY + "\"");

            // a secret that kept failing here is refused as a bearer from any address, and back
            String wrong = "dp_wrong-" + UUID.randomUUID();
            for (int i = 0; i < 3; i++) {
                assertThat(exchange(port, wrong, "192.0.2." + (50 + i)).statusCode())
                        .isEqualTo(401);
            }
            assertThat(TestHttp.local(port, wrong)
                            .get("/api/v1/paints", "X-Forwarded-For", "192.0.2.97")
                            .statusCode())
                    .isEqualTo(429);
            assertThat(exchange(port, wrong, "192.0.2.98").statusCode()).isEqualTo(429);
        }

        @Test
        void aCredentialThatKeepsFailingIsRefusedFromEveryAddress() {
            String wrong = "dp_wrong-" + UUID.randomUUID();
            for (int i = 0; i < 3; i++) {
                assertThat(TestHttp.local(port, wrong)
                                .get("/api/v1/paints", "X-Forwarded-For", "192.0.2." + (10 + i))
                                .statusCode())
                        .isEqualTo(401);
            }
            HttpResponse<String> refused =
                    TestHttp.local(port, wrong).get("/api/v1/paints", "X-Forwarded-For", "192.0.2.99");
            assertThat(refused.statusCode()).isEqualTo(429);
            assertThat(TestHttp.local(port, ADMIN_KEY)
                            .get("/api/v1/paints", "X-Forwarded-For", "192.0.2.99")
                            .statusCode())
                    .isEqualTo(200);
        }
    }

    /** A key nobody has, exchanged at the token endpoint (its body, not a header) from {@code forwardedFor}. */
    private static HttpResponse<String> exchange(int port, String secret, String forwardedFor) {
        return TestHttp.local(port, null)
                .send(
                        "POST",
                        ClientCredentialsGrant.ICEBERG_TOKENS,
                        "grant_type=client_credentials&client_secret=" + secret,
                        "Content-Type",
                        "application/x-www-form-urlencoded",
                        "X-Forwarded-For",
                        forwardedFor);
    }

    /** A request with a key nobody has, from {@code forwardedFor} when not null. */
    private static HttpResponse<String> guess(int port, String forwardedFor) {
        TestHttp guesser = TestHttp.local(port, "dp_guess-" + UUID.randomUUID());
        return forwardedFor == null
                ? guesser.get("/api/v1/paints")
                : guesser.get("/api/v1/paints", "X-Forwarded-For", forwardedFor);
    }
}
