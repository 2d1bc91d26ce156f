package io.deltaplane.support.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class FailedAuthenticationLimiterTest {

    private Instant now = Instant.parse("2026-01-01T00:00:00Z");
    private final Clock clock = new Clock() {
        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    };

    @Test
    void anAddressIsRefusedAfterItsFailuresUntilTheWindowEnds() {
        FailedAuthenticationLimiter limiter = new FailedAuthenticationLimiter(3, Duration.ofMinutes(1), 100, clock);
        for (int i = 0; i < 3; i++) {
            assertThat(limiter.blocked("10.0.0.1")).isEmpty();
            limiter.failed("10.0.0.1");
        }
        assertThat(limiter.blocked("10.0.0.1")).hasValue(Duration.ofMinutes(1));
        assertThat(limiter.blocked("10.0.0.2"))
                .as("other addresses are not affected")
                .isEmpty();
        now = now.plusSeconds(45);
        assertThat(limiter.blocked("10.0.0.1")).hasValue(Duration.ofSeconds(15));
        now = now.plusSeconds(15);
        assertThat(limiter.blocked("10.0.0.1")).isEmpty();
    }

    @Test
    void memoryIsBoundedByForgettingTheLeastRecentlySeen() {
        FailedAuthenticationLimiter limiter = new FailedAuthenticationLimiter(1, Duration.ofMinutes(1), 2, clock);
        limiter.failed("a");
        limiter.failed("b");
        limiter.failed("c");
        assertThat(limiter.blocked("a")).isEmpty();
        assertThat(limiter.blocked("b")).isPresent();
        assertThat(limiter.blocked("c")).isPresent();
    }
}
