package io.deltaplane.ingest.status;

import static org.assertj.core.api.Assertions.assertThat;

import io.deltaplane.testing.MovableClock;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/**
 * Lag in time, on a clock the test moves: a partition whose broker runs ahead of what was read is
 * behind by the age of the newest event read, and keeps falling behind while nothing more is read
 * (a consumer that stopped); a partition with nothing waiting is not behind at all.
 */
class IngestStatsTest {

    @Test
    void aPartitionWhoseBrokerRunsAheadFallsBehindInTimeUntilItCatchesUp() {
        Instant start = Instant.parse("2026-03-02T10:00:00Z");
        MovableClock clock = MovableClock.frozenAt(start);
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        IngestStats stats = new IngestStats("orders", registry, clock);

        assertThat(stats.lagSeconds(0)).as("nothing measured yet").isNaN();
        stats.read(0, start.minusSeconds(30).toEpochMilli());
        stats.lag(0, 500); // the broker holds 500 events past what was read
        assertThat(stats.lagSeconds(0)).isEqualTo(30.0);
        assertThat(registry.get("deltaplane.ingest.lag.seconds")
                        .tag("mapping", "orders")
                        .tag("partition", "0")
                        .gauge()
                        .value())
                .isEqualTo(30.0);

        clock.advance(Duration.ofMinutes(40)); // nothing more read: the consumer stopped
        assertThat(stats.lagSeconds(0)).isEqualTo(30.0 + 40 * 60);
        assertThat(stats.snapshot().partitions().get(0).lagSeconds()).isEqualTo(30.0 + 40 * 60);

        stats.read(0, clock.instant().minusSeconds(2).toEpochMilli());
        stats.read(0, start.toEpochMilli()); // an older event read later does not move it back
        stats.lag(0, 0);
        assertThat(stats.lagSeconds(0)).as("caught up").isZero();
        stats.lag(0, 3);
        assertThat(stats.lagSeconds(0)).isEqualTo(2.0);

        stats.close();
        assertThat(registry.find("deltaplane.ingest.lag.seconds").gauges()).isEmpty();
        assertThat(registry.find("deltaplane.ingest.lag").gauges()).isEmpty();
    }

    @Test
    void aMappingMeantToConsumeThatDoesNotIsStalledAndItsRecentDeadLettersAreARatio() {
        MovableClock clock = MovableClock.frozenAt(Instant.parse("2026-03-02T10:00:00Z"));
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        IngestStats stats = new IngestStats("clicks", registry, clock);
        java.util.function.DoubleSupplier gauge = () -> registry.get("deltaplane.ingest.stalled")
                .tag("mapping", "clicks")
                .gauge()
                .value();

        clock.advance(IngestStats.STALLED_AFTER.minusSeconds(1));
        assertThat(stats.stalled()).as("starting, not yet five minutes").isFalse();
        clock.advance(Duration.ofSeconds(1));
        assertThat(stats.stalled()).as("starting for five minutes").isTrue();
        assertThat(gauge.getAsDouble()).isEqualTo(1.0);

        stats.state(IngestState.RUNNING);
        stats.lag(0, 0);
        clock.advance(Duration.ofHours(1));
        assertThat(stats.stalled())
                .as("running with nothing waiting: a quiet topic")
                .isFalse();
        stats.lag(0, 10);
        assertThat(stats.stalled())
                .as("events wait and none was read for an hour")
                .isTrue();
        stats.read(0, clock.millis());
        assertThat(stats.stalled()).isFalse();
        assertThat(gauge.getAsDouble()).isZero();
        clock.advance(IngestStats.STALLED_AFTER);
        assertThat(stats.stalled()).isTrue();
        stats.state(IngestState.PAUSED);
        assertThat(stats.stalled()).as("paused on purpose").isFalse();
        assertThat(stats.snapshot().stalled()).isFalse();

        assertThat(stats.recentDeadLetterRatio()).isNull();
        stats.batch(new io.deltaplane.ingest.sink.BatchResult(90, 10, java.util.Map.of(0, 100L), 1_000, false));
        stats.batch(new io.deltaplane.ingest.sink.BatchResult(100, 0, java.util.Map.of(0, 200L), 1_000, false));
        assertThat(stats.recentDeadLetterRatio()).isEqualTo(10.0 / 200);
        for (int i = 0; i < IngestStats.RECENT_BATCHES; i++) {
            stats.batch(new io.deltaplane.ingest.sink.BatchResult(50, 50, java.util.Map.of(0, 300L + i), 1_000, false));
        }
        assertThat(stats.snapshot().recentDeadLetterRatio())
                .as("only the last %d batches count", IngestStats.RECENT_BATCHES)
                .isEqualTo(0.5);
        stats.close();
        assertThat(registry.find("deltaplane.ingest.stalled").gauges()).isEmpty();
    }
}
