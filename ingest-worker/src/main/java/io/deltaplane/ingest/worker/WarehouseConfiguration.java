package io.deltaplane.ingest.worker;

import io.deltaplane.ingest.config.IngestProperties;
import io.deltaplane.ingest.policy.EgressPolicy;
import io.deltaplane.ingest.policy.IngestPolicyProperties;
import io.deltaplane.ingest.sink.TargetTableCheck;
import io.deltaplane.ingest.sink.Warehouse;
import io.deltaplane.ingest.sink.WarehouseProperties;
import io.deltaplane.ingest.source.eventhubs.PostgresCheckpointStore;
import io.deltaplane.ingest.source.kafka.KafkaClientSettings;
import io.deltaplane.support.secrets.Secrets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Optional;
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
    public TargetTableCheck targetTableCheck(Warehouse warehouse) {
        return new TargetTableCheck(warehouse);
    }

    /** Secrets mappings may name: the operator's prefix and secrets directory, nothing else. */
    @Bean
    public Secrets secrets(IngestPolicyProperties policy) {
        return new Secrets(
                System::getenv,
                policy.secretPrefix(),
                policy.secretsDir().isBlank() ? Optional.empty() : Optional.of(Path.of(policy.secretsDir())));
    }

    /** Where mappings may make the worker connect: the operator's patterns and its own default broker. */
    @Bean
    public EgressPolicy egressPolicy(IngestPolicyProperties policy, IngestProperties properties) {
        return new EgressPolicy(policy.allowedHosts(), properties.kafkaBootstrap(), policy.plaintextCredentialHosts());
    }

    @Bean
    public KafkaClientSettings kafkaClientSettings(IngestProperties properties, Secrets secrets, EgressPolicy egress) {
        return new KafkaClientSettings(properties.kafkaBootstrap(), secrets, egress, properties.kafkaSessionTimeout());
    }

    @Bean
    public PostgresCheckpointStore postgresCheckpointStore(JdbcClient jdbc, Clock clock) {
        return new PostgresCheckpointStore(jdbc, clock);
    }
}
