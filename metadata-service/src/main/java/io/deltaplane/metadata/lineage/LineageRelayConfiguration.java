package io.deltaplane.metadata.lineage;

import static java.util.Objects.requireNonNull;

import java.time.Clock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.PropertySource;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.scheduling.annotation.EnableScheduling;
import org.springframework.scheduling.annotation.SchedulingConfigurer;
import org.springframework.scheduling.config.ScheduledTaskRegistrar;
import org.springframework.transaction.support.TransactionTemplate;
import org.springframework.web.client.RestClient;

/** The relay and its schedule: a round every {@code deltaplane.lineage.poll-interval} when enabled. */
@Configuration(proxyBeanMethods = false)
@EnableScheduling
@PropertySource("classpath:io/deltaplane/metadata/lineage/lineage-relay.properties")
public class LineageRelayConfiguration {

    @Bean
    public LineageRelay lineageRelay(
            JdbcClient jdbc,
            TransactionTemplate tx,
            RestClient.Builder restClients,
            LineageRelayProperties properties,
            Clock clock) {
        return new LineageRelay(jdbc, tx, restClients, properties, clock);
    }

    @Bean
    public SchedulingConfigurer lineageRelaySchedule(LineageRelay relay, LineageRelayProperties properties) {
        return new RelaySchedule(relay, properties);
    }

    static final class RelaySchedule implements SchedulingConfigurer {
        private static final Logger log = LoggerFactory.getLogger(RelaySchedule.class);
        private final LineageRelay relay;
        private final LineageRelayProperties properties;

        RelaySchedule(LineageRelay relay, LineageRelayProperties properties) {
            this.relay = requireNonNull(relay, "relay");
            this.properties = requireNonNull(properties, "properties");
        }

        @Override
        public void configureTasks(ScheduledTaskRegistrar registrar) {
            if (!properties.enabled()) {
                log.info("Lineage relay disabled (deltaplane.lineage.enabled=false); the outbox keeps filling");
                return;
            }
            registrar.addFixedDelayTask(this::round, properties.pollInterval());
        }

        private void round() {
            try {
                relay.relayDue();
            } catch (RuntimeException e) {
                // Postgres hiccup or the like: the next round tries again.
                log.warn("Lineage relay round failed: {}", e.toString());
            }
        }
    }
}
