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
                .contains("\"s3:prefix\":[\"t/a${*}b${?}c${$}d\\\"e/*\"]")
                .contains("\"Action\":[\"s3:GetObject\"]")
                .doesNotContain("s3:PutObject");
        assertThat(S3TemporaryCredentials.sessionPolicy("lake", "t", true))
                .contains("\"s3:GetObject\",\"s3:PutObject\",\"s3:DeleteObject\"");
        // listing only under "t/": not a neighbour "t_pii/"
        assertThat(S3TemporaryCredentials.sessionPolicy("lake", "t", false))
                .contains("\"s3:prefix\":[\"t/*\"]")
                .doesNotContain("\"t\",");
        // the bucket's root: every object, listing without a condition
        assertThat(S3TemporaryCredentials.sessionPolicy("lake", "", false))
                .contains("\"arn:aws:s3:::lake/*\"")
                .doesNotContain("s3:prefix");
    }

    @Test
    void theSessionIsNamedForTheCallerWithinWhatStsAccepts() {
        assertThat(S3TemporaryCredentials.sessionName("team-a@example.com")).isEqualTo("deltaplane-team-a@example.com");
        // changed or cut: a hash of the whole name keeps two principals apart
        assertThat(S3TemporaryCredentials.sessionName("a b")).startsWith("deltaplane-a_b-");
        assertThat(S3TemporaryCredentials.sessionName("a b")).isNotEqualTo(S3TemporaryCredentials.sessionName("a:b"));
        assertThat(S3TemporaryCredentials.sessionName("x".repeat(100))).hasSize(64);
        assertThat(S3TemporaryCredentials.sessionName("x".repeat(100) + "1"))
                .isNotEqualTo(S3TemporaryCredentials.sessionName("x".repeat(100) + "2"));
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
