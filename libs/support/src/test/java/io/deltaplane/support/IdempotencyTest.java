package io.deltaplane.support;

import static org.assertj.core.api.Assertions.assertThat;

import io.deltaplane.support.idempotency.IdempotencyLeases;
import io.deltaplane.support.idempotency.IdempotencyStore;
import io.deltaplane.testing.TestHttp;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.util.UUID;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
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

    @Autowired
    DataSource dataSource;

    @Autowired
    IdempotencyLeases leases;

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

    /**
     * A key held by a request whose process died: answered 409 IDEMPOTENCY_KEY_IN_USE while its lease
     * runs, and taken over by the next request once it has run out — which then runs once, and is
     * replayed after.
     */
    @Test
    void aKeyHeldByAProcessThatDiedIsTakenOverOnceItsLeaseHasRunOut() {
        String body = "{\"name\":\"a\"}";
        String held = UUID.randomUUID().toString();
        String lapsed = UUID.randomUUID().toString();
        // what a process that died mid-request left: one claim still leased, one whose lease ran out
        deadProcess(Clock.systemUTC()).claim(scope("/api/v1/counters"), held, sha256(body));
        deadProcess(Clock.offset(Clock.systemUTC(), Duration.ofHours(-2)))
                .claim(scope("/api/v1/counters"), lapsed, sha256(body));

        HttpResponse<String> waiting = client.post("/api/v1/counters", body, "Idempotency-Key", held);
        assertThat(waiting.statusCode()).isEqualTo(409);
        assertThat(json.readTree(waiting.body()).get("error_code").asString()).isEqualTo("IDEMPOTENCY_KEY_IN_USE");

        HttpResponse<String> takenOver = client.post("/api/v1/counters", body, "Idempotency-Key", lapsed);
        assertThat(takenOver.statusCode()).isEqualTo(201);
        assertThat(takenOver.headers().firstValue("Idempotent-Replayed")).isEmpty();
        HttpResponse<String> again = client.post("/api/v1/counters", body, "Idempotency-Key", lapsed);
        assertThat(again.body()).isEqualTo(takenOver.body());
        assertThat(again.headers().firstValue("Idempotent-Replayed")).hasValue("true");
        assertThat(idOf(client.post("/api/v1/counters", body))).isEqualTo(idOf(takenOver) + 1);
    }

    /** A process that renews its lease keeps its key: the renewal is what tells a live holder from a dead one. */
    @Test
    void aRenewedLeaseKeepsTheKeyFromBeingTakenOver() {
        String body = "{\"name\":\"a\"}";
        String key = UUID.randomUUID().toString();
        IdempotencyStore.Claim claim = deadProcess(Clock.offset(Clock.systemUTC(), Duration.ofHours(-2)))
                .claim(scope("/api/v1/counters"), key, sha256(body));
        UUID token = ((IdempotencyStore.Claim.Fresh) claim).token();
        leases.hold(token); // as if this process's request held it
        try {
            leases.renew();
            HttpResponse<String> refused = client.post("/api/v1/counters", body, "Idempotency-Key", key);
            assertThat(refused.statusCode()).isEqualTo(409);
            assertThat(json.readTree(refused.body()).get("error_code").asString())
                    .isEqualTo("IDEMPOTENCY_KEY_IN_USE");
        } finally {
            leases.drop(token);
        }
    }

    /** What a process claims with: its own store, on its own clock, with a one-hour lease. */
    private IdempotencyStore deadProcess(Clock clock) {
        return new IdempotencyStore(JdbcClient.create(dataSource), clock, Duration.ofHours(24), Duration.ofHours(1));
    }

    /** The scope the filter files this test's keys under for {@code path} (the caller's id and the path). */
    private String scope(String path) {
        String key = UUID.randomUUID().toString();
        client.post(path, "{\"name\":\"scope\"}", "Idempotency-Key", key);
        return JdbcClient.create(dataSource)
                .sql("SELECT scope FROM platform.idempotency_keys WHERE idem_key = ?")
                .param(key)
                .query(String.class)
                .single();
    }

    private static byte[] sha256(String body) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(body.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private int idOf(HttpResponse<String> response) {
        return json.readTree(response.body()).get("id").asInt();
    }
}
