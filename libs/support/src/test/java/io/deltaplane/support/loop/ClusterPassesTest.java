package io.deltaplane.support.loop;

import static org.assertj.core.api.Assertions.assertThat;

import io.deltaplane.support.db.PlatformSchema;
import io.deltaplane.testing.MovableClock;
import io.deltaplane.testing.TestDatabase;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.postgresql.ds.PGSimpleDataSource;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Three replicas' loops ticking the same pass: one pass per interval across them, a pass a dead
 * replica left mid-way is taken over once its lease lapses, and two services' passes of one name
 * are their own.
 */
class ClusterPassesTest {

    private static final Duration INTERVAL = Duration.ofSeconds(30);
    private static final Duration LEASE = Duration.ofMinutes(5);

    @Test
    void replicasTickingThePassRunItOncePerInterval() {
        MovableClock clock = MovableClock.frozenAt(Instant.parse("2026-11-29T00:00:00Z"));
        JdbcClient jdbc = migrated();
        ClusterPasses a = new ClusterPasses(jdbc, clock, "metadata");
        ClusterPasses b = new ClusterPasses(jdbc, clock, "metadata");
        ClusterPasses c = new ClusterPasses(jdbc, clock, "metadata");
        ClusterPasses lineage = new ClusterPasses(jdbc, clock, "lineage");
        AtomicInteger runs = new AtomicInteger();
        int ticks = 0;
        for (int interval = 0; interval < 10; interval++) {
            // every replica ticks twice an interval, at its own phase
            for (ClusterPasses replica : new ClusterPasses[] {a, b, c, a, b, c}) {
                replica.runOnce("reconcile", INTERVAL, LEASE, runs::incrementAndGet);
                ticks++;
                clock.advance(INTERVAL.dividedBy(6));
            }
        }
        assertThat(ticks).isEqualTo(60);
        assertThat(runs).as("one pass an interval, not one a tick").hasValue(10);

        AtomicInteger lineageRuns = new AtomicInteger();
        assertThat(lineage.runOnce("reconcile", INTERVAL, LEASE, lineageRuns::incrementAndGet))
                .as("another service's pass of the same name")
                .isTrue();
        assertThat(lineageRuns).hasValue(1);
    }

    @Test
    void aPassLeftByADeadReplicaIsTakenOverWhenItsLeaseLapses() {
        MovableClock clock = MovableClock.frozenAt(Instant.parse("2026-11-29T00:00:00Z"));
        JdbcClient jdbc = migrated();
        ClusterPasses dying = new ClusterPasses(jdbc, clock, "metadata");
        ClusterPasses other = new ClusterPasses(jdbc, clock, "metadata");
        assertThat(dying.claim("health", INTERVAL, LEASE)).isTrue(); // and never releases: killed mid-pass

        AtomicInteger runs = new AtomicInteger();
        clock.advance(INTERVAL.multipliedBy(2));
        assertThat(other.runOnce("health", INTERVAL, LEASE, runs::incrementAndGet))
                .as("due, but the dead replica's lease is live")
                .isFalse();
        clock.advance(LEASE);
        assertThat(other.runOnce("health", INTERVAL, LEASE, runs::incrementAndGet))
                .as("the lease lapsed")
                .isTrue();
        assertThat(runs).hasValue(1);
        // released when done: the next interval's tick runs it again, on any replica
        clock.advance(INTERVAL);
        assertThat(dying.runOnce("health", INTERVAL, LEASE, runs::incrementAndGet))
                .isTrue();
        assertThat(runs).hasValue(2);
    }

    private static JdbcClient migrated() {
        PGSimpleDataSource dataSource = TestDatabase.createAnother().dataSource();
        PlatformSchema.migrate(dataSource);
        return JdbcClient.create(dataSource);
    }
}
