package io.deltaplane.support;

import static org.assertj.core.api.Assertions.assertThat;

import io.deltaplane.support.security.ApiKeyStore;
import io.deltaplane.support.security.Scope;
import io.deltaplane.testing.MovableClock;
import io.deltaplane.testing.TestHttp;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

@SpringBootTest(
        classes = ConventionsTestApplication.class,
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {
            "deltaplane.db.schema=conventions",
            "deltaplane.security.admin-api-key=" + ConventionsTest.ADMIN_KEY,
            "deltaplane.http.max-request-body=1KB"
        })
class ConventionsTest {

    static final String ADMIN_KEY = "test-admin-key-conventions-0001";

    @LocalServerPort
    int port;

    @Autowired
    ApiKeyStore keys;

    @Autowired
    javax.sql.DataSource dataSource;

    @Autowired
    io.deltaplane.support.access.PrincipalStore principals;

    private final JsonMapper json = JsonMapper.builder().build();
    private TestHttp admin;

    @BeforeEach
    void setUp() {
        admin = TestHttp.local(port, ADMIN_KEY);
    }

    @Test
    void healthIsOpenAndReadinessChecksPostgres() {
        HttpResponse<String> health = admin.withKey(null).get("/actuator/health/readiness");
        assertThat(health.statusCode()).isEqualTo(200);
        assertThat(health.body()).contains("UP");
        assertThat(admin.withKey(null).get("/actuator/health/liveness").statusCode())
                .isEqualTo(200);
    }

    @Test
    void everythingElseNeedsAKey() {
        HttpResponse<String> response = admin.withKey(null).get("/api/v1/paints");
        assertProblem(response, 401, "UNAUTHENTICATED");
        assertThat(response.headers().firstValue("WWW-Authenticate")).hasValue("Bearer");
        assertProblem(admin.withKey(null).get("/actuator/prometheus"), 401, "UNAUTHENTICATED");
    }

    @Test
    void unknownKeyIs401() {
        assertProblem(admin.withKey("dp_not-a-real-key").get("/api/v1/paints"), 401, "UNAUTHENTICATED");
    }

    @Test
    void bootstrapAdminKeyWorksWithBothHeaders() {
        assertThat(admin.get("/api/v1/paints").statusCode()).isEqualTo(200);
        assertThat(admin.withKey(null)
                        .get("/api/v1/paints", "X-API-Key", ADMIN_KEY)
                        .statusCode())
                .isEqualTo(200);
    }

    @Test
    void readKeyCannotWriteAndWriteKeyCannotAdmin() {
        TestHttp reader = admin.withKey(keys.create("reader", Scope.READ).key());
        assertThat(reader.get("/api/v1/paints").statusCode()).isEqualTo(200);
        assertProblem(reader.post("/api/v1/paints", "{\"name\":\"x\"}"), 403, "FORBIDDEN");

        TestHttp writer = admin.withKey(keys.create("writer", Scope.WRITE).key());
        assertThat(writer.post("/api/v1/paints", "{\"name\":\"x\"}").statusCode())
                .isEqualTo(201);
        assertProblem(writer.get("/api/v1/admin/api-keys"), 403, "FORBIDDEN");
        assertProblem(writer.delete("/api/v1/paints?purge=true"), 403, "FORBIDDEN");
        assertThat(writer.delete("/api/v1/paints?purge=false").statusCode()).isEqualTo(204);
        assertThat(admin.delete("/api/v1/paints?purge=true").statusCode()).isEqualTo(204);
    }

    @Test
    void booleansAndEnumsInTheQueryAreParsedStrictly() {
        TestHttp writer =
                admin.withKey(keys.create("strict-writer", Scope.WRITE).key());
        // Spring's lenient parsing would read these as true and purge with a write key.
        for (String spelling : new String[] {"1", "yes", "on", "TRUE", "true%20", "%20true"}) {
            assertThat(writer.delete("/api/v1/paints?purge=" + spelling).statusCode())
                    .as("purge=" + spelling)
                    .isEqualTo(400);
        }
        assertThat(writer.delete("/api/v1/paints?color=RED").statusCode()).isEqualTo(204);
        assertProblem(writer.delete("/api/v1/paints?color=red"), 400, "BAD_REQUEST");
        assertProblem(writer.delete("/api/v1/paints?color=RED%20"), 400, "BAD_REQUEST");
    }

    @Test
    void aRevokedKeyStopsWorkingAtOnceHereAndWithinTheCacheTtlElsewhere() {
        var created = keys.create("short-lived", Scope.READ);
        TestHttp client = admin.withKey(created.key());
        assertThat(client.get("/api/v1/paints").statusCode()).isEqualTo(200);
        // another service: the same table, a cache of its own, a clock the test moves
        MovableClock clock = MovableClock.frozenAt(java.time.Instant.now());
        ApiKeyStore elsewhere =
                new ApiKeyStore(org.springframework.jdbc.core.simple.JdbcClient.create(dataSource), principals, clock);
        assertThat(elsewhere.authenticate(created.key())).isPresent();

        keys.revoke(created.apiKey().id());
        assertProblem(client.get("/api/v1/paints"), 401, "UNAUTHENTICATED");
        clock.advance(ApiKeyStore.CACHE_TTL.minusMillis(1));
        assertThat(elsewhere.authenticate(created.key()))
                .as("still cached elsewhere within the TTL")
                .isPresent();
        clock.advance(Duration.ofMillis(2));
        assertThat(elsewhere.authenticate(created.key()))
                .as("refused elsewhere once the TTL is over")
                .isEmpty();
    }

