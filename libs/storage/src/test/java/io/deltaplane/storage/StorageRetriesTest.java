package io.deltaplane.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.deltaplane.testing.AzuriteServer;
import io.deltaplane.testing.FaultyConnections;
import io.deltaplane.testing.S3ProxyServer;
import java.io.IOException;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * {@code DELTAPLANE_STORAGE_RETRIES} and {@code DELTAPLANE_STORAGE_RETRY_DELAY} reach both SDKs: a
 * store that cuts every connection sees exactly the first try and the configured retries, spaced
 * by the configured delay instead of the SDKs' own (Azure waits 4, 12 and 28 s).
 */
class StorageRetriesTest {

    private static final int EVERY_CONNECTION = 1000;

    @Test
    void theVariablesAreReadOrRefusedByName() {
        assertThat(StorageRetries.from(Map.of()).sdkDefaults()).isTrue();
        StorageRetries set = StorageRetries.from(Map.of(
                "DELTAPLANE_STORAGE_RETRIES", "0",
                "DELTAPLANE_STORAGE_RETRY_DELAY", "250ms"));
        assertThat(set.retries()).contains(0);
        assertThat(set.delay()).contains(Duration.ofMillis(250));
        assertThat(StorageRetries.from(Map.of("DELTAPLANE_STORAGE_RETRY_DELAY", "PT2S"))
                        .retries())
                .isEmpty();

        for (String bad : new String[] {"-1", "many", "1.5", "101"}) {
            assertThatThrownBy(() -> Storages.fromEnvironment(Map.of("DELTAPLANE_STORAGE_RETRIES", bad)))
                    .as(bad)
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("DELTAPLANE_STORAGE_RETRIES");
        }
        for (String bad : new String[] {"soon", "0s", "-1s", "10"}) {
            assertThatThrownBy(() -> Storages.fromEnvironment(Map.of("DELTAPLANE_STORAGE_RETRY_DELAY", bad)))
                    .as(bad)
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("DELTAPLANE_STORAGE_RETRY_DELAY");
        }
    }

    @Test
    void unsetTheSdksKeepTheirOwnPolicies() {
        StorageRetries unset = new StorageRetries(Optional.empty(), Optional.empty());
        assertThat(AzureClients.retryOptions(unset).getMaxTries()).isEqualTo(4);
        assertThat(AzureClients.retryOptions(unset).getRetryDelay()).isEqualTo(Duration.ofSeconds(4));
        assertThat(S3Clients.retryStrategy(unset)).isEmpty();
        // One of the two set: the other stays the SDK's.
        StorageRetries onlyCount = new StorageRetries(Optional.of(1), Optional.empty());
        assertThat(AzureClients.retryOptions(onlyCount).getMaxTries()).isEqualTo(2);
        assertThat(AzureClients.retryOptions(onlyCount).getRetryDelay()).isEqualTo(Duration.ofSeconds(4));
        assertThat(S3Clients.retryStrategy(onlyCount).orElseThrow().maxAttempts())
                .isEqualTo(2);
    }

    @Test
    void azureTriesOnceMoreThanTheRetriesAndWaitsTheConfiguredDelay() throws Exception {
        try (AzuriteServer azurite = AzuriteServer.start();
                FaultyConnections link = FaultyConnections.inFrontOf(azurite.port())) {
            AzureBlobStorage storage = StoresBehindALink.azure(
                    azurite,
                    link,
                    Map.of("DELTAPLANE_STORAGE_RETRIES", "2", "DELTAPLANE_STORAGE_RETRY_DELAY", "100ms"));

            FaultyConnections.Fault cut = link.cutAfter(0, EVERY_CONNECTION);
            long started = System.nanoTime();
            assertThatThrownBy(() ->
                            storage.putIfAbsent("az://lake/t/_delta_log/00000000000000000000.json", new byte[] {1}))
                    .isInstanceOf(IOException.class);
            // 100 and 300 ms between the tries, where the SDK's own policy waits 4 and 12 s.
            assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(4));
            assertThat(cut.fired()).isEqualTo(3);
        }
    }

    @Test
    void s3TriesOnceMoreThanTheRetries() throws Exception {
        try (S3ProxyServer s3 = S3ProxyServer.start();
                FaultyConnections link = FaultyConnections.inFrontOf(s3.port())) {
            S3Storage storage = StoresBehindALink.s3(
                    s3, link, Map.of("DELTAPLANE_STORAGE_RETRIES", "4", "DELTAPLANE_STORAGE_RETRY_DELAY", "50ms"));

            FaultyConnections.Fault cut = link.cutAfter(0, EVERY_CONNECTION);
            // A write: the JDK's HTTP client repeats a cut GET or HEAD once on its own, never a PUT.
            assertThatThrownBy(() ->
                            storage.putIfAbsent("s3://lake/t/_delta_log/00000000000000000000.json", new byte[] {1}))
                    .isInstanceOf(IOException.class);
            // The SDK's own standard policy makes 3 attempts.
            assertThat(cut.fired()).isEqualTo(5);
        }
    }
}
