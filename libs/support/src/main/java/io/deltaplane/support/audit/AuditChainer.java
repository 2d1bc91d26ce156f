package io.deltaplane.support.audit;

import static java.util.Objects.requireNonNull;

import io.deltaplane.support.loop.BackgroundLoop;
import io.deltaplane.support.loop.ProcessRole;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

/**
 * Links new audit rows into the hash chain every {@code deltaplane.audit.chain-interval} (any
 * replica of any service that runs background jobs; one at a time by lock), and once an hour drops
 * rows past the retention.
 */
public final class AuditChainer implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(AuditChainer.class);
    static final int BATCH = 1000;
    static final Duration SWEEP_EVERY = Duration.ofHours(1);

    private final AuditLog audit;
    private final AuditProperties properties;
    private final ProcessRole role;
    private final Clock clock;
    private final BackgroundLoop loop;
    private volatile Instant nextSweep = Instant.MIN;

    public AuditChainer(
            AuditLog audit, AuditProperties properties, ProcessRole role, Clock clock, MeterRegistry registry) {
        this.audit = requireNonNull(audit, "audit");
        this.properties = requireNonNull(properties, "properties");
        this.role = requireNonNull(role, "role");
        this.clock = requireNonNull(clock, "clock");
        this.loop = BackgroundLoop.named("audit-chainer")
                .round(this::round)
                .every(properties.chainInterval())
                .metrics(registry)
                .build();
    }

    boolean round() {
        Instant now = clock.instant();
        if (!now.isBefore(nextSweep)) {
            int dropped = audit.dropOlderThan(now.minus(properties.retention()));
            if (dropped > 0) {
                log.info("Dropped {} audit event(s) older than {}", dropped, properties.retention());
            }
            nextSweep = now.plus(SWEEP_EVERY);
        }
        return audit.chain(BATCH) == BATCH;
    }

    /** Runs where the process runs background jobs ({@link ProcessRole}). */
    @Override
    public void start() {
        if (role.backgroundJobs()) {
            loop.start();
        }
    }

    @Override
    public void stop() {
        loop.stop(Duration.ofSeconds(5));
    }

    @Override
    public boolean isRunning() {
        return loop.isRunning();
    }
}
