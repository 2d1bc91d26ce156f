package io.deltaplane.support.idempotency;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code Idempotency-Key} handling ({@code deltaplane.idempotency.*}).
 *
 * @param enabled off in the gateway, which leaves it to the service that owns the resource
 * @param retention how long a key is remembered
 */
@ConfigurationProperties("deltaplane.idempotency")
public record IdempotencyProperties(
        @DefaultValue("true") boolean enabled,
        @DefaultValue("24h") Duration retention) {}
