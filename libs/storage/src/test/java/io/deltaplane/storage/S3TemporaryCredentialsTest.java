package io.deltaplane.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The session policy and session name vended credentials carry; STS itself is another test's. */
class S3TemporaryCredentialsTest {

    @Test
    void thePolicyNamesThePrefixLiterallyEvenWhereItHoldsIamsSpecialCharacters() {
        String policy = S3TemporaryCredentials.sessionPolicy("lake", "/t/a*b?c$d\"e/", false);
        // *, ? and $ would be IAM wildcards and a variable; a quote would end the JSON string
        assertThat(policy)
                .contains("\"arn:aws:s3:::lake/t/a${*}b${?}c${$}d\\\"e/*\"")
                .contains("\"s3:prefix\":[\"t/a${*}b${?}c${$}d\\\"e\",")
                .contains("\"Action\":[\"s3:GetObject\"]")
                .doesNotContain("s3:PutObject");
        assertThat(S3TemporaryCredentials.sessionPolicy("lake", "t", true))
                .contains("\"s3:GetObject\",\"s3:PutObject\",\"s3:DeleteObject\"");
        // the bucket's root: every object, every prefix
        assertThat(S3TemporaryCredentials.sessionPolicy("lake", "", false))
                .contains("\"arn:aws:s3:::lake/*\"")
                .contains("\"s3:prefix\":[\"*\"]");
    }

    @Test
    void theSessionIsNamedForTheCallerWithinWhatStsAccepts() {
        assertThat(S3TemporaryCredentials.sessionName("team-a@example.com")).isEqualTo("deltaplane-team-a@example.com");
        assertThat(S3TemporaryCredentials.sessionName("a b/c:d")).isEqualTo("deltaplane-a_b_c_d");
        assertThat(S3TemporaryCredentials.sessionName("x".repeat(100))).hasSize(64);
    }

    @Test
    void credentialsLastFromFifteenMinutesToTwelveHours() {
        Map<String, String> env = Map.of("AWS_REGION", "us-east-1");
        assertThatThrownBy(() ->
                        S3TemporaryCredentials.fromEnvironment(env, "arn:aws:iam::1:role/r", Duration.ofMinutes(5)))
                .isInstanceOf(IllegalArgumentException.class);
        S3TemporaryCredentials.fromEnvironment(env, "arn:aws:iam::1:role/r", Duration.ofHours(1))
                .close();
    }
}
