package io.deltaplane.metadata.lineage;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import java.net.URI;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Delivery of committed versions to lineage-service ({@code deltaplane.lineage.*}).
 *
 * @param baseUrl lineage-service ({@code DELTAPLANE_LINEAGE_URL}, default {@code http://localhost:8082})
 * @param apiKey a key with write scope ({@code DELTAPLANE_SERVICE_API_KEY}, else {@code
 *     DELTAPLANE_ADMIN_API_KEY}); without one the relay waits and the outbox keeps every version
 * @param enabled whether the relay runs (the outbox is always written)
 * @param pollInterval pause before the next round when the last one did not fill a batch (the outbox
 *     is drained, or what is left is backing off); after a full batch the next round starts at once
 * @param batchSize versions claimed and delivered per round (one request to lineage) at most; lineage
 *     takes up to 1,000 per request
 * @param initialBackoff wait after a first failed delivery; doubles per attempt
 * @param maxBackoff longest wait between attempts
 * @param requestTimeout connect and read timeout of one delivery
 * @param gather the least time between a round's start and the next round a commit wakes: the
 *     commits of this window go to lineage in one request instead of a request each (an idle relay
 *     delivers a commit at once, under load a version waits at most this long; a backlog drains
 *     full batch after full batch without waiting)
 * @param runWait how long a version that names a lineage run waits, from lineage's first "no such
 *     run", for lineage to know that run (its pipeline reports the run's start on its own path); past
 *     it the version is delivered without a writer
 */
@Validated
@ConfigurationProperties("deltaplane.lineage")
public record LineageRelayProperties(
        @NotNull URI baseUrl,
        @DefaultValue("") String apiKey,
        @DefaultValue("true") boolean enabled,
        @DefaultValue("1s") @NotNull Duration pollInterval,
        @DefaultValue("500") @Min(1) @Max(1000) int batchSize,
        @DefaultValue("1s") @NotNull Duration initialBackoff,
        @DefaultValue("5m") @NotNull Duration maxBackoff,
        @DefaultValue("10s") @NotNull Duration requestTimeout,
        @DefaultValue("100ms") @NotNull Duration gather,
        @DefaultValue("10m") @NotNull Duration runWait) {

    public LineageRelayProperties {
        if (baseUrl != null && !("http".equals(baseUrl.getScheme()) || "https".equals(baseUrl.getScheme()))) {
            throw new IllegalArgumentException("deltaplane.lineage.base-url must be an http(s) URL: " + baseUrl);
        }
        if (gather != null && gather.isNegative()) {
            throw new IllegalArgumentException("deltaplane.lineage.gather must not be negative");
        }
        for (Duration d : new Duration[] {pollInterval, initialBackoff, maxBackoff, requestTimeout, runWait}) {
            if (d != null && (d.isZero() || d.isNegative())) {
                throw new IllegalArgumentException("deltaplane.lineage durations must be positive");
            }
        }
    }

    public boolean hasApiKey() {
        return apiKey != null && !apiKey.isBlank();
    }

    @Override
    public String toString() {
        // The key never reaches a log line.
        return "LineageRelayProperties[baseUrl=" + baseUrl + ", apiKey=" + (hasApiKey() ? "<redacted>" : "<unset>")
                + ", enabled=" + enabled + ", pollInterval=" + pollInterval + ", batchSize=" + batchSize + ", gather="
                + gather + "]";
    }
}
