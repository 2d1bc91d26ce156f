package io.deltaplane.support;

import static org.assertj.core.api.Assertions.assertThat;

import io.deltaplane.testing.TestHttp;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

/** Guessing keys from one address stops working after a few tries: the address is refused (429). */
@SpringBootTest(
        classes = ConventionsTestApplication.class,
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {
            "deltaplane.db.schema=lockout",
            "deltaplane.security.admin-api-key=" + AuthenticationLockoutTest.ADMIN_KEY,
            "deltaplane.security.failed-authentications.limit=3",
            "deltaplane.security.failed-authentications.window=1h"
        })
class AuthenticationLockoutTest {

    static final String ADMIN_KEY = "test-admin-key-lockout-00001";

    @LocalServerPort
    int port;

    @Test
    void anAddressThatKeepsFailingIsRefusedEvenWithAGoodKey() {
        TestHttp guesser = TestHttp.local(port, "dp_guess-0000000000000000");
        for (int i = 0; i < 3; i++) {
            assertThat(guesser.get("/api/v1/paints").statusCode()).isEqualTo(401);
        }
        HttpResponse<String> refused = guesser.get("/api/v1/paints");
        assertThat(refused.statusCode()).isEqualTo(429);
        assertThat(refused.headers().firstValue("Retry-After")).isPresent();
        assertThat(refused.headers().firstValue("Content-Type"))
                .hasValueSatisfying(type -> assertThat(type).startsWith("application/problem+json"));
        assertThat(refused.body()).contains("\"error_code\":\"RATE_LIMITED\"");
        // Even a valid key is not checked from that address until the window ends: guessing stops.
        assertThat(TestHttp.local(port, ADMIN_KEY).get("/api/v1/paints").statusCode())
                .isEqualTo(429);
        // Requests without a key are not authentication attempts: health stays open.
        assertThat(guesser.withKey(null).get("/actuator/health/liveness").statusCode())
                .isEqualTo(200);
    }
}
