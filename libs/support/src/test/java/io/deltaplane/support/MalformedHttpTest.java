package io.deltaplane.support;

import static org.assertj.core.api.Assertions.assertThat;

import io.deltaplane.testing.RawHttp;
import java.io.IOException;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * What Tomcat refuses before any filter runs is answered like every other error: problem+json with
 * a request id (on Unity Catalog's surface, its error shape), never Tomcat's HTML page. Sent over a raw socket, since HTTP clients refuse to send
 * most of these.
 */
@SpringBootTest(
        classes = ConventionsTestApplication.class,
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {
            "deltaplane.db.schema=conventions",
            "deltaplane.security.admin-api-key=" + ConventionsTest.ADMIN_KEY,
            "deltaplane.http.max-request-body=1KB"
        })
class MalformedHttpTest {

    private static final String UC = "/api/2.1/unity-catalog";

    @LocalServerPort
    int port;

    @Test
    void aMalformedPercentEncodingIsAProblem() throws IOException {
        assertProblem(send("GET /api/v1/paints%zz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"), 400);
    }

    @Test
    void anEncodedSlashIsAProblem() throws IOException {
        assertProblem(send("GET /api/v1/a%2Fb HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"), 400);
    }

    @Test
    void headersOverTheLimitAreAProblem() throws IOException {
        String big = "x".repeat(20_000);
        assertProblem(
                send("GET /api/v1/paints HTTP/1.1\r\nHost: x\r\nX-Big: " + big + "\r\nConnection: close\r\n\r\n"), 400);
    }

    @Test
    void connectIsAProblem() throws IOException {
        String answer = send("CONNECT example.com:443 HTTP/1.1\r\nHost: example.com:443\r\nConnection: close\r\n\r\n");
        // Tomcat answers a method it does not implement with 501 (RFC 9110 15.6.2), before any filter.
        assertThat(status(answer)).isIn(405, 501);
        assertProblemBody(answer);
    }

    @Test
    void aBodyLongerThanItsContentLengthLeavesAProblemForTheRest() throws IOException {
        // The 5 declared bytes are a request; the rest is read as the next one, which is not HTTP.
        String answer = send("POST /api/v1/paints HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                + "Content-Length: 5\r\n\r\n{\"name\":\"lying\"}");
        assertThat(answer).doesNotContain("<html").doesNotContain("Apache Tomcat");
        int second = answer.indexOf("HTTP/1.1 400", 12);
        assertThat(second)
                .as("a 400 for the bytes after the declared length: " + answer)
                .isPositive();
        assertProblemBody(answer.substring(second));
    }

    @Test
    void aBodyShorterThanItsContentLengthIsAProblem() throws IOException {
        // The client declares 100 bytes, sends 16 and stops sending: the body can never be read whole.
        String answer =
                sendThenHalfClose("POST /api/v1/paints HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                        + "Authorization: Bearer " + ConventionsTest.ADMIN_KEY + "\r\n"
                        + "Content-Length: 100\r\nConnection: close\r\n\r\n{\"name\":\"short\"}");
        assertProblem(answer, 400);
    }

    @Test
    void aNonAsciiIdempotencyKeyIsAProblem() throws IOException {
        String answer = send("POST /api/v1/paints HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                + "Authorization: Bearer " + ConventionsTest.ADMIN_KEY + "\r\n"
                + "Idempotency-Key: " + RawHttp.utf8("cl\u00e9-\u00e9t\u00e9-\u4e2d") + "\r\n"
                + "Content-Length: 16\r\nConnection: close\r\n\r\n{\"name\":\"short\"}");
        assertProblem(answer, 400);
        assertThat(answer).contains("\"error_code\":\"BAD_REQUEST\"");
    }

    @Test
    void aTenThousandCharacterIdempotencyKeyIsAProblem() throws IOException {
        String answer = send("POST /api/v1/paints HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                + "Authorization: Bearer " + ConventionsTest.ADMIN_KEY + "\r\n"
                + "Idempotency-Key: " + "k".repeat(10_000) + "\r\n"
                + "Content-Length: 16\r\nConnection: close\r\n\r\n{\"name\":\"short\"}");
        assertProblem(answer, 400);
    }

    // On Unity Catalog's surface the same refusals are in Unity Catalog's error shape ({@code
    // error_code} from UC's vocabulary, {@code message}, the request id), as every other error there
    // is: an engine's UC client parses that shape, not a problem document.

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

    private static void assertProblem(String answer, int status) {
        assertThat(status(answer)).as(answer).isEqualTo(status);
        assertProblemBody(answer);
    }

    private static void assertProblemBody(String answer) {
        assertThat(answer).as(answer).containsIgnoringCase("Content-Type: application/problem+json");
        assertThat(answer).as(answer).containsIgnoringCase("X-Request-Id: ");
        assertThat(answer).contains("\"request_id\":\"").contains("\"error_code\":\"");
        assertThat(answer).doesNotContain("<html").doesNotContain("Apache Tomcat");
    }

    private String send(String raw) throws IOException {
        return RawHttp.send(port, raw);
    }

    private String sendThenHalfClose(String raw) throws IOException {
        return RawHttp.sendThenHalfClose(port, raw);
    }

    private static int status(String answer) {
        return RawHttp.status(answer);
    }
}
