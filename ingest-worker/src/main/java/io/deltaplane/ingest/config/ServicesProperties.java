package io.deltaplane.ingest.config;

import jakarta.validation.constraints.NotNull;
import java.net.URI;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * The other platform services the worker calls ({@code deltaplane.services.*}): metadata-service for
 * Delta targets, lineage-service for each mapping's job and runs.
 *
 * @param metadataUrl {@code DELTAPLANE_METADATA_URL}, default {@code http://localhost:8081}
 * @param lineageUrl {@code DELTAPLANE_LINEAGE_URL}, default {@code http://localhost:8082}
 * @param apiKey a key with write scope ({@code DELTAPLANE_SERVICE_API_KEY}, else {@code
 *     DELTAPLANE_ADMIN_API_KEY}); without one Delta targets fail with a clear error and lineage is
 *     not reported
 * @param requestTimeout connect and read timeout of one call
 */
@Validated
@ConfigurationProperties("deltaplane.services")
public record ServicesProperties(
        @NotNull URI metadataUrl,
        @NotNull URI lineageUrl,
        @DefaultValue("") String apiKey,
        @DefaultValue("30s") @NotNull Duration requestTimeout) {

    public boolean hasApiKey() {
        return !apiKey.isBlank();
    }
}
