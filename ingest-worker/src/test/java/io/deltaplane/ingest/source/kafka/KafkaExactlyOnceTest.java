package io.deltaplane.ingest.source.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import io.deltaplane.ingest.ConsumedOffsets;
import io.deltaplane.ingest.TestKafka;
import io.deltaplane.ingest.TestMappings;
import io.deltaplane.ingest.mapping.MappingSpec;
import io.deltaplane.ingest.sink.Warehouse;
import io.deltaplane.ingest.status.IngestStats;
import io.deltaplane.support.secrets.Secrets;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Kafka → DuckDB exactly once, against the embedded KRaft broker and real DuckDB files (no mocks):
 * every good event lands once, every bad one is a dead letter — also across a SIGKILL of the worker.
 */
class KafkaExactlyOnceTest {

    static final long EVENTS = 100_000;
    static final long BAD =
            LongStream.range(0, EVENTS).filter(TestMappings::isBad).count();

    @TempDir
    Path dir;

    @Test
    void everyGoodEventOnceEveryBadOneDeadLettered() throws Exception {
        String topic = TestKafka.topic("exactly-once");
        TestKafka.produce(topic, 0, EVENTS, TestMappings::event);
        MappingSpec mapping = TestMappings.kafka("eo", topic, "eo_events", 5_000, 200);

        try (Warehouse warehouse = Warehouse.open(dir.resolve("eo.duckdb").toString())) {
            IngestStats stats = drain(warehouse, mapping, EVENTS);
            assertThat(stats.rowsIngested()).isEqualTo(EVENTS - BAD);
            assertThat(stats.rowsDeadLettered()).isEqualTo(BAD);
            assertExactlyOnce(warehouse, "eo_events", EVENTS);
            assertThat(stats.snapshot().partitions())
                    .extracting(p -> p.sinkOffset())
                    .containsExactly(EVENTS / 4, EVENTS / 4, EVENTS / 4, EVENTS / 4);

            // Started again (a clean restart) it resumes at the control table: nothing is re-read.
            TestKafka.produce(topic, EVENTS, 1_000, TestMappings::event);
            IngestStats restarted = drain(warehouse, mapping, EVENTS + 1_000);
            assertThat(restarted.snapshot().batches())
                    .as("batches are the mapping's total, kept by the sink across restarts")
                    .isGreaterThan(stats.snapshot().batches());
            assertExactlyOnce(warehouse, "eo_events", EVENTS + 1_000);
        }
    }

