package io.deltaplane.gateway.resilience;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Circuit breakers and retries the gateway puts in front of each backend
 * ({@code deltaplane.gateway.resilience.*}). Timeouts are per backend, in {@code BackendProperties}.
 *
 * @param failureRateThreshold percentage of failed calls (connection errors, timeouts, 502/503/504)
 *     that opens a backend's breaker
 * @param slidingWindowSize calls the failure rate is computed over
 * @param minimumCalls calls needed before the breaker may open
 * @param openDuration how long an open breaker answers 503 at once before probing the backend again
 * @param retryAttempts attempts in total for idempotent requests (1 disables retries)
 * @param retryBackoff first wait between attempts; it doubles, with jitter
 */
@Validated
@ConfigurationProperties("deltaplane.gateway.resilience")
public record ResilienceProperties(
        @DefaultValue("50") @Min(1) @Max(100) int failureRateThreshold,
        @DefaultValue("20") @Min(1) int slidingWindowSize,
        @DefaultValue("10") @Min(1) int minimumCalls,
        @DefaultValue("10s") @NotNull Duration openDuration,
        @DefaultValue("3") @Min(1) @Max(10) int retryAttempts,
        @DefaultValue("100ms") @NotNull Duration retryBackoff) {}
