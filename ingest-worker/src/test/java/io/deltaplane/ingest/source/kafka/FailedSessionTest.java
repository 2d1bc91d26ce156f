package io.deltaplane.ingest.source.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import io.deltaplane.ingest.ConsumedOffsets;
import io.deltaplane.ingest.TestKafka;
import io.deltaplane.ingest.TestMappings;
import io.deltaplane.ingest.mapping.MappingSpec;
import io.deltaplane.ingest.policy.EgressPolicy;
import io.deltaplane.ingest.sink.BatchResult;
import io.deltaplane.ingest.sink.Sink;
import io.deltaplane.ingest.sink.SinkBatch;
import io.deltaplane.ingest.sink.SinkFactory;
import io.deltaplane.ingest.sink.SinkTotals;
import io.deltaplane.ingest.sink.Warehouse;
import io.deltaplane.ingest.status.IngestStats;
import io.deltaplane.support.secrets.Secrets;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A sink write that fails (an object store or a database out of reach) ends the consumer's session;
 * the next session starts from the control table. The failed session's consumer must leave the
 * group as it closes — its revocation has nothing left to write — or it stays a member, holding the
 * partitions from the next session until its session times out (a minute here, 45 s by default),
 * and ingestion stalls that long after every such failure. Embedded KRaft broker, real DuckDB.
 */
class FailedSessionTest {

    static final long EVENTS = 2_000;
    static final Duration SESSION_TIMEOUT = Duration.ofSeconds(60);

    @TempDir
    Path dir;

    @Test
    void aFailedWriteEndsTheSessionAndItsConsumerLeavesTheGroupAtOnce() throws Exception {
        String topic = TestKafka.topic("failed-session");
        TestKafka.produce(topic, 0, EVENTS, TestMappings::event);
        MappingSpec mapping = TestMappings.kafka("failed_session", topic, "failed_session_events", 100, 100);
        KafkaClientSettings settings = new KafkaClientSettings(
                TestKafka.bootstrap(),
                Secrets.fromEnvironment(),
                new EgressPolicy(List.of(), TestKafka.bootstrap(), List.of()),
                SESSION_TIMEOUT);
        String group = (String) settings.consumer(mapping).get("group.id");

        try (Warehouse warehouse = Warehouse.open(dir.resolve("failed.duckdb").toString())) {
            SinkFactory real = SinkFactory.duckDb(warehouse, mapping);
            AtomicInteger opened = new AtomicInteger();
            AtomicReference<Set<String>> membersAtFailure = new AtomicReference<>();
            CountDownLatch reopened = new CountDownLatch(1);
            SinkFactory failingOnce = () -> {
                Sink sink = real.open();
                if (opened.incrementAndGet() == 1) {
                    return new FailingFirstWrite(sink, () -> membersAtFailure.set(TestKafka.groupMemberIds(group)));
                }
                reopened.countDown();
                return sink;
            };
            IngestStats stats = new IngestStats(mapping.name(), new SimpleMeterRegistry(), Clock.systemUTC());
            KafkaIngestRunner runner =
                    new KafkaIngestRunner(mapping, () -> settings.consumer(mapping), failingOnce, stats);
            runner.start();
            try {
                assertThat(reopened.await(60, TimeUnit.SECONDS))
                        .as("a new session after the failed write")
                        .isTrue();
                assertThat(membersAtFailure.get())
                        .as("the failed session's consumer in the group")
                        .hasSize(1);
                // The new session opens its sink after the failed one's consumer closed.
                assertThat(TestKafka.groupMemberIds(group))
                        .as("members of the group once the failed session's consumer closed")
                        .doesNotContainAnyElementsOf(membersAtFailure.get());

                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(40);
                while (stats.rowsIngested() + stats.rowsDeadLettered() < EVENTS && System.nanoTime() < deadline) {
                    Thread.sleep(20);
                }
                assertThat(stats.rowsIngested() + stats.rowsDeadLettered())
                        .as("events written by the next session, within less than the session timeout")
                        .isEqualTo(EVENTS);
            } finally {
                runner.stop(Duration.ofSeconds(30));
            }
            assertThat(ConsumedOffsets.of(warehouse, mapping.name())).isEqualTo(EVENTS);
            KafkaExactlyOnceTest.assertExactlyOnce(warehouse, "failed_session_events", EVENTS);
        }
    }

    /**
     * The real sink, whose first write fails after a pause in which the consumer reads on (it holds
     * a batch it has not written when the session ends).
     */
    private static final class FailingFirstWrite implements Sink {
        private final Sink sink;
        private final Runnable beforeFailing;
        private boolean failed;

        FailingFirstWrite(Sink sink, Runnable beforeFailing) {
            this.sink = sink;
            this.beforeFailing = beforeFailing;
        }

        @Override
        public Map<Integer, Long> positions() throws IOException, SQLException {
            return sink.positions();
        }

        @Override
        public BatchResult write(SinkBatch batch, Map<Integer, Long> expected) throws IOException, SQLException {
            if (!failed) {
                failed = true;
                beforeFailing.run();
                try {
                    Thread.sleep(500);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                throw new IOException("injected: the store is out of reach");
            }
            return sink.write(batch, expected);
        }

        @Override
        public SinkTotals totals() throws IOException, SQLException {
            return sink.totals();
        }

        @Override
        public void close() throws SQLException {
            sink.close();
        }
    }
}
