package io.deltaplane.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the client sends as its bearer credential: an API key, a token asked of a provider before
 * every request, a token file read again when it changes; and that a credential is never printed.
 * Against the scripted server, which records each request's headers; {@code JavaClientEndToEndTest} (platform-api/e2e) signs
 * in with a real OIDC provider's tokens.
 */
class CredentialsTest {

    ScriptedServer server;

    @TempDir
    Path dir;

    @BeforeEach
    void start() throws Exception {
        server = new ScriptedServer();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void aTokenProviderIsAskedBeforeEveryRequest() {
        AtomicInteger asked = new AtomicInteger();
        server.then(200, "{\"name\":\"main\"}").then(200, "{\"name\":\"main\"}");
        try (Deltaplane client = Deltaplane.builder()
                .url(server.url())
                .credentials(Credentials.token(() -> "eyJ.token-" + asked.incrementAndGet()))
                .build()) {
            client.catalogs().get("main");
            client.catalogs().get("main");
        }
        assertThat(server.requests())
                .extracting(r -> r.header("Authorization"))
                .containsExactly("Bearer eyJ.token-1", "Bearer eyJ.token-2");
    }

    @Test
    void aProviderWithoutATokenFailsTheCallAndSendsNothing() {
        try (Deltaplane failing = Deltaplane.builder()
                        .url(server.url())
                        .credentials(Credentials.token(() -> {
                            throw new IllegalStateException("the identity endpoint is down");
                        }))
                        .build();
                Deltaplane empty = Deltaplane.builder()
                        .url(server.url())
                        .credentials(Credentials.token(() -> " "))
                        .build()) {
            assertThatThrownBy(() -> failing.catalogs().get("main"))
                    .isInstanceOf(AuthException.class)
                    .hasMessageContaining("the identity endpoint is down");
            assertThatThrownBy(() -> empty.catalogs().get("main"))
                    .isInstanceOf(AuthException.class)
                    .hasMessageContaining("No access token");
        }
        assertThat(server.requests()).isEmpty();
    }

    @Test
    void aTokenFileIsReadAgainWhenItChanges() throws Exception {
        Path file = dir.resolve("token");
        Files.writeString(file, "eyJ.first\n");
        server.then(200, "{\"name\":\"main\"}").then(200, "{\"name\":\"main\"}").then(200, "{\"name\":\"main\"}");
        try (Deltaplane client = Deltaplane.fromEnvironment(
                Map.of("DELTAPLANE_API_URL", server.url(), "DELTAPLANE_TOKEN_FILE", file.toString()))) {
            client.catalogs().get("main");
            client.catalogs().get("main");
            // rotated, as an agent refreshing the token would
            Files.writeString(file, "eyJ.second-after-rotation");
            Files.setLastModifiedTime(file, FileTime.from(Instant.now().plusSeconds(60)));
            client.catalogs().get("main");
            assertThat(client.config().toString())
                    .contains("a token from " + file)
                    .doesNotContain("eyJ");
        }
        assertThat(server.requests())
                .extracting(r -> r.header("Authorization"))
                .containsExactly("Bearer eyJ.first", "Bearer eyJ.first", "Bearer eyJ.second-after-rotation");
    }

    @Test
    void oneCredentialIsConfiguredAndItMustBeUsable() {
        Path missing = dir.resolve("not-there");
        for (Map<String, String> env : List.of(
                Map.of("DELTAPLANE_API_KEY", "dp_key-1", "DELTAPLANE_TOKEN", "eyJ.x"),
                Map.of("DELTAPLANE_TOKEN", "eyJ.x", "DELTAPLANE_TOKEN_FILE", missing.toString()))) {
            java.util.Map<String, String> all = new java.util.HashMap<>(env);
            all.put("DELTAPLANE_API_URL", "http://localhost:8080");
            assertThatThrownBy(() -> Deltaplane.fromEnvironment(all))
                    .isInstanceOf(InvalidConfigurationException.class)
                    .hasMessageContaining("not several");
        }
        assertThatThrownBy(() -> Deltaplane.fromEnvironment(Map.of(
                        "DELTAPLANE_API_URL", "http://localhost:8080", "DELTAPLANE_TOKEN_FILE", missing.toString())))
                .isInstanceOf(InvalidConfigurationException.class)
                .hasMessageContaining("not there or not readable");
        assertThatThrownBy(() -> Deltaplane.builder()
                        .url("http://localhost:8080")
                        .apiKey("dp_key-1")
                        .credentials(Credentials.token(() -> "eyJ.x"))
                        .build())
                .isInstanceOf(InvalidConfigurationException.class)
                .hasMessageContaining("not both");
    }

    @Test
    void aTokenFromTheEnvironmentIsSentAndNeverPrinted() {
        server.then(200, "{\"name\":\"main\"}");
        try (Deltaplane client = Deltaplane.fromEnvironment(
                Map.of("DELTAPLANE_API_URL", server.url(), "DELTAPLANE_TOKEN", "eyJ.secret-token\n"))) {
            client.catalogs().get("main");
            assertThat(client.config().toString()).doesNotContain("secret-token");
        }
        assertThat(server.requests().get(0).header("Authorization")).isEqualTo("Bearer eyJ.secret-token");
    }
}
