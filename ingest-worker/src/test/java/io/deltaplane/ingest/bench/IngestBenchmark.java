package io.deltaplane.ingest.bench;

import io.deltaplane.ingest.mapping.MappingSpec;
import io.deltaplane.ingest.mapping.MappingSpec.BatchSpec;
import io.deltaplane.ingest.mapping.MappingSpec.ColumnSpec;
import io.deltaplane.ingest.mapping.MappingSpec.SourceSpec;
import io.deltaplane.ingest.mapping.MappingSpec.TargetSpec;
import io.deltaplane.ingest.mapping.api.MappingValidator;
import io.deltaplane.ingest.sink.DuckDbSink;
import io.deltaplane.ingest.sink.SinkBatch;
import io.deltaplane.ingest.sink.SinkFactory;
import io.deltaplane.ingest.sink.SinkPlan;
import io.deltaplane.ingest.sink.Warehouse;
import io.deltaplane.ingest.source.kafka.KafkaClientSettings;
import io.deltaplane.ingest.source.kafka.KafkaIngestRunner;
import io.deltaplane.ingest.status.IngestStats;
import io.deltaplane.support.secrets.Secrets;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.springframework.kafka.test.EmbeddedKafkaKraftBroker;

/**
 * Kafka → DuckDB throughput of the ingest worker, against the sink ceiling measured in the same run.
 *
 * <pre>
 * ./mvnw -q -pl ingest-worker test-compile exec:java -Dexec.classpathScope=test \
 *     -Dexec.mainClass=io.deltaplane.ingest.bench.IngestBenchmark [-Dbench.events=5000000] [-Dbench.batch=50000]
 * </pre>
 *
 * Produces {@code bench.events} five-field JSON events (~120 bytes) to a new 4-partition topic on
 * the broker at {@code DELTAPLANE_KAFKA_BOOTSTRAP} (or an embedded KRaft broker it starts), then
 * (1) appends the same rows to a DuckDB file directly through the sink, no broker: the ceiling;
 * (2) times the worker's Kafka consumer draining the topic into another DuckDB file.
 */
public final class IngestBenchmark {

    public static final int PARTITIONS = 4;