    @Test
    void storedKeysAreHashed() throws Exception {
        var created = keys.create("hashed", Scope.READ);
        try (var c = io.deltaplane.testing.TestDatabase.get().connect();
                var s = c.createStatement();
                var rs = s.executeQuery("SELECT * FROM platform.api_keys")) {
            while (rs.next()) {
                for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) {
                    assertThat(String.valueOf(rs.getObject(i))).doesNotContain(created.key());
                }
            }
        }
    }

    @Test
    void unknownPathIsProblemJson() {
        assertProblem(admin.get("/api/v1/nothing-here"), 404, "NOT_FOUND");
    }

    @Test
    void wrongMethodIs405() {
        assertProblem(admin.delete("/api/v1/boom"), 405, "METHOD_NOT_ALLOWED");
    }

    @Test
    void wrongContentTypeIs415() {
        assertProblem(
                admin.send("POST", "/api/v1/paints", "name=x", "Content-Type", "text/plain"),
                415,
                "UNSUPPORTED_MEDIA_TYPE");
    }

    @Test
    void malformedJsonIs400() {
        assertProblem(admin.post("/api/v1/paints", "{\"name\": "), 400, "MALFORMED_JSON");
    }

    @Test
    void unknownEnumValueIs400() {
        assertProblem(admin.post("/api/v1/paints", "{\"name\":\"x\",\"color\":\"PURPLE\"}"), 400, "MALFORMED_JSON");
    }

    @Test
    void invalidFieldIs400WithValidationCode() {
        assertProblem(admin.post("/api/v1/paints", "{\"name\":\"\"}"), 400, "VALIDATION_FAILED");
    }

    @Test
    void aMissingFieldIsNamedInTheDetailAndInErrors() {
        HttpResponse<String> response = admin.post("/api/v1/paints", "{\"color\":\"RED\"}");

        assertProblem(response, 400, "VALIDATION_FAILED");
        JsonNode problem = json.readTree(response.body());
        assertThat(problem.get("detail").asString()).startsWith("Invalid request: name: ");
        assertThat(problem.get("errors")).hasSize(1);
        assertThat(problem.get("errors").get(0).get("field").asString()).isEqualTo("name");
        assertThat(problem.get("errors").get(0).get("message").asString()).isNotBlank();
    }

    @Test
    void badQueryParameterIs400() {
        assertProblem(admin.get("/api/v1/paints?max_results=lots&maxResults=lots"), 400, "BAD_REQUEST");
    }

    @Test
    void oversizeBodyIs413() {
        String big = "{\"name\":\"" + "x".repeat(2000) + "\"}";
        assertProblem(admin.post("/api/v1/paints", big), 413, "PAYLOAD_TOO_LARGE");
    }

    @Test
    void unexpectedErrorIs500WithoutInternals() {
        HttpResponse<String> response = admin.get("/api/v1/boom");
        assertProblem(response, 500, "INTERNAL_ERROR");
        assertThat(response.body()).doesNotContain("secret internal detail").doesNotContain("Exception");
    }

    @Test
    void requestIdIsEchoedOrGenerated() {
        HttpResponse<String> given = admin.get("/api/v1/paints", "X-Request-Id", "pipeline-run-42");
        assertThat(given.headers().firstValue("X-Request-Id")).hasValue("pipeline-run-42");

        HttpResponse<String> generated = admin.get("/api/v1/paints");
        assertThat(generated.headers().firstValue("X-Request-Id")).isPresent();

        HttpResponse<String> hostile = admin.get("/api/v1/paints", "X-Request-Id", "bad id with spaces");
        assertThat(hostile.headers().firstValue("X-Request-Id"))
                .isPresent()
                .get()
                .isNotEqualTo("bad id with spaces");
    }

    @Test
    void problemCarriesTheRequestId() {
        HttpResponse<String> response = admin.withKey(null).get("/api/v1/paints", "X-Request-Id", "trace-me-1");
        assertThat(json.readTree(response.body()).get("request_id").asString()).isEqualTo("trace-me-1");
    }

    @Test
    void prometheusMetricsIncludeHikariPool() {
        HttpResponse<String> response = admin.get("/actuator/prometheus");
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).contains("hikaricp_connections");
    }

    private void assertProblem(HttpResponse<String> response, int status, String errorCode) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        assertThat(response.headers().firstValue("Content-Type"))
                .hasValueSatisfying(type -> assertThat(type).startsWith("application/problem+json"));
        JsonNode body = json.readTree(response.body());
        assertThat(body.get("status").asInt()).isEqualTo(status);
        assertThat(body.get("error_code").asString()).isEqualTo(errorCode);
        assertThat(body.get("request_id").asString())
                .isEqualTo(response.headers().firstValue("X-Request-Id").orElseThrow());
        assertThat(body.has("title")).isTrue();
        assertThat(body.has("type")).isTrue();
    }
}