    @Test
    void killedMidStreamThenRestartedStillExactlyOnce() throws Exception {
        long events = 30_000;
        String topic = TestKafka.topic("crash");
        TestKafka.produce(topic, 0, events, TestMappings::event);
        Path file = dir.resolve("crash.duckdb");

        Process child = new ProcessBuilder(
                        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                        "-cp",
                        System.getProperty("java.class.path"),
                        CrashableWorker.class.getName(),
                        file.toString(),
                        TestKafka.bootstrap(),
                        topic)
                .redirectError(ProcessBuilder.Redirect.DISCARD)
                .start();
        long reported = 0;
        try (BufferedReader out =
                new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = out.readLine()) != null) {
                if (line.startsWith("rows=")) {
                    reported = Long.parseLong(line.substring(5));
                    if (reported >= 4_000) {
                        break;
                    }
                }
            }
        } finally {
            // SIGKILL: no shutdown hook, no rollback, no close — as if the machine died.
            child.destroyForcibly();
            assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
        }
        assertThat(reported).as("the worker was killed mid-stream").isBetween(4_000L, events - 1);

        try (Warehouse warehouse = Warehouse.open(file.toString())) {
            long before = count(warehouse, "SELECT count(*) FROM events.crash_events")
                    + count(warehouse, "SELECT count(*) FROM events.crash_events_dead_letters");
            assertThat(before).as("committed before the kill").isBetween(4_000L, events - 1);
            MappingSpec mapping = TestMappings.kafka("crash", topic, "crash_events", 1_000, 100);
            // The restarted consumer's totals start from what the warehouse kept, not from zero.
            drain(warehouse, mapping, events);
            assertExactlyOnce(warehouse, "crash_events", events);
        }
    }

    /**
     * Runs the consumer until the mapping's totals (kept by the sink across restarts) reach {@code
     * expected} events written or dead-lettered, then stops it cleanly.
     */
    static IngestStats drain(Warehouse warehouse, MappingSpec mapping, long expected)
            throws InterruptedException, SQLException {
        KafkaClientSettings settings = new KafkaClientSettings(TestKafka.bootstrap(), Secrets.fromEnvironment());
        IngestStats stats = new IngestStats(mapping.name(), new SimpleMeterRegistry(), Clock.systemUTC());
        KafkaIngestRunner runner = new KafkaIngestRunner(mapping, () -> settings.consumer(mapping), warehouse, stats);
        runner.start();
        long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
        while (stats.rowsIngested() + stats.rowsDeadLettered() < expected && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        // Nothing is left that could land again: the worker's offsets, committed with its rows, cover
        // every event of the topic.
        assertThat(ConsumedOffsets.of(warehouse, mapping.name())).isEqualTo(expected);
        runner.stop(Duration.ofSeconds(30));
        assertThat(stats.rowsIngested() + stats.rowsDeadLettered()).isEqualTo(expected);
        return stats;
    }

    /** Events 0..events-1 were produced: each good one is in the table once, each bad one a dead letter. */
    static void assertExactlyOnce(Warehouse warehouse, String table, long events) throws SQLException {
        long bad = LongStream.range(0, events).filter(TestMappings::isBad).count();
        String target = "events." + table;
        String dead = "events." + table + "_dead_letters";
        assertThat(count(warehouse, "SELECT count(*) FROM " + target)).isEqualTo(events - bad);
        assertThat(count(warehouse, "SELECT count(DISTINCT (_partition, _offset)) FROM " + target))
                .isEqualTo(events - bad);
        assertThat(count(warehouse, "SELECT count(DISTINCT id) FROM " + target)).isEqualTo(events - bad);
        assertThat(count(warehouse, "SELECT count(*) FROM " + target + " WHERE id % 50 = 7 OR id >= " + events))
                .isZero();
        assertThat(count(warehouse, "SELECT count(*) FROM " + dead)).isEqualTo(bad);
        assertThat(count(warehouse, "SELECT count(DISTINCT (_partition, _offset)) FROM " + dead))
                .isEqualTo(bad);
        // Together they cover every (partition, offset) of the topic exactly once.
        assertThat(count(
                        warehouse,
                        "SELECT count(DISTINCT (_partition, _offset)) FROM (SELECT _partition, _offset FROM " + target
                                + " UNION ALL SELECT _partition, _offset FROM " + dead + ")"))
                .isEqualTo(events);
        // Offset o of partition p holds event 4o + p (events were sent round-robin).
        assertThat(count(warehouse, "SELECT count(*) FROM " + target + " WHERE id <> 4 * _offset + _partition"))
                .isZero();
        List<String> errors = new ArrayList<>();
        try (var c = warehouse.connect();
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery(
                        "SELECT DISTINCT regexp_replace(error, ':.*', '') FROM " + dead + " ORDER BY 1")) {
            while (rs.next()) {
                errors.add(rs.getString(1));
            }
            c.rollback();
        }
        assertThat(errors)
                .containsExactly(
                        "field amount ($.amount) is not a valid DOUBLE",
                        "missing required field device ($.device)",
                        "payload is not valid JSON",
                        "payload is not valid UTF-8");
    }

    static long count(Warehouse warehouse, String sql) throws SQLException {
        try (var c = warehouse.connect();
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            long n = rs.getLong(1);
            c.rollback();
            return n;
        }
    }
}
