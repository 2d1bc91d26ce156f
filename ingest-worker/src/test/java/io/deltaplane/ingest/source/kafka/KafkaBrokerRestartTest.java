package io.deltaplane.ingest.source.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import io.deltaplane.ingest.ConsumedOffsets;
import io.deltaplane.ingest.TestMappings;
import io.deltaplane.ingest.mapping.MappingSpec;
import io.deltaplane.ingest.sink.Warehouse;
import io.deltaplane.ingest.status.IngestStats;
import io.deltaplane.support.secrets.Secrets;
import io.deltaplane.testing.KafkaBrokerProcess;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Kafka broker killed with {@code kill -9} mid-stream and started again: the ingest worker keeps
 * consuming into DuckDB, and every event the producer had acknowledged lands exactly once (the
 * broker runs in a JVM of its own, {@link KafkaBrokerProcess}; the worker in this one).
 */
class KafkaBrokerRestartTest {

    private static final long EVENTS = 20_000;
    private static final int PARTITIONS = 4;

    @TempDir
    Path dir;

    @Test
    void aBrokerKilledAndRestartedMidStreamLosesAndDuplicatesNothing() throws Exception {
        try (KafkaBrokerProcess broker = KafkaBrokerProcess.start();
                Warehouse warehouse =
                        Warehouse.open(dir.resolve("restart.duckdb").toString())) {
            String topic = broker.topic("restart", PARTITIONS);
            MappingSpec mapping = TestMappings.kafka("restart", topic, "restart_events", 500, 100);
            KafkaClientSettings settings = new KafkaClientSettings(broker.bootstrap(), Secrets.fromEnvironment());
            IngestStats stats = new IngestStats(mapping.name(), new SimpleMeterRegistry(), Clock.systemUTC());
            KafkaIngestRunner runner =
                    new KafkaIngestRunner(mapping, () -> settings.consumer(mapping), warehouse, stats);
            runner.start();

            // The producer sends throughout; its sends wait out the broker's absence (idempotent, retried).
            // It stays open until the broker is back, so it is connected when the broker dies however
            // fast it sent: a producer closed before the kill has no connection to lose.
            CountDownLatch brokerBack = new CountDownLatch(1);
            CompletableFuture<List<Future<RecordMetadata>>> producing =
                    CompletableFuture.supplyAsync(() -> produce(broker.bootstrap(), topic, brokerBack));
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (stats.rowsIngested() + stats.rowsDeadLettered() < EVENTS / 4) {
                assertThat(System.nanoTime()).as("ingesting before the kill").isLessThan(deadline);
                Thread.sleep(20);
            }
            long beforeKill = stats.rowsIngested() + stats.rowsDeadLettered();
            double producerClosed = KafkaBrokerProcess.connectionsClosed("producer");
            double consumerClosed = KafkaBrokerProcess.connectionsClosed("consumer");
            broker.kill();
            // the kill fired: the broker's process ended by SIGKILL, its port is closed, and both
            // clients (the producer and the worker's consumer) lost their connections to it
            assertThat(broker.alive()).as("the broker's process after kill -9").isFalse();
            assertThat(broker.exitValue())
                    .as("the broker's exit value (128 + SIGKILL)")
                    .isEqualTo(137);
            assertThat(broker.acceptsConnections())
                    .as("the broker's port after kill -9")
                    .isFalse();
            KafkaBrokerProcess.awaitClientsLostTheBroker("producer", producerClosed, Duration.ofSeconds(30));
            KafkaBrokerProcess.awaitClientsLostTheBroker("consumer", consumerClosed, Duration.ofSeconds(30));
            broker.startAgain();
            brokerBack.countDown();

            List<Future<RecordMetadata>> sent = producing.get(180, TimeUnit.SECONDS);
            for (Future<RecordMetadata> f : sent) {
                f.get(120, TimeUnit.SECONDS); // every event acknowledged by the broker
            }
            assertThat(sent).hasSize((int) EVENTS);
            deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
            while (stats.rowsIngested() + stats.rowsDeadLettered() < EVENTS && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            // nothing is left that could land again: the worker's offsets cover every event
            assertThat(ConsumedOffsets.of(warehouse, mapping.name())).isEqualTo(EVENTS);
            runner.stop(Duration.ofSeconds(30));
            assertThat(beforeKill).as("the broker was killed mid-stream").isLessThan(EVENTS);
            KafkaExactlyOnceTest.assertExactlyOnce(warehouse, "restart_events", EVENTS);
        }
    }

    /**
     * Sends events 0..EVENTS-1 round-robin over the partitions, paced over about five seconds, and
     * closes the producer only once {@code brokerBack} is signalled.
     */
    private static List<Future<RecordMetadata>> produce(String bootstrap, String topic, CountDownLatch brokerBack) {
        Map<String, Object> props = new HashMap<>();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
        props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, 1);
        props.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 30_000);
        props.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 180_000);
        props.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 180_000);
        List<Future<RecordMetadata>> sent = new ArrayList<>();
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(props)) {
            for (long i = 0; i < EVENTS; i++) {
                sent.add(producer.send(
                        new ProducerRecord<>(topic, (int) (i % PARTITIONS), null, TestMappings.event(i))));
                if (i % 1_000 == 999) {
                    Thread.sleep(250);
                }
            }
            producer.flush();
            if (!brokerBack.await(180, TimeUnit.SECONDS)) {
                throw new IllegalStateException("the broker was not back within 180 s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        return sent;
    }
}
