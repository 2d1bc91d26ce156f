package io.deltaplane.ingest.source.kafka;

import io.deltaplane.ingest.TestKafka;
import io.deltaplane.ingest.TestMappings;
import io.deltaplane.ingest.mapping.MappingSpec;
import io.deltaplane.ingest.sink.Warehouse;
import io.deltaplane.ingest.status.IngestStats;
import io.deltaplane.support.secrets.Secrets;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;

/**
 * A worker in its own JVM, so a test can kill it with SIGKILL mid-stream: no shutdown hook, no
 * clean close of DuckDB or Kafka. Args: duckdb file, bootstrap servers, topic. Prints
 * {@code rows=<n>} as batches commit.
 */
public final class CrashableWorker {

    public static void main(String[] args) throws Exception {
        MappingSpec mapping = TestMappings.kafka("crash", args[2], "crash_events", 1_000, 100);
        KafkaClientSettings settings = new KafkaClientSettings(args[1], Secrets.fromEnvironment());
        Warehouse warehouse = Warehouse.open(args[0]);
        IngestStats stats = new IngestStats(mapping.name(), new SimpleMeterRegistry(), Clock.systemUTC());
        new KafkaIngestRunner(mapping, () -> TestKafka.killable(settings.consumer(mapping)), warehouse, stats).start();
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
