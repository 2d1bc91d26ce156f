package io.deltaplane.ingest.worker;

import io.deltaplane.ingest.sink.Warehouse;
import io.deltaplane.ingest.sink.WarehouseProperties;
import io.deltaplane.ingest.source.Secrets;
import io.deltaplane.ingest.source.eventhubs.PostgresCheckpointStore;
import io.deltaplane.ingest.source.kafka.KafkaClientSettings;
import java.time.Clock;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.simple.JdbcClient;

@Configuration(proxyBeanMethods = false)
public class WarehouseConfiguration {

    /** The DuckDB file (one writer process) or MotherDuck database, open for the worker's life. */
    @Bean(destroyMethod = "close")
    public Warehouse warehouse(WarehouseProperties properties) {
        return Warehouse.open(properties.duckdb());
    }

    @Bean
    public Secrets secrets() {
        return Secrets.fromEnvironment();
    }

    @Bean
    public KafkaClientSettings kafkaClientSettings(IngestProperties properties, Secrets secrets) {
        return new KafkaClientSettings(properties.kafkaBootstrap(), secrets);
    }

    @Bean
    public PostgresCheckpointStore postgresCheckpointStore(JdbcClient jdbc, Clock clock) {
        return new PostgresCheckpointStore(jdbc, clock);
    }
}
