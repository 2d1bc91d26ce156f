package io.deltaplane.metadata.health;

import java.time.Duration;
import java.util.List;
import java.util.Locale;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code deltaplane.health.*}: how often every table's health is evaluated, opening and resolving
 * incidents and refreshing the staleness metrics, and where incidents may be sent.
 *
 * @param enabled whether the evaluator and the webhook sender run on this replica ({@code
 *     DELTAPLANE_HEALTH_ENABLED})
 * @param evaluationInterval time between two passes over every table ({@code
 *     DELTAPLANE_HEALTH_EVALUATION_INTERVAL}, 5 seconds to a day)
 * @param webhookAllowedHosts the hosts webhooks may be sent to ({@code
 *     DELTAPLANE_HEALTH_WEBHOOK_ALLOWED_HOSTS}, comma-separated; {@code *.example.com} for a
 *     domain's hosts); none by default: no incident leaves the platform until the operator says where
 */
@ConfigurationProperties("deltaplane.health")
public record HealthProperties(
        @DefaultValue("true") boolean enabled,
        @DefaultValue("1m") Duration evaluationInterval,
        List<String> webhookAllowedHosts) {

    public HealthProperties {
        if (evaluationInterval.compareTo(Duration.ofSeconds(5)) < 0
                || evaluationInterval.compareTo(Duration.ofDays(1)) > 0) {
            throw new IllegalArgumentException(
                    "deltaplane.health.evaluation-interval must be between 5s and 1d, was " + evaluationInterval);
        }
        webhookAllowedHosts = webhookAllowedHosts == null
                ? List.of()
                : webhookAllowedHosts.stream()
                        .map(String::strip)
                        .filter(h -> !h.isEmpty())
                        .map(h -> h.toLowerCase(Locale.ROOT))
                        .toList();
    }
}
