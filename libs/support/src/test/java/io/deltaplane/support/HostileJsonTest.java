package io.deltaplane.support;

import static org.assertj.core.api.Assertions.assertThat;

import io.deltaplane.testing.TestHttp;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

/** Bodies a hostile or buggy client sends get a 400 that names the field, in the API's own words. */
@SpringBootTest(
        classes = ConventionsTestApplication.class,
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {
            "deltaplane.db.schema=conventions",
            "deltaplane.security.admin-api-key=" + ConventionsTest.ADMIN_KEY,
            "deltaplane.http.max-request-body=1KB"
        })
class HostileJsonTest {

    @LocalServerPort
    int port;

    TestHttp http;

    @BeforeEach
    void setUp() {
        http = TestHttp.local(port, ConventionsTest.ADMIN_KEY);
    }

    private static void badRequest(HttpResponse<String> answer, String code, String mentions) {
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(400);
        assertThat(answer.headers().firstValue("Content-Type"))
                .hasValueSatisfying(type -> assertThat(type).startsWith("application/problem+json"));
        assertThat(answer.body())
                .contains("\"error_code\":\"" + code + "\"")
                .contains(mentions)
                .contains("\"request_id\"")
                .doesNotContain("io.deltaplane")
                .doesNotContain("java.")
                .doesNotContain("public ");
    }

    @Test
    void aNulCharacterAnywhereIsRefusedNamingTheField() {
        badRequest(http.post("/api/v1/paints", "{\"name\": \"a\\u0000b\"}"), "VALIDATION_FAILED", "'name'");
        badRequest(
                http.post("/api/v1/counters", "{\"name\": \"ok\", \"extra\": {\"deep\": [\"x\", \"\\u0000\"]}}"),
                "VALIDATION_FAILED",
                "'extra.deep.1'");
        badRequest(http.post("/api/v1/paints", "{\"na\\u0000me\": \"x\"}"), "VALIDATION_FAILED", "its name");
        // An escaped backslash followed by "u0000" is ordinary text.
        assertThat(http.post("/api/v1/paints", "{\"name\": \"\\\\u0000\"}").statusCode())
                .isEqualTo(201);
    }

    @Test
    void typesAreNotCoerced() {
        badRequest(http.post("/api/v1/paints", "{\"name\": 123}"), "MALFORMED_JSON", "'name'");
        badRequest(http.post("/api/v1/paints", "{\"name\": true}"), "MALFORMED_JSON", "'name'");
        badRequest(http.post("/api/v1/paints", "{\"name\": \"x\", \"color\": 1}"), "MALFORMED_JSON", "'color'");
    }

    @Test
    void missingAndMalformedBodiesAreExplainedWithoutJavaSignatures() {
        badRequest(http.post("/api/v1/paints", ""), "MALFORMED_JSON", "A JSON request body is required.");
        badRequest(http.post("/api/v1/paints", "{\"name\": "), "MALFORMED_JSON", "not valid JSON");
        badRequest(http.post("/api/v1/paints", "[1, 2]"), "MALFORMED_JSON", "shape");
    }
}
