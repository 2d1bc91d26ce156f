package io.deltaplane.metadata.lineage;

import static java.util.Objects.requireNonNull;

import io.deltaplane.support.backoff.Backoff;
import io.deltaplane.support.loop.BackgroundLoop;
import io.deltaplane.support.loop.ProcessRole;
import io.deltaplane.support.loop.Wakeup;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

/**
 * Runs a relay's rounds on a background loop of its own: a slow or hanging lineage-service must not
 * hold up other scheduled work of metadata-service (such as the {@code _delta_log} publisher). It
 * drains: after a round that says more is due (it delivered a full batch) the next starts at once;
 * it waits {@code poll-interval} (or until {@link #wakeUp()}) only when a round found less than a
 * batch due or lineage failed it. Lineage down: it retries at the poll interval, as the outbox rows
 * keep their own back-off.
 */
public final class RelayLoop implements SmartLifecycle {
    private static final Logger log = LoggerFactory.getLogger(RelayLoop.class);
    private static final Duration STOP_WAIT = Duration.ofSeconds(5);

    private final String name;
    private final LineageRelayProperties properties;
    private final ProcessRole role;
    private final BackgroundLoop loop;

    /**
     * @param round one round; true when more may be due at once
     * @param gather wake-ups within this window start one round (null: each wake-up may start one)
     */
    RelayLoop(
            String name,
            BooleanSupplier round,
            LineageRelayProperties properties,
            ProcessRole role,
            Duration gather,
            MeterRegistry registry) {
        this(name, round, properties, role, gather, registry, new Wakeup());
    }

    /** As above, with the loop's doorbell given: tests watch it to see the loop wait. */
    RelayLoop(
            String name,
            BooleanSupplier round,
            LineageRelayProperties properties,
            ProcessRole role,
            Duration gather,
            MeterRegistry registry,
            Wakeup wakeup) {
        this.name = requireNonNull(name, "name");
        this.properties = requireNonNull(properties, "properties");
        this.role = requireNonNull(role, "role");
        BackgroundLoop.Builder builder = BackgroundLoop.named(name)
                .round(requireNonNull(round, "round")::getAsBoolean)
                .every(properties.pollInterval())
                .failureBackoff(new Backoff(properties.pollInterval(), properties.pollInterval(), 0))
                .metrics(registry)
                .wakeup(requireNonNull(wakeup, "wakeup"));
        if (gather != null) {
            builder.coalesceWakeUps(gather);
        }
        this.loop = builder.build();
    }

    @Override
    public synchronized void start() {
        if (!properties.enabled()) {
            log.info("{} disabled (deltaplane.lineage.enabled=false); its outbox keeps filling", name);
            return;
        }
        if (role.backgroundJobs()) { // else the pods that run background jobs relay
            loop.start();
        }
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
