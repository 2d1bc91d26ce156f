package io.deltaplane.ingest.source.eventhubs;

import static com.azure.messaging.eventhubs.ReceivedEvents.received;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.azure.messaging.eventhubs.EventData;
import com.azure.messaging.eventhubs.EventProcessorClient;
import com.azure.messaging.eventhubs.models.EventBatchContext;
import com.azure.messaging.eventhubs.models.EventPosition;
import com.azure.messaging.eventhubs.models.LastEnqueuedEventProperties;
import com.azure.messaging.eventhubs.models.PartitionContext;
import io.deltaplane.ingest.IngestSpringTest;
import io.deltaplane.ingest.TestMappings;
import io.deltaplane.ingest.mapping.MappingSpec;
import io.deltaplane.ingest.mapping.MappingSpec.BatchSpec;
import io.deltaplane.ingest.mapping.MappingSpec.SourceSpec;
import io.deltaplane.ingest.mapping.MappingSpec.TargetSpec;
import io.deltaplane.ingest.mapping.api.MappingValidator;
import io.deltaplane.ingest.sink.Warehouse;
import io.deltaplane.ingest.status.IngestStats;
import io.deltaplane.support.secrets.Secrets;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The native Event Hubs consumer. Event Hubs (AMQP) cannot be reached from the tests, so the
 * processor is driven through the SDK's own seams: its public {@link EventBatchContext} /
 * {@link PartitionContext} models, events built by the SDK's AMQP deserializer, and the
 * initial-position function the processor calls when it claims a partition. DuckDB and the Postgres
 * checkpoint store are real.
 */
class EventHubsIngestRunnerTest extends IngestSpringTest {

    static final String CONNECTION = "Endpoint=sb://deltaplane-test.servicebus.windows.net/;"
            + "SharedAccessKeyName=listen;SharedAccessKey=bm90LWEtcmVhbC1rZXk=";
    static final String NAMESPACE = "deltaplane-test.servicebus.windows.net";

    @Autowired
    Warehouse warehouse;

    @Autowired
    PostgresCheckpointStore checkpoints;

    @Autowired
    JdbcClient jdbc;

    final String hub = "hub-" + UUID.randomUUID().toString().substring(0, 8);
    final String table = "eh_" + hub.substring(4);
    final Secrets secrets = Secrets.of(Map.of("DP_TEST_EH_CONN", CONNECTION)::get);

    MappingSpec mapping() {
        return mapping(null);
    }

    MappingSpec mapping(Long maxBytes) {
        return MappingValidator.validate(new MappingSpec(
                "eh-" + hub,
                new SourceSpec("eventhubs", null, hub, null, null, null, null, "DP_TEST_EH_CONN", null, 300, null),
                new TargetSpec(null, "events", table),
                "json",
                TestMappings.DEVICE_COLUMNS,
                new BatchSpec(100, 50, maxBytes),
                false,
                true));
    }

    EventHubsIngestRunner runner() {
        return runner(mapping(), new IngestStats("eh", new SimpleMeterRegistry(), Clock.systemUTC()));
    }

    EventHubsIngestRunner runner(MappingSpec mapping, IngestStats stats) {
        return new EventHubsIngestRunner(mapping, warehouse, checkpoints, secrets, stats);
    }

    EventBatchContext batch(String partition, long fromSeq, int count) {
        List<EventData> events = new ArrayList<>();
        for (long seq = fromSeq; seq < fromSeq + count; seq++) {
            events.add(received(TestMappings.event(seq), seq, Instant.parse("2026-11-21T00:00:00Z")));
        }
        return new EventBatchContext(
                new PartitionContext(NAMESPACE, hub, "$Default", partition),
                events,
                checkpoints,
                new LastEnqueuedEventProperties(fromSeq + count + 10, 0L, Instant.now(), Instant.now()));
    }