    public static void main(String[] args) throws Exception {
        long events = Long.getLong("bench.events", 5_000_000L);
        int batchRows = Integer.getInteger("bench.batch", 50_000);
        String bootstrap = System.getenv("DELTAPLANE_KAFKA_BOOTSTRAP");
        EmbeddedKafkaKraftBroker broker = null;
        if (bootstrap == null || bootstrap.isBlank()) {
            broker = new EmbeddedKafkaKraftBroker(1, PARTITIONS);
            broker.brokerProperty("log.segment.bytes", String.valueOf(512 * 1024 * 1024));
            // A consumer group forms at once instead of after the broker default of 3 s.
            broker.brokerProperty("group.initial.rebalance.delay.ms", "0");
            broker.afterPropertiesSet();
            bootstrap = broker.getBrokersAsString();
        }
        Path dir = Files.createTempDirectory("ingest-bench");
        String topic = "bench-" + System.currentTimeMillis();
        try {
            try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrap))) {
                admin.createTopics(List.of(new NewTopic(topic, PARTITIONS, (short) 1)))
                        .all()
                        .get();
            }
            System.out.printf(
                    "events=%,d batch=%,d partitions=%d broker=%s%n",
                    events, batchRows, PARTITIONS, broker == null ? bootstrap : "embedded KRaft " + bootstrap);
            MappingSpec mapping = mapping(topic, batchRows);

            long t0 = System.nanoTime();
            long bytes = produce(bootstrap, topic, events);
            double produceS = (System.nanoTime() - t0) / 1e9;
            System.out.printf(
                    "produced   %,d events (%.0f bytes avg) in %.1f s = %,.0f events/s%n",
                    events, bytes / (double) events, produceS, events / produceS);

            double ceiling = ceiling(dir.resolve("ceiling.duckdb"), mapping, events, batchRows);
            System.out.printf("sink ceiling (appender + SQL projection, no broker): %,.0f rows/s%n", ceiling);

            double worker = drain(dir.resolve("worker.duckdb"), mapping, bootstrap, events);
            System.out.printf(
                    "worker Kafka -> DuckDB: %,.0f events/s = %.2f x the sink ceiling (target >= 300,000 events/s)%n",
                    worker, worker / ceiling);
            System.out.printf(
                    java.util.Locale.ROOT,
                    "RESULT worker_events_per_s=%.0f sink_ceiling_rows_per_s=%.0f ratio=%.2f %s%n",
                    worker,
                    ceiling,
                    worker / ceiling,
                    io.deltaplane.testing.MachineCpu.loadAverage());
        } finally {
            if (broker != null) {
                broker.destroy();
            }
            try (var files = Files.walk(dir)) {
                files.sorted(java.util.Comparator.reverseOrder())
                        .forEach(p -> p.toFile().delete());
            }
        }
    }

    static MappingSpec mapping(String topic, int batchRows) {
        return mapping("bench", topic, new TargetSpec(null, "bench", "events"), batchRows);
    }

    /** The benchmark's five-column mapping from {@code topic} into {@code target}. */
    public static MappingSpec mapping(String name, String topic, TargetSpec target, int batchRows) {
        return MappingValidator.validate(new MappingSpec(
                name,
                new SourceSpec("kafka", topic, null, null, null, null, null, null, null, null, null),
                target,
                "json",
                List.of(
                        new ColumnSpec("id", "BIGINT", null, null),
                        new ColumnSpec("device", "VARCHAR", null, null),
                        new ColumnSpec("temperature", "DOUBLE", null, null),
                        new ColumnSpec("ok", "BOOLEAN", null, null),
                        new ColumnSpec("ts", "TIMESTAMPTZ", null, null)),
                new BatchSpec(batchRows, 1000),
                false,
                true));
    }

    /** A five-field event of about 120 bytes. */
    public static byte[] event(long id) {
        ThreadLocalRandom r = ThreadLocalRandom.current();
        return ("{\"id\":" + id + ",\"device\":\"sensor-" + (id % 10_000) + "-eu-west\",\"temperature\":"
                        + r.nextInt(-200, 400) / 10.0 + ",\"ok\":" + r.nextBoolean()
                        + ",\"ts\":\"2026-11-21T01:" + (10 + id % 50) + ":" + (10 + id % 50) + ".123456Z\"}")
                .getBytes(StandardCharsets.UTF_8);
    }

    public static long produce(String bootstrap, String topic, long events) throws Exception {
        Map<String, Object> props = new HashMap<>();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
        props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
        props.put(ProducerConfig.LINGER_MS_CONFIG, 20);
        props.put(ProducerConfig.BATCH_SIZE_CONFIG, 512 * 1024);
        props.put(ProducerConfig.BUFFER_MEMORY_CONFIG, 128L * 1024 * 1024);
        props.put(ProducerConfig.ACKS_CONFIG, "1");
        props.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 600_000);
        props.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 120_000);
        java.util.concurrent.atomic.AtomicLong failed = new java.util.concurrent.atomic.AtomicLong();
        long bytes = 0;
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(props)) {
            for (long i = 0; i < events; i++) {
                byte[] value = event(i);
                bytes += value.length;
                producer.send(new ProducerRecord<>(topic, (int) (i % PARTITIONS), null, value), (m, e) -> {
                    if (e != null) {
                        failed.incrementAndGet();
                    }
                });
            }
            producer.flush();
        }
        if (failed.get() > 0) {
            throw new IllegalStateException(failed.get() + " events could not be produced");
        }
        return bytes;
    }

    /** The same rows through the same sink, straight from memory: what DuckDB can absorb. */
    static double ceiling(Path file, MappingSpec mapping, long events, int batchRows) throws Exception {
        byte[][] pool = new byte[100_000][];
        for (int i = 0; i < pool.length; i++) {
            pool[i] = event(i);
        }
        try (Warehouse warehouse = Warehouse.open(file.toString());
                DuckDbSink sink =
                        new DuckDbSink(warehouse.connect(), new SinkPlan(mapping, warehouse.defaultDatabase()))) {
            SinkBatch batch = new SinkBatch(batchRows);
            Map<Integer, Long> committed = new HashMap<>();
            long now = System.currentTimeMillis();
            long t0 = System.nanoTime();
            for (long i = 0; i < events; i++) {
                batch.add((int) (i % PARTITIONS), i / PARTITIONS, now, pool[(int) (i % pool.length)]);
                if (batch.size() == batchRows || i == events - 1) {
                    committed.putAll(sink.write(batch, committed).nextOffsets());
                    batch.clear();
                }
            }
            return events / ((System.nanoTime() - t0) / 1e9);
        }
    }

    static double drain(Path file, MappingSpec mapping, String bootstrap, long events) throws Exception {
        try (Warehouse warehouse = Warehouse.open(file.toString())) {
            IngestStats stats = new IngestStats(mapping.name(), new SimpleMeterRegistry(), Clock.systemUTC());
            double seconds = drain(SinkFactory.duckDb(warehouse, mapping), mapping, bootstrap, events, stats);
            try (var c = warehouse.connect();
                    Statement s = c.createStatement();
                    ResultSet rs = s.executeQuery(
                            "SELECT count(*), count(DISTINCT (_partition, _offset)) FROM bench.events")) {
                rs.next();
                System.out.printf(
                        "drained    %,d rows (%,d distinct (partition, offset)) in %.1f s, dead letters %,d%n",
                        rs.getLong(1), rs.getLong(2), seconds, stats.rowsDeadLettered());
            }
            return events / seconds;
        }
    }

    /** Seconds the worker's Kafka consumer takes to land {@code events} events through {@code sinks}. */
    public static double drain(SinkFactory sinks, MappingSpec mapping, String bootstrap, long events, IngestStats stats)
            throws InterruptedException {
        KafkaClientSettings settings = new KafkaClientSettings(bootstrap, Secrets.fromEnvironment());
        KafkaIngestRunner runner = new KafkaIngestRunner(mapping, () -> settings.consumer(mapping), sinks, stats);
        long t0 = System.nanoTime();
        runner.start();
        long lastPrint = t0;
        try {
            while (stats.rowsIngested() + stats.rowsDeadLettered() < events) {
                Thread.sleep(20);
                if (System.nanoTime() - lastPrint > 5e9) {
                    lastPrint = System.nanoTime();
                    System.out.printf("  ... %,d rows after %.0f s%n", stats.rowsIngested(), (lastPrint - t0) / 1e9);
                }
                if (System.nanoTime() - t0 > Duration.ofMinutes(20).toNanos()) {
                    throw new IllegalStateException("Timed out; status " + stats.snapshot());
                }
            }
            return (System.nanoTime() - t0) / 1e9;
        } finally {
            runner.stop(Duration.ofSeconds(30));
        }
    }
}
