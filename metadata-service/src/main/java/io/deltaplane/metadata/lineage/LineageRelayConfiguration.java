package io.deltaplane.metadata.lineage;

import static java.util.Objects.requireNonNull;

import io.deltaplane.support.backoff.Backoff;
import io.deltaplane.support.loop.BackgroundLoop;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.SmartLifecycle;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.PropertySource;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.web.client.RestClient;
import tools.jackson.databind.json.JsonMapper;

/**
 * The relays and their schedules — committed versions ({@link LineageRelay}) and maintenance runs
 * ({@link MaintenanceRunRelay}). The version relay's schedule: rounds back to back while a backlog lasts, then one every {@code
 * deltaplane.lineage.poll-interval}, when enabled.
 */
@Configuration(proxyBeanMethods = false)
@PropertySource("classpath:io/deltaplane/metadata/lineage/lineage-relay.properties")
public class LineageRelayConfiguration {

    @Bean
    public LineageRelay lineageRelay(
            JdbcClient jdbc, RestClient.Builder restClients, LineageRelayProperties properties, Clock clock) {
        return new LineageRelay(jdbc, restClients, properties, clock);
    }

    @Bean
    public RelaySchedule lineageRelaySchedule(
            LineageRelay relay, LineageRelayProperties properties, ObjectProvider<MeterRegistry> registry) {
        return new RelaySchedule(relay, properties, registry.getIfAvailable());
    }

    @Bean
    public MaintenanceRunRelay maintenanceRunRelay(
            JdbcClient jdbc,
            RestClient.Builder restClients,
            LineageRelayProperties properties,
            JsonMapper json,
            Clock clock) {
        return new MaintenanceRunRelay(jdbc, restClients, properties, json, clock);
    }

    @Bean
    public MaintenanceRunRelay.Schedule maintenanceRunRelaySchedule(
            MaintenanceRunRelay relay, LineageRelayProperties properties, ObjectProvider<MeterRegistry> registry) {
        return new MaintenanceRunRelay.Schedule(relay, properties, registry.getIfAvailable());
    }

    /**
     * Runs relay rounds on a background loop of its own: a slow or hanging lineage-service must not
     * hold up other scheduled work of metadata-service (such as the {@code _delta_log} publisher). It
     * drains: after a round that delivered a full batch the next starts at once; it waits {@code
     * poll-interval} (or until {@link #wakeUp()}) only when a round found less than a batch due or
     * lineage failed it.
     */
    public static final class RelaySchedule implements SmartLifecycle {
        private static final Logger log = LoggerFactory.getLogger(RelaySchedule.class);
        private static final Duration STOP_WAIT = Duration.ofSeconds(5);
        private final LineageRelayProperties properties;
        private final BackgroundLoop loop;

        RelaySchedule(LineageRelay relay, LineageRelayProperties properties) {
            this(relay, properties, null);
        }

        RelaySchedule(LineageRelay relay, LineageRelayProperties properties, MeterRegistry registry) {
            requireNonNull(relay, "relay");
            this.properties = requireNonNull(properties, "properties");
            this.loop = BackgroundLoop.named("lineage-relay")
                    .round(() -> relay.relayDue().full())
                    .every(properties.pollInterval())
                    // Lineage down: retry at the poll interval, as the outbox rows keep their own back-off.
                    .failureBackoff(new Backoff(properties.pollInterval(), properties.pollInterval(), 0))
                    // Under load the commits of this window go in one batch instead of a request each;
                    // a backlog drains full batch after full batch.
                    .coalesceWakeUps(properties.gather())
                    .metrics(registry)
                    .build();
        }

        @Override
        public synchronized void start() {
            if (!properties.enabled()) {
                log.info("Lineage relay disabled (deltaplane.lineage.enabled=false); the outbox keeps filling");
                return;
            }
            loop.start();
        }

        @Override
        public synchronized void stop() {
            loop.stop(STOP_WAIT);
        }

        @Override
        public boolean isRunning() {
            return loop.isRunning();
        }

        /** Ends the current wait at once: the next round starts without waiting for the poll interval. */
        public void wakeUp() {
            loop.wake();
        }
    }
}
