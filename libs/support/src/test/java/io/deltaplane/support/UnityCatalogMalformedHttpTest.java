package io.deltaplane.support;

import static org.assertj.core.api.Assertions.assertThat;

import io.deltaplane.testing.RawHttp;
import java.io.IOException;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * What Tomcat or the firewall refuses before any filter runs, on Unity Catalog's surface, is
 * answered in Unity Catalog's error shape ({@code error_code} from UC's vocabulary, {@code message},
 * the request id) as every other error there is — an engine's UC client parses that shape, not a
 * problem document. And TRACE, refused everywhere, still carries the error code and request id.
 * Sent over a raw socket, since HTTP clients refuse to send most of these.
 */
@SpringBootTest(
        classes = ConventionsTestApplication.class,
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {
            "deltaplane.db.schema=conventions",
            "deltaplane.security.admin-api-key=" + ConventionsTest.ADMIN_KEY,
            "deltaplane.http.max-request-body=1KB"
        })
class UnityCatalogMalformedHttpTest {

    private static final String UC = "/api/2.1/unity-catalog";

    @LocalServerPort
    int port;

    @Test
    void everyRefusalBeforeAControllerIsInUnityCatalogsShape() throws IOException {
        List<String> refused = List.of(
                "GET " + UC + "/catalogs/a%2Fb HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
                "GET " + UC + "/catalogs/a%00b HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
                "GET " + UC + "/catalogs/a%zz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
                "GET " + UC + "/catalogs HTTP/1.1\r\nHost: x\r\nX-Big: " + "x".repeat(20_000)
                        + "\r\nConnection: close\r\n\r\n");
        int sent = 0;
        for (String raw : refused) {
            String answer = RawHttp.send(port, raw);
            sent++;
            assertThat(RawHttp.status(answer)).as(answer).isEqualTo(400);
            assertUnityCatalogError(answer, "INVALID_ARGUMENT");
        }
        assertThat(sent).isEqualTo(refused.size());
    }

    @Test
    void aBodyShorterThanItsContentLengthIsInUnityCatalogsShape() throws IOException {
        String answer = RawHttp.sendThenHalfClose(
                port,
                "POST " + UC + "/catalogs HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                        + "Authorization: Bearer " + ConventionsTest.ADMIN_KEY + "\r\n"
                        + "Content-Length: 100\r\nConnection: close\r\n\r\n{\"name\":\"short\"}");
        assertThat(RawHttp.status(answer)).as(answer).isEqualTo(400);
        assertUnityCatalogError(answer, "INVALID_ARGUMENT");
    }

    @Test
    void traceIsRefusedWithAnErrorCodeAndRequestIdOnBothSurfaces() throws IOException {
        String uc = RawHttp.send(port, "TRACE " + UC + "/catalogs HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
        assertThat(RawHttp.status(uc)).as(uc).isEqualTo(405);
        assertUnityCatalogError(uc, "INVALID_ARGUMENT");

        String v1 = RawHttp.send(port, "TRACE /api/v1/paints HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
        assertThat(RawHttp.status(v1)).as(v1).isEqualTo(405);
        assertThat(v1).containsIgnoringCase("Content-Type: application/problem+json");
        assertThat(v1).contains("\"error_code\":\"").contains("\"request_id\":\"");
    }

    private static void assertUnityCatalogError(String answer, String code) {
        assertThat(answer).as(answer).containsIgnoringCase("Content-Type: application/json");
        assertThat(answer).as(answer).containsIgnoringCase("X-Request-Id: ");
        assertThat(answer)
                .as(answer)
                .contains("\"error_code\":\"" + code + "\"")
                .contains("\"message\":\"")
                .contains("\"request_id\":\"")
                .doesNotContain("<html")
                .doesNotContain("Apache Tomcat");
    }
}
