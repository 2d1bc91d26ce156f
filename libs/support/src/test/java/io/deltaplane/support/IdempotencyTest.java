package io.deltaplane.support;

import static org.assertj.core.api.Assertions.assertThat;

import io.deltaplane.testing.TestHttp;
import java.net.http.HttpResponse;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.json.JsonMapper;

/** Same context as {@link ConventionsTest}: the Idempotency-Key convention every creating POST follows. */
@SpringBootTest(
        classes = ConventionsTestApplication.class,
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {
            "deltaplane.db.schema=conventions",
            "deltaplane.security.admin-api-key=" + ConventionsTest.ADMIN_KEY,
            "deltaplane.http.max-request-body=1KB"
        })
class IdempotencyTest {

    @LocalServerPort
    int port;

    private final JsonMapper json = JsonMapper.builder().build();
    private TestHttp client;

    @BeforeEach
    void setUp() {
        client = TestHttp.local(port, ConventionsTest.ADMIN_KEY);
    }

    @Test
    void repeatWithSameKeyAndBodyReturnsTheFirstResponse() {
        String key = UUID.randomUUID().toString();
        HttpResponse<String> first = client.post("/api/v1/counters", "{\"name\":\"a\"}", "Idempotency-Key", key);
        HttpResponse<String> second = client.post("/api/v1/counters", "{\"name\":\"a\"}", "Idempotency-Key", key);

        assertThat(first.statusCode()).isEqualTo(201);
        assertThat(second.statusCode()).isEqualTo(201);
        assertThat(second.body()).isEqualTo(first.body());
        assertThat(second.headers().firstValue("Idempotent-Replayed")).hasValue("true");
        // The handler ran once: a request without a key creates the next id.
        int next = idOf(client.post("/api/v1/counters", "{\"name\":\"a\"}"));
        assertThat(next).isEqualTo(idOf(first) + 1);
    }

    @Test
    void repeatWithAnotherBodyIsAConflictAndChangesNothing() {
        String key = UUID.randomUUID().toString();
        HttpResponse<String> first = client.post("/api/v1/counters", "{\"name\":\"a\"}", "Idempotency-Key", key);
        HttpResponse<String> other = client.post("/api/v1/counters", "{\"name\":\"b\"}", "Idempotency-Key", key);

        assertThat(other.statusCode()).isEqualTo(409);
        assertThat(json.readTree(other.body()).get("error_code").asString()).isEqualTo("IDEMPOTENCY_KEY_REUSED");
        assertThat(client.post("/api/v1/counters", "{\"name\":\"a\"}", "Idempotency-Key", key)
                        .body())
                .isEqualTo(first.body());
    }

    @Test
    void serverErrorsAreNotRememberedSoARetryRunsAgain() {
        String key = UUID.randomUUID().toString();
        HttpResponse<String> failed = client.post("/api/v1/counters", "{\"name\":\"fail\"}", "Idempotency-Key", key);
        assertThat(failed.statusCode()).isEqualTo(500);
        HttpResponse<String> retried = client.post("/api/v1/counters", "{\"name\":\"fail\"}", "Idempotency-Key", key);
        assertThat(retried.statusCode()).isEqualTo(500);
        assertThat(retried.headers().firstValue("Idempotent-Replayed")).isEmpty();
    }

    @Test
    void keysOfDifferentCallersDoNotCollide() {
        String key = UUID.randomUUID().toString();
        HttpResponse<String> mine = client.post("/api/v1/counters", "{\"name\":\"a\"}", "Idempotency-Key", key);
        HttpResponse<String> bodyForOtherPath =
                client.post("/api/v1/paints", "{\"name\":\"z\"}", "Idempotency-Key", key);
        assertThat(mine.statusCode()).isEqualTo(201);
        assertThat(bodyForOtherPath.statusCode()).isEqualTo(201);
        assertThat(bodyForOtherPath.body()).contains("\"z\"");
    }

    @Test
    void invalidKeyIs400() {
        HttpResponse<String> response =
                client.post("/api/v1/counters", "{\"name\":\"a\"}", "Idempotency-Key", "x".repeat(300));
        assertThat(response.statusCode()).isEqualTo(400);
    }

    private int idOf(HttpResponse<String> response) {
        return json.readTree(response.body()).get("id").asInt();
    }
}
