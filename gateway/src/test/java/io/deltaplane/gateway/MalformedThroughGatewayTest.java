package io.deltaplane.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import io.deltaplane.testing.RawHttp;
import java.io.IOException;
import org.junit.jupiter.api.Test;

/**
 * Requests HTTP clients refuse to send, through the gateway: each is answered by the gateway as a
 * problem with an error code and a request id, and none reaches a service.
 */
class MalformedThroughGatewayTest extends GatewayTestBase {

    private static final String POST_TABLE_COMMIT = "POST /api/v1/tables/main.sales.orders/commits HTTP/1.1\r\n"
            + "Host: x\r\nContent-Type: application/json\r\nAuthorization: Bearer " + ADMIN_KEY + "\r\n";

    @Test
    void aBodyShorterThanItsContentLengthIsAProblem() throws IOException {
        String answer = RawHttp.sendThenHalfClose(
                port, POST_TABLE_COMMIT + "Content-Length: 100\r\nConnection: close\r\n\r\n{\"actions\":[]}");

        assertProblem(answer, 400);
        assertThat(METADATA.received()).isEmpty();
    }

    @Test
    void aNonAsciiIdempotencyKeyIsAProblem() throws IOException {
        String answer = RawHttp.send(
                port,
                POST_TABLE_COMMIT
                        + "Idempotency-Key: " + RawHttp.utf8("cl\u00e9-\u4e2d") + "\r\n"
                        + "Content-Length: 14\r\nConnection: close\r\n\r\n{\"actions\":[]}");

        assertProblem(answer, 400);
        assertThat(answer).contains("\"error_code\":\"BAD_REQUEST\"").contains("Idempotency-Key");
        assertThat(METADATA.received()).isEmpty();
    }

    @Test
    void aTenThousandCharacterIdempotencyKeyIsAProblem() throws IOException {
        String answer = RawHttp.send(
                port,
                POST_TABLE_COMMIT
                        + "Idempotency-Key: " + "k".repeat(10_000) + "\r\n"
                        + "Content-Length: 14\r\nConnection: close\r\n\r\n{\"actions\":[]}");

        assertProblem(answer, 400);
        assertThat(METADATA.received()).isEmpty();
    }

    @Test
    void anIdempotencyKeyLongerThanTheLimitIsAProblem() throws IOException {
        String answer = RawHttp.send(
                port,
                POST_TABLE_COMMIT
                        + "Idempotency-Key: " + "k".repeat(256) + "\r\n"
                        + "Content-Length: 14\r\nConnection: close\r\n\r\n{\"actions\":[]}");

        assertProblem(answer, 400);
        assertThat(answer).contains("\"error_code\":\"BAD_REQUEST\"").contains("Idempotency-Key");
        assertThat(METADATA.received()).isEmpty();
    }

    private static void assertProblem(String answer, int status) {
        assertThat(RawHttp.status(answer)).as(answer).isEqualTo(status);
        assertThat(answer).as(answer).containsIgnoringCase("Content-Type: application/problem+json");
        assertThat(answer).as(answer).containsIgnoringCase("X-Request-Id: ");
        assertThat(answer).contains("\"request_id\":\"").contains("\"error_code\":\"");
        assertThat(answer).doesNotContain("<html").doesNotContain("Apache Tomcat");
    }
}
