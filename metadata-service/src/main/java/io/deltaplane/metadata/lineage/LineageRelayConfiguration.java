package io.deltaplane.metadata.lineage;

import static java.util.Objects.requireNonNull;

import java.time.Clock;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.PropertySource;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionTemplate;
import org.springframework.web.client.RestClient;

/** The relay and its schedule: a round every {@code deltaplane.lineage.poll-interval} when enabled. */
@Configuration(proxyBeanMethods = false)
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
    public RelaySchedule lineageRelaySchedule(LineageRelay relay, LineageRelayProperties properties) {
        return new RelaySchedule(relay, properties);
    }

    /**
     * Runs relay rounds on a thread of its own: a slow or hanging lineage-service must not hold up
     * other scheduled work of metadata-service (such as the {@code _delta_log} publisher).
     */
    public static final class RelaySchedule implements SmartLifecycle {
        private static final Logger log = LoggerFactory.getLogger(RelaySchedule.class);
        private final LineageRelay relay;
        private final LineageRelayProperties properties;
        private ScheduledExecutorService executor;

        RelaySchedule(LineageRelay relay, LineageRelayProperties properties) {
            this.relay = requireNonNull(relay, "relay");
            this.properties = requireNonNull(properties, "properties");
        }

        @Override
        public synchronized void start() {
            if (!properties.enabled()) {
                log.info("Lineage relay disabled (deltaplane.lineage.enabled=false); the outbox keeps filling");
                return;
            }
            executor = Executors.newSingleThreadScheduledExecutor(runnable -> {
                Thread thread = new Thread(runnable, "lineage-relay");
                thread.setDaemon(true);
                return thread;
            });
            long delay = properties.pollInterval().toMillis();
            executor.scheduleWithFixedDelay(this::round, delay, delay, TimeUnit.MILLISECONDS);
        }

        @Override
        public synchronized void stop() {
            if (executor != null) {
                executor.shutdownNow();
                executor = null;
            }
        }

        @Override
        public synchronized boolean isRunning() {
            return executor != null;
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
