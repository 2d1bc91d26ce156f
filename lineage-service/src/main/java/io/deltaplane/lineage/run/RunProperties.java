package io.deltaplane.lineage.run;

import jakarta.validation.constraints.NotNull;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Run housekeeping ({@code deltaplane.runs.*}).
 *
 * @param heartbeatTimeout a RUNNING run silent for this long becomes ABANDONED (per-run override:
 *     {@code heartbeat_timeout_seconds} at start)
 * @param sweepInterval how often silent runs are looked for
 */
@Validated
@ConfigurationProperties("deltaplane.runs")
public record RunProperties(
        @DefaultValue("1h") @NotNull Duration heartbeatTimeout,
        @DefaultValue("30s") @NotNull Duration sweepInterval) {

    public RunProperties {
        if (heartbeatTimeout.isNegative() || heartbeatTimeout.isZero()) {
            throw new IllegalArgumentException("deltaplane.runs.heartbeat-timeout must be positive");
        }
        if (sweepInterval.isNegative() || sweepInterval.isZero()) {
            throw new IllegalArgumentException("deltaplane.runs.sweep-interval must be positive");
        }
    }
}
