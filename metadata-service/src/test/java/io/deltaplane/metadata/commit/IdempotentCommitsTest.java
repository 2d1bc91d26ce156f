package io.deltaplane.metadata.commit;

import static org.assertj.core.api.Assertions.assertThat;

import io.deltaplane.metadata.MetadataTestBase;
import jakarta.servlet.Filter;
import java.net.http.HttpResponse;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.core.Ordered;
import tools.jackson.databind.JsonNode;

/**
 * A commit sent with an {@code Idempotency-Key} whose answer is lost after the commit landed — the
 * process storing it failed, or died — is answered, on the retry, from what the commit recorded on
 * the key in its own statement: the same version, marked replayed, and nothing committed again. (A
 * dead process's key is taken over once its lease has run out: {@code IdempotencyTest} in
 * libs/support; here the answer is lost while the process lives, which ends the lease at once.)
 */
@Import(IdempotentCommitsTest.LosesAnswers.class)
class IdempotentCommitsTest extends MetadataTestBase {

    static final String LOSE_ANSWER = "X-Test-Lose-Answer";

    @Test
    void anAppendWhoseAnswerWasLostIsAnsweredFromWhatLandedAndNotCommittedAgain() {
        String table = newTable();
        String key = UUID.randomUUID().toString();
        String body = "{\"actions\":[" + add("a.parquet", 10) + "]}";

        HttpResponse<String> lost =
                http.post("/api/v1/tables/" + table + "/commits", body, "Idempotency-Key", key, LOSE_ANSWER, "yes");
        assertThat(lost.statusCode()).as(lost.body()).isGreaterThanOrEqualTo(500);
        assertThat(version(table)).as("the commit landed").isEqualTo(1);

        HttpResponse<String> retried = http.post("/api/v1/tables/" + table + "/commits", body, "Idempotency-Key", key);
        assertThat(retried.statusCode()).as(retried.body()).isEqualTo(201);
        assertThat(retried.headers().firstValue("Idempotent-Replayed")).hasValue("true");
        JsonNode answer = JSON.readTree(retried.body());
        assertThat(answer.get("version").asLong()).isEqualTo(1);
        assertThat(answer.get("committed_at").asString()).isNotBlank();
        assertThat(version(table)).as("committed once").isEqualTo(1);
        assertThat(livePaths(table, null, 100)).containsExactly("a.parquet");

        // and every retry after gets the same answer
        HttpResponse<String> again = http.post("/api/v1/tables/" + table + "/commits", body, "Idempotency-Key", key);
        assertThat(again.body()).isEqualTo(retried.body());
    }

    @Test
    void aTransactionWhoseAnswerWasLostIsAnsweredWithEachTablesVersion() {
        String a = newTable();
        String b = newTable();
        String key = UUID.randomUUID().toString();
        String body =
                "{\"commits\":[" + part(a, 0, add("a.parquet", 10)) + "," + part(b, 0, add("b.parquet", 10)) + "]}";

        HttpResponse<String> lost = http.post("/api/v1/transactions", body, "Idempotency-Key", key, LOSE_ANSWER, "yes");
        assertThat(lost.statusCode()).as(lost.body()).isGreaterThanOrEqualTo(500);

        HttpResponse<String> retried = http.post("/api/v1/transactions", body, "Idempotency-Key", key);
        assertThat(retried.statusCode()).as(retried.body()).isEqualTo(201);
        assertThat(retried.headers().firstValue("Idempotent-Replayed")).hasValue("true");
        JsonNode versions = JSON.readTree(retried.body()).get("versions");
        assertThat(versions.get(a).asLong()).isEqualTo(1);
        assertThat(versions.get(b).asLong()).isEqualTo(1);
        assertThat(version(a)).isEqualTo(1);
        assertThat(version(b)).isEqualTo(1);
    }

    /** A request whose answer is lost and that has committed nothing is run again on the retry. */
    @Test
    void aRefusedCommitWhoseAnswerWasLostRunsAgain() {
        String table = newTable();
        String key = UUID.randomUUID().toString();
        String body = commitBody(5, java.util.List.of(add("a.parquet", 10))); // expected_version 5: refused

        HttpResponse<String> lost =
                http.post("/api/v1/tables/" + table + "/commits", body, "Idempotency-Key", key, LOSE_ANSWER, "yes");
        assertThat(lost.statusCode()).isGreaterThanOrEqualTo(500);
        HttpResponse<String> retried = http.post("/api/v1/tables/" + table + "/commits", body, "Idempotency-Key", key);
        assertThat(retried.statusCode()).isEqualTo(409);
        assertThat(retried.headers().firstValue("Idempotent-Replayed")).isEmpty();
        assertThat(version(table)).isZero();
    }

    private static String part(String table, long expected, String... actions) {
        return "{\"table\":\"" + table + "\",\"expected_version\":" + expected + ",\"actions\":["
                + String.join(",", actions) + "]}";
    }

    /** Behind the idempotency filter: runs the request, then fails as if its answer could not be stored. */
    @TestConfiguration
    static class LosesAnswers {
        @Bean
        FilterRegistrationBean<Filter> losesAnswers() {
            FilterRegistrationBean<Filter> registration = new FilterRegistrationBean<>((request, response, chain) -> {
                chain.doFilter(request, response);
                if (((jakarta.servlet.http.HttpServletRequest) request).getHeader(LOSE_ANSWER) != null) {
                    response.reset(); // the answer the request wrote never leaves
                    throw new IllegalStateException("the answer was lost after the request ran");
                }
            });
            registration.setOrder(Ordered.HIGHEST_PRECEDENCE + 31); // right behind the idempotency filter (+30)
            return registration;
        }
    }
}
