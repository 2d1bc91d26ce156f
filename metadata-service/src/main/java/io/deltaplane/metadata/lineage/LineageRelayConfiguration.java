package io.deltaplane.metadata.lineage;

import static java.util.Objects.requireNonNull;

import java.time.Clock;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.PropertySource;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.web.client.RestClient;

/**
 * The relay and its schedule: rounds back to back while a backlog lasts, then one every {@code
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
    public RelaySchedule lineageRelaySchedule(LineageRelay relay, LineageRelayProperties properties) {
        return new RelaySchedule(relay, properties);
    }

    /**
     * Runs relay rounds on a thread of its own: a slow or hanging lineage-service must not hold up
     * other scheduled work of metadata-service (such as the {@code _delta_log} publisher). It drains:
     * after a round that delivered a full batch the next starts at once; it waits {@code
     * poll-interval} (or until {@link #wakeUp()}) only when a round found less than a batch due or
     * lineage failed it.
     */
    public static final class RelaySchedule implements SmartLifecycle {
        private static final Logger log = LoggerFactory.getLogger(RelaySchedule.class);
        private static final long STOP_WAIT_MILLIS = 5_000;
        /**
         * A wake-up starts the next round no sooner than this after the last one began: an idle
         * relay delivers a commit within about this long, and under load the commits of this window
         * go in one batch instead of a round each.
         */
        static final long WAKE_COALESCE_MILLIS = 50;

        private final LineageRelay relay;
        private final LineageRelayProperties properties;
        private final Semaphore wake = new Semaphore(0);
        private volatile boolean running;
        private Thread thread;
        private long lastRoundStartedAt;

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
            if (thread != null) {
                return;
            }
            running = true;
            thread = new Thread(this::loop, "lineage-relay");
            thread.setDaemon(true);
            thread.start();
        }

        @Override
        public synchronized void stop() {
            if (thread == null) {
                return;
            }
            running = false;
            thread.interrupt();
            try {
                thread.join(STOP_WAIT_MILLIS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            thread = null;
        }

        @Override
        public synchronized boolean isRunning() {
            return thread != null;
        }

        /** Ends the current wait at once: the next round starts without waiting for the poll interval. */
        public void wakeUp() {
            if (wake.availablePermits() == 0) {
                wake.release();
            }
        }

        private void loop() {
            while (running) {
                boolean more = false;
                lastRoundStartedAt = System.nanoTime();
                try {
                    more = relay.relayDue().full();
                } catch (RuntimeException e) {
                    // Postgres hiccup or the like: the next round tries again.
                    log.warn("Lineage relay round failed: {}", e.toString());
                }
                if (!more && !pause()) {
                    return;
                }
            }
        }

        /** Waits for the poll interval or a wake-up; false when interrupted (stopping). */
        private boolean pause() {
            try {
                if (wake.tryAcquire(properties.pollInterval().toMillis(), TimeUnit.MILLISECONDS)) {
                    long sinceLastRound = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - lastRoundStartedAt);
                    if (sinceLastRound < WAKE_COALESCE_MILLIS) {
                        Thread.sleep(WAKE_COALESCE_MILLIS - sinceLastRound);
                    }
                }
                wake.drainPermits();
                return true;
            } catch (InterruptedException e) {
                return false;
            }
        }
    }
}
