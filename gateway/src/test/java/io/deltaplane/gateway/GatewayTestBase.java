package io.deltaplane.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import io.deltaplane.testing.TestHttp;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.BeforeEach;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The gateway for real (Tomcat on a random port, real Postgres for API keys) in front of three
 * {@link RecordingBackend}s. Every test class extending this shares one Spring context.
 */
@SpringBootTest(
        classes = io.deltaplane.gateway.GatewayApplication.class,
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"deltaplane.security.admin-api-key=" + GatewayTestBase.ADMIN_KEY})
abstract class GatewayTestBase {

    static final String ADMIN_KEY = "gateway-test-admin-key-0001";

    static final RecordingBackend METADATA = RecordingBackend.start("metadata");
    static final RecordingBackend LINEAGE = RecordingBackend.start("lineage");
    static final RecordingBackend INGEST = RecordingBackend.start("ingest");

    static final JsonMapper JSON = JsonMapper.builder().build();

    @LocalServerPort
    int port;

    TestHttp admin;

    @DynamicPropertySource
    static void backends(DynamicPropertyRegistry registry) {
        registry.add("deltaplane.gateway.backends.metadata.url", METADATA::url);
        registry.add("deltaplane.gateway.backends.lineage.url", LINEAGE::url);
        registry.add("deltaplane.gateway.backends.ingest.url", INGEST::url);
        // short, so GatewayRoutingTest sees a connection replaced after its time-to-live
        registry.add(
                "deltaplane.gateway.backends.ingest.connection-time-to-live",
                () -> GatewayRoutingTest.INGEST_CONNECTION_TTL.toMillis() + "ms");
    }

    @BeforeEach
    void resetBackends() {
        METADATA.reset();
        LINEAGE.reset();
        INGEST.reset();
        admin = TestHttp.local(port, ADMIN_KEY);
    }

    static JsonNode json(HttpResponse<String> response) {
        return JSON.readTree(response.body());
    }

    /** Asserts an RFC 9457 problem with our error code and the response's request id. */
    static JsonNode assertProblem(HttpResponse<String> response, int status, String errorCode) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        assertThat(response.headers().firstValue("Content-Type"))
                .hasValueSatisfying(ct -> assertThat(ct).startsWith("application/problem+json"));
        JsonNode body = json(response);
        assertThat(body.path("error_code").asString()).isEqualTo(errorCode);
        assertThat(body.path("status").asInt()).isEqualTo(status);
        assertThat(body.path("request_id").asString())
                .isNotBlank()
                .isEqualTo(response.headers().firstValue("X-Request-Id").orElseThrow());
        return body;
    }
}
