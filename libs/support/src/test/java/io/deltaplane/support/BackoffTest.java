package io.deltaplane.support;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.deltaplane.support.backoff.Backoff;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class BackoffTest {

    @Test
    void doublesFromTheFirstWaitUpToTheLongest() {
        Backoff backoff = new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(10), 0);
        assertThat(backoff.delay(1)).isEqualTo(Duration.ofSeconds(1));
        assertThat(backoff.delay(2)).isEqualTo(Duration.ofSeconds(2));
        assertThat(backoff.delay(4)).isEqualTo(Duration.ofSeconds(8));
        assertThat(backoff.delay(5)).isEqualTo(Duration.ofSeconds(10));
        assertThat(backoff.delay(10_000)).isEqualTo(Duration.ofSeconds(10));
    }

    @Test
    void jitterSpreadsWithinItsFraction() {
        Backoff backoff = new Backoff(Duration.ofSeconds(10), Duration.ofSeconds(10), 0.2);
        for (int i = 0; i < 1000; i++) {
            assertThat(backoff.delay(1)).isBetween(Duration.ofSeconds(8), Duration.ofSeconds(12));
        }
    }

    @Test
    void aSequenceGrowsAndStartsOverAfterASuccess() {
        Backoff.Sequence sequence = new Backoff(Duration.ofMillis(500), Duration.ofSeconds(30), 0).sequence();
        assertThat(sequence.next()).isEqualTo(Duration.ofMillis(500));
        assertThat(sequence.next()).isEqualTo(Duration.ofSeconds(1));
        sequence.reset();
        assertThat(sequence.next()).isEqualTo(Duration.ofMillis(500));
        assertThatThrownBy(() -> new Backoff(Duration.ZERO, Duration.ofSeconds(1), 0))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
