package io.deltaplane.metadata.health;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code deltaplane.health.*}: how often every table's health is evaluated, opening and resolving
 * incidents and refreshing the staleness metrics.
 *
 * @param enabled whether the evaluator runs on this replica ({@code DELTAPLANE_HEALTH_ENABLED})
 * @param evaluationInterval time between two passes over every table ({@code
 *     DELTAPLANE_HEALTH_EVALUATION_INTERVAL}, 5 seconds to a day)
 */
@ConfigurationProperties("deltaplane.health")
public record HealthProperties(
        @DefaultValue("true") boolean enabled,
        @DefaultValue("1m") Duration evaluationInterval) {

    public HealthProperties {
        if (evaluationInterval.compareTo(Duration.ofSeconds(5)) < 0
                || evaluationInterval.compareTo(Duration.ofDays(1)) > 0) {
            throw new IllegalArgumentException(
                    "deltaplane.health.evaluation-interval must be between 5s and 1d, was " + evaluationInterval);
        }
    }
}
