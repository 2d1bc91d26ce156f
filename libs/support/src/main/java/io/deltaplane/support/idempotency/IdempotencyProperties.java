package io.deltaplane.support.idempotency;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code Idempotency-Key} handling ({@code deltaplane.idempotency.*}).
 *
 * @param enabled off in the gateway, which leaves it to the service that owns the resource
 * @param retention how long a key is remembered
 * @param lease how long an in-progress key stays its request's without a renewal (renewed every third
 *     of it while the request runs): after a process dies, a retry takes its keys over this late
 */
@ConfigurationProperties("deltaplane.idempotency")
public record IdempotencyProperties(
        @DefaultValue("true") boolean enabled,
        @DefaultValue("24h") Duration retention,
        @DefaultValue("30s") Duration lease) {}
