package io.deltaplane.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.deltaplane.testing.AzuriteServer;
import io.deltaplane.testing.FaultyConnections;
import io.deltaplane.testing.S3ProxyServer;
import java.io.IOException;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@code DELTAPLANE_STORAGE_TIMEOUT} reaches both SDKs: a store that stops answering fails a
 * request attempt in that time (the SDKs' own defaults are 30 s on S3 and 60 s per try on Azure).
 */
class StorageTimeoutTest {

    @Test
    void aDurationIsReadInTheUsualForms() {
        assertThat(StorageTimeout.from(Map.of())).isEqualTo(Duration.ofSeconds(30));
        assertThat(StorageTimeout.from(Map.of("DELTAPLANE_STORAGE_TIMEOUT", "5s")))
                .isEqualTo(Duration.ofSeconds(5));
        assertThat(StorageTimeout.from(Map.of("DELTAPLANE_STORAGE_TIMEOUT", "750ms")))
                .isEqualTo(Duration.ofMillis(750));
        assertThat(StorageTimeout.from(Map.of("DELTAPLANE_STORAGE_TIMEOUT", "2m")))
                .isEqualTo(Duration.ofMinutes(2));
        assertThat(StorageTimeout.from(Map.of("DELTAPLANE_STORAGE_TIMEOUT", "PT45S")))
                .isEqualTo(Duration.ofSeconds(45));
        for (String bad : new String[] {"soon", "0s", "-1s", "10"}) {
            assertThatThrownBy(() -> StorageTimeout.from(Map.of("DELTAPLANE_STORAGE_TIMEOUT", bad)))
                    .as(bad)
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("DELTAPLANE_STORAGE_TIMEOUT");
        }
    }

    @Test
    void aStalledS3RequestFailsWithinTheTimeoutAndItsRetries() throws Exception {
        try (S3ProxyServer s3 = S3ProxyServer.start();
                FaultyConnections link = FaultyConnections.inFrontOf(s3.port())) {
            S3Storage storage = StoresBehindALink.s3(s3, link, Map.of("DELTAPLANE_STORAGE_TIMEOUT", "500ms"));

            FaultyConnections.Fault stall = link.stallAfter(0, 1000);
            long started = System.nanoTime();
            assertThatThrownBy(() -> storage.exists("s3://lake/t/_delta_log/_last_checkpoint"))
                    .isInstanceOf(IOException.class);
            // Every attempt stalled and timed out: a few half seconds and the SDK's backoff, not 30 s each.
            assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(10));
            assertThat(stall.fired()).isGreaterThanOrEqualTo(2);
        }
    }

    @Test
    void aStalledAzureTryIsAbandonedWithinTheTimeoutAndRetried() throws Exception {
        try (AzuriteServer azurite = AzuriteServer.start();
                FaultyConnections link = FaultyConnections.inFrontOf(azurite.port())) {
            AzureBlobStorage storage =
                    StoresBehindALink.azure(azurite, link, Map.of("DELTAPLANE_STORAGE_TIMEOUT", "500ms"));

            // One try stalls; the SDK gives up on it after the timeout, waits its retry delay
            // (4 s, the SDK's own) and the next try answers: seconds, where the default was 60 s.
            FaultyConnections.Fault stall = link.stallAfter(0, 1);
            long started = System.nanoTime();
            assertThat(storage.exists("az://lake/t/_delta_log/_last_checkpoint"))
                    .isFalse();
            assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(15));
            assertThat(stall.fired()).isEqualTo(1);
        }
    }
}
