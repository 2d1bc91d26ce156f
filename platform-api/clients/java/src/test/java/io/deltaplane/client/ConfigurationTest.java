package io.deltaplane.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Settings fail fast with InvalidConfigurationException; the key is never printed. */
class ConfigurationTest {

    @Test
    void fromEnvironmentReadsEveryVariable() {
        try (Deltaplane client = Deltaplane.fromEnvironment(Map.of(
                "DELTAPLANE_API_URL", "http://gateway.internal:8080/",
                "DELTAPLANE_API_KEY", "dp_secret-key-1",
                "DELTAPLANE_TIMEOUT_MS", "2500",
                "DELTAPLANE_ARTIFACT_BUCKET", "run-logs",
                "DELTAPLANE_LOG_SHIP", "false"))) {
            DeltaplaneConfig config = client.config();
            assertThat(config.url()).hasToString("http://gateway.internal:8080");
            assertThat(config.credentials().bearer()).isEqualTo("dp_secret-key-1");
            assertThat(config.timeout()).isEqualTo(Duration.ofMillis(2500));
            assertThat(config.artifactBucket()).isEqualTo("run-logs");
            assertThat(config.logShip()).isFalse();
            assertThat(config.toString()).doesNotContain("dp_secret-key-1");
        }
    }

    @Test
    void dsnCarriesUrlAndKey() {
        try (Deltaplane client = Deltaplane.connect("deltaplane://:dp_abc-DEF_123@localhost:8080")) {
            assertThat(client.config().url()).hasToString("http://localhost:8080");
            assertThat(client.config().credentials().bearer()).isEqualTo("dp_abc-DEF_123");
        }
        try (Deltaplane client = Deltaplane.connect("deltaplanes://:k3y-with-enough@api.example.com")) {
            assertThat(client.config().url()).hasToString("https://api.example.com");
        }
        try (Deltaplane client =
                Deltaplane.fromEnvironment(Map.of("DELTAPLANE_API_URL", "deltaplane://:dp_env-key@h:9000"))) {
            assertThat(client.config().credentials().bearer()).isEqualTo("dp_env-key");
            assertThat(client.config().url()).hasToString("http://h:9000");
        }
    }

    @Test
    void missingOrMalformedSettingsFailFast() {
        assertInvalid(Map.of(), "DELTAPLANE_API_URL");
        assertInvalid(Map.of("DELTAPLANE_API_URL", "http://localhost:8080"), "API key");
        assertInvalid(Map.of("DELTAPLANE_API_URL", "ftp://x", "DELTAPLANE_API_KEY", "k"), "http(s)");
        assertInvalid(
                Map.of("DELTAPLANE_API_URL", "http://x:1", "DELTAPLANE_API_KEY", "k", "DELTAPLANE_TIMEOUT_MS", "soon"),
                "milliseconds");
        assertInvalid(
                Map.of("DELTAPLANE_API_URL", "http://x:1", "DELTAPLANE_API_KEY", "k", "DELTAPLANE_TIMEOUT_MS", "0"),
                "positive");
        assertInvalid(
                Map.of("DELTAPLANE_API_URL", "http://x:1", "DELTAPLANE_API_KEY", "k", "DELTAPLANE_LOG_SHIP", "maybe"),
                "true or false");
        assertThatThrownBy(() -> Deltaplane.connect("postgres://:k@h:1"))
                .isInstanceOf(InvalidConfigurationException.class);
        assertThatThrownBy(() -> Deltaplane.connect("deltaplane://:k@h:1/some/path"))
                .isInstanceOf(InvalidConfigurationException.class);
        assertThatThrownBy(() -> Deltaplane.connect("deltaplane://h:1"))
                .isInstanceOf(InvalidConfigurationException.class)
                .hasMessageContaining("API key");
        assertThatThrownBy(() -> Deltaplane.builder()
                        .url("http://h:1")
                        .apiKey("with space")
                        .build())
                .isInstanceOf(InvalidConfigurationException.class);
        assertThatThrownBy(() -> Deltaplane.builder()
                        .url("http://h:1")
                        .apiKey("k")
                        .maxAttempts(0)
                        .build())
                .isInstanceOf(InvalidConfigurationException.class);
    }

    @Test
    void sessionContextResolvesShortNames() {
        try (Deltaplane client =
                Deltaplane.builder().url("http://h:1").apiKey("k").build()) {
            assertThatThrownBy(() -> client.resolveTable("orders"))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("useCatalog");
            client.useCatalog("main").useSchema("sales");
            assertThat(client.currentCatalog()).isEqualTo("main");
            assertThat(client.currentSchema()).isEqualTo("sales");
            assertThat(client.resolveTable("orders")).isEqualTo("main.sales.orders");
            assertThat(client.resolveTable("finance.ledger")).isEqualTo("main.finance.ledger");
            assertThat(client.resolveTable("other.s.t")).isEqualTo("other.s.t");
            client.useSchema("lake.raw");
            assertThat(client.currentCatalog()).isEqualTo("lake");
            assertThat(client.resolveSchema("raw")).isEqualTo("lake.raw");
            assertThatThrownBy(() -> client.useCatalog("bad name")).isInstanceOf(IllegalArgumentException.class);
        }
    }

    private static void assertInvalid(Map<String, String> env, String message) {
        assertThatThrownBy(() -> Deltaplane.fromEnvironment(env))
                .isInstanceOf(InvalidConfigurationException.class)
                .hasMessageContaining(message);
    }
}
