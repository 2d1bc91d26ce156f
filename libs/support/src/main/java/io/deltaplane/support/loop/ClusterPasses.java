package io.deltaplane.support.loop;

import static java.util.Objects.requireNonNull;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Background passes over the whole platform that one replica runs per interval, whatever the
 * replica count: each replica's loop still ticks, and a tick runs the pass only if it claims it in
 * {@code platform.background_passes} — no pass of that name started within (nine tenths of) the
 * interval, and no live lease. The lease bounds how long a replica that dies mid-pass keeps the
 * others off it; a pass that outlives its lease may meet a second one (every pass given here is
 * idempotent: duplicated work, never a wrong result). Nothing is held in memory but this replica's
 * id, new at each start.
 */
public final class ClusterPasses {

    // A tick a little early (timer jitter) still finds its own last pass due: nine tenths of the interval.
    static final double DUE_AFTER = 0.9;
    static final Duration MIN_LEASE = Duration.ofMinutes(1);

    static final String CLAIM = """
            INSERT INTO platform.background_passes AS p (name, started_at, owner, lease_until)
            VALUES (:name, :now, :owner, :until)
            ON CONFLICT (name) DO UPDATE
               SET started_at = excluded.started_at, owner = excluded.owner, lease_until = excluded.lease_until
             WHERE p.started_at <= :due AND (p.lease_until IS NULL OR p.lease_until < :now)
            RETURNING p.name
            """;
    static final String RELEASE =
            "UPDATE platform.background_passes SET lease_until = NULL WHERE name = :name AND owner = :owner";

    private final JdbcClient jdbc;
    private final Clock clock;
    private final String service;
    private final UUID replica = UUID.randomUUID();

    /** Passes of {@code service} (the pass names are its own: services share the table). */
    public ClusterPasses(JdbcClient jdbc, Clock clock, String service) {
        this.jdbc = requireNonNull(jdbc, "jdbc");
        this.clock = requireNonNull(clock, "clock");
        this.service = requireNonNull(service, "service");
    }

    /**
     * Runs {@code pass} here if this replica claims it ({@code name}, once per {@code interval},
     * under a {@code lease}); true if it ran.
     */
    public boolean runOnce(String name, Duration interval, Duration lease, Runnable pass) {
        if (!claim(name, interval, lease)) {
            return false;
        }
        try {
            pass.run();
        } finally {
            jdbc.sql(RELEASE)
                    .param("name", qualified(name))
                    .param("owner", replica)
                    .update();
        }
        return true;
    }

    /**
     * A loop task running {@code pass} once per {@code interval} across the replicas, under a lease
     * of two intervals (at least a minute): how long a dead replica's pass keeps the others off.
     */
    public Runnable task(String name, Duration interval, Runnable pass) {
        return () -> runOnce(name, interval, pass);
    }

    /** {@link #runOnce(String, Duration, Duration, Runnable)} under a lease of two intervals (at least a minute). */
    public boolean runOnce(String name, Duration interval, Runnable pass) {
        Duration twice = interval.multipliedBy(2);
        return runOnce(name, interval, twice.compareTo(MIN_LEASE) < 0 ? MIN_LEASE : twice, pass);
    }

    boolean claim(String name, Duration interval, Duration lease) {
        Instant now = clock.instant();
        long dueNanos = (long) (interval.toNanos() * DUE_AFTER);
        return jdbc.sql(CLAIM)
                .param("name", qualified(name))
                .param("now", Timestamp.from(now))
                .param("owner", replica)
                .param("until", Timestamp.from(now.plus(lease)))
                .param("due", Timestamp.from(now.minusNanos(dueNanos)))
                .query(String.class)
                .optional()
                .isPresent();
    }

    private String qualified(String name) {
        return service + "." + name;
    }
}
