package io.deltaplane.ingest.config;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Worker settings: the default Kafka bootstrap for mappings that name none
 * ({@code DELTAPLANE_KAFKA_BOOTSTRAP}), how often mappings are re-read from Postgres, and whether
 * this process runs consumers at all (an API-only replica sets {@code worker-enabled=false}), and
 * how long a Kafka consumer group waits for a worker that stopped answering before it hands that
 * worker's partitions to another ({@code DELTAPLANE_KAFKA_SESSION_TIMEOUT}: Kafka's own default,
 * 45 s; Event Hubs asks for at least 30 s; a worker that stops cleanly leaves at once), and how
 * often each worker reports its mappings' status to the others ({@code status-interval}: the status
 * endpoint, answered by any worker, adds up every worker's report).
 */
@Validated
@ConfigurationProperties("deltaplane.ingest")
public record IngestProperties(
        @NotBlank String kafkaBootstrap,
        @NotNull Duration pollInterval,
        boolean workerEnabled,
        @DefaultValue("45s") @NotNull Duration kafkaSessionTimeout,
        @DefaultValue("5s") @NotNull Duration statusInterval) {

    public IngestProperties {
        // The range Kafka brokers accept by default and Event Hubs permits (6 s to 5 minutes).
        if (kafkaSessionTimeout != null
                && (kafkaSessionTimeout.compareTo(Duration.ofSeconds(6)) < 0
                        || kafkaSessionTimeout.compareTo(Duration.ofMinutes(5)) > 0)) {
            throw new IllegalArgumentException(
                    "deltaplane.ingest.kafka-session-timeout must be between 6s and 5m, not " + kafkaSessionTimeout);
        }
    }
}
