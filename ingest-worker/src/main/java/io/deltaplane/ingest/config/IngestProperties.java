package io.deltaplane.ingest.config;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.annotation.Validated;

/**
 * Worker settings: the default Kafka bootstrap for mappings that name none
 * ({@code DELTAPLANE_KAFKA_BOOTSTRAP}), how often mappings are re-read from Postgres, and whether
 * this process runs consumers at all (an API-only replica sets {@code worker-enabled=false}).
 */
@Validated
@ConfigurationProperties("deltaplane.ingest")
public record IngestProperties(
        @NotBlank String kafkaBootstrap, @NotNull Duration pollInterval, boolean workerEnabled) {}
