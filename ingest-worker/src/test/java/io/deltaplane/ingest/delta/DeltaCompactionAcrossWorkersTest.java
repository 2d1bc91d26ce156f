package io.deltaplane.ingest.delta;

import static org.assertj.core.api.Assertions.assertThat;

import io.deltaplane.ingest.IngestSpringTest;
import io.deltaplane.support.loop.ClusterPasses;
import io.deltaplane.testing.MovableClock;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Every worker of a mapping streams into its table, and each used to ask OPTIMIZE for it every
 * interval: N workers, N compactions. Now each table's compaction pass is claimed once per interval
 * across the workers (in the app's own Postgres, {@code platform.background_passes}); the pass itself
 * here meets an unreachable metadata-service (logged, tried again next interval) — what is under test
 * is who runs it.
 */
class DeltaCompactionAcrossWorkersTest extends IngestSpringTest {

    @Autowired
    DataSource dataSource;

    @Autowired
    DeltaSinks sinks;

    @TempDir
    Path staging;

    @Test
    void eachTableIsCompactedOncePerIntervalAcrossTheWorkers() {
        MovableClock clock = MovableClock.frozenAt(Instant.now());
        JdbcClient jdbc = JdbcClient.create(dataSource);
        DeltaTargetProperties properties = DeltaTestSinks.properties(staging, 50, "any");
        DeltaCompaction a = worker(new ClusterPasses(jdbc, clock, "ingest"), properties);
        DeltaCompaction b = worker(new ClusterPasses(jdbc, clock, "ingest"), properties);
        DeltaTarget orders = target("orders");
        DeltaTarget payments = target("payments");

        assertThat(a.compact(orders)).as("worker a, first").isTrue();
        assertThat(b.compact(orders)).as("worker b, within the interval").isFalse();
        assertThat(a.compact(orders)).as("worker a again, within the interval").isFalse();
        assertThat(b.compact(payments)).as("another table is a pass of its own").isTrue();

        clock.advance(properties.compactionInterval());
        assertThat(b.compact(orders)).as("worker b, the next interval").isTrue();
        assertThat(a.compact(orders)).isFalse();
    }

    private DeltaCompaction worker(ClusterPasses passes, DeltaTargetProperties properties) {
        MetadataClient unreachable =
                new MetadataClient(URI.create("http://127.0.0.1:1"), "key", Duration.ofSeconds(1), DeltaTestSinks.JSON);
        return new DeltaCompaction(sinks, unreachable, properties, passes, new SimpleMeterRegistry());
    }

    private static DeltaTarget target(String name) {
        String table = "lake.s." + name + "_" + UUID.randomUUID().toString().substring(0, 8);
        return new DeltaTarget(table, "file:/tmp/" + table, List.of(), List.of());
    }
}
