package io.deltaplane.ingest.delta;

import io.deltaplane.ingest.TestKafka;
import io.deltaplane.ingest.TestMappings;
import io.deltaplane.ingest.mapping.MappingSpec;
import io.deltaplane.ingest.sink.Warehouse;
import io.deltaplane.ingest.source.kafka.KafkaClientSettings;
import io.deltaplane.ingest.source.kafka.KafkaIngestRunner;
import io.deltaplane.ingest.status.IngestStats;
import io.deltaplane.support.secrets.Secrets;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;

/**
 * A Kafka → Delta worker in its own JVM, so a test can SIGKILL it mid-stream. Args: duckdb file,
 * bootstrap servers, topic, table, metadata URL, API key, staging dir. Prints {@code rows=<n>} as
 * batches commit.
 */
public final class CrashableDeltaWorker {

    static MappingSpec mapping(String topic, String table) {
        return TestMappings.kafkaToDelta("delta-crash", topic, table, List.of(), 10_000, 200);
    }

    public static void main(String[] args) throws Exception {
        MappingSpec mapping = mapping(args[2], args[3]);
        KafkaClientSettings settings = new KafkaClientSettings(args[1], Secrets.fromEnvironment());
        Warehouse warehouse = Warehouse.open(args[0]);
        IngestStats stats = new IngestStats(mapping.name(), new SimpleMeterRegistry(), Clock.systemUTC());
        new KafkaIngestRunner(
                        mapping,
                        () -> TestKafka.killable(settings.consumer(mapping)),
                        DeltaTestSinks.factory(warehouse, mapping, args[4], args[5], Path.of(args[6])),
                        stats)
                .start();
        long last = -1;
        while (true) {
            long rows = stats.rowsIngested() + stats.rowsDeadLettered();
            if (rows != last) {
                System.out.println("rows=" + rows);
                System.out.flush();
                last = rows;
            }
            Thread.sleep(5);
        }
    }
}