    @Test
    void processorIsBuiltFromTheConnectionStringWithoutConnecting() {
        EventProcessorClient processor = runner().buildProcessor();
        assertThat(processor.isRunning()).isFalse();
        assertThat(processor.getIdentifier()).isNotBlank();

        EventHubsIngestRunner unset = new EventHubsIngestRunner(
                mapping(),
                warehouse,
                checkpoints,
                Secrets.of(name -> null),
                new IngestStats("eh-unset", new SimpleMeterRegistry(), Clock.systemUTC()));
        assertThatThrownBy(unset::buildProcessor).hasMessageContaining("DP_TEST_EH_CONN is not set");
    }

    @Test
    void batchesLandOnceAndPartitionsResumeFromTheControlTable() throws Exception {
        EventHubsIngestRunner runner = runner();
        assertThat(runner.initialPosition("0")).isEqualTo(EventPosition.earliest());
        runner.onBatch(batch("0", 0, 100));
        runner.onBatch(batch("0", 100, 50));
        runner.onBatch(batch("2", 0, 60));
        assertThat(count("SELECT count(*) FROM events." + table)).isEqualTo(goodIn(0, 150) + goodIn(0, 60));

        // A redelivered, overlapping batch writes only what is new.
        runner.onBatch(batch("0", 120, 60));
        assertThat(count("SELECT count(DISTINCT (_partition, _offset)) FROM events." + table))
                .isEqualTo(count("SELECT count(*) FROM events." + table));
        assertThat(count("SELECT max(_offset) FROM events." + table + " WHERE _partition = 0"))
                .isEqualTo(179);
        assertThat(count("SELECT count(*) FROM events." + table + "_dead_letters"))
                .isEqualTo(badIn(0, 180) + badIn(0, 60));

        // Monitoring checkpoints went to Postgres.
        assertThat(jdbc.sql(
                                "SELECT sequence_number FROM eventhubs_checkpoints WHERE event_hub = ? AND partition_id = '0'")
                        .param(hub)
                        .query(Long.class)
                        .single())
                .isEqualTo(179L);

        // A restarted worker (new runner) resumes each partition where DuckDB says, inclusive.
        EventHubsIngestRunner restarted = runner();
        EventPosition zero = restarted.initialPosition("0");
        assertThat(zero.getSequenceNumber()).isEqualTo(180L);
        assertThat(zero.isInclusive()).isTrue();
        assertThat(restarted.initialPosition("2").getSequenceNumber()).isEqualTo(60L);
        assertThat(restarted.initialPosition("1")).isEqualTo(EventPosition.earliest());
        runner.stop(java.time.Duration.ofSeconds(5));
        restarted.stop(java.time.Duration.ofSeconds(5));
    }

    @Test
    void aDeliveredBatchHoldingMoreThanMaxBytesIsWrittenInSeveralSinkBatches() throws Exception {
        long eventBytes = TestMappings.event(0).length;
        IngestStats stats = new IngestStats("eh-bytes", new SimpleMeterRegistry(), Clock.systemUTC());
        // room for about ten events per sink batch
        EventHubsIngestRunner runner = runner(mapping(Math.max(1024, eventBytes * 10)), stats);
        runner.onBatch(batch("0", 0, 100));

        assertThat(stats.snapshot().batches()).isGreaterThan(1); // one batch without the bound
        assertThat(count("SELECT count(*) FROM events." + table)).isEqualTo(goodIn(0, 100));
        assertThat(count("SELECT count(*) FROM events." + table + "_dead_letters"))
                .isEqualTo(badIn(0, 100));
        assertThat(runner.initialPosition("0").getSequenceNumber()).isEqualTo(100L);
        runner.stop(java.time.Duration.ofSeconds(5));
    }

    static long goodIn(long from, long to) {
        return to - from - badIn(from, to);
    }

    static long badIn(long from, long to) {
        long n = 0;
        for (long i = from; i < to; i++) {
            if (TestMappings.isBad(i)) {
                n++;
            }
        }
        return n;
    }

    long count(String sql) throws SQLException {
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
