package io.deltaplane.gateway.ratelimit;

import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Per-API-key rate limit at the gateway ({@code deltaplane.gateway.rate-limit.*}).
 *
 * @param enabled false lets every request through
 * @param requestsPerPeriod requests one key may make in each period
 * @param period length of a period; unused permits do not carry over
 */
@Validated
@ConfigurationProperties("deltaplane.gateway.rate-limit")
public record RateLimitProperties(
        @DefaultValue("true") boolean enabled,
        @DefaultValue("500") @Min(1) int requestsPerPeriod,
        @DefaultValue("1s") @NotNull Duration period) {}
