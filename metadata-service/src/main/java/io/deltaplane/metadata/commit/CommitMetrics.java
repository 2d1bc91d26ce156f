package io.deltaplane.metadata.commit;

import static java.util.Objects.requireNonNull;

import io.deltaplane.metadata.table.TableService;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/** Commits, conflicts, commit latency (histogram) and each table's current version. */
@Component
public class CommitMetrics {

    private final MeterRegistry registry;
    private final JdbcClient jdbc;
    private final Counter commits;
    private final Counter conflicts;
    private final Counter rejected;
    private final Timer latency;
    private final Counter fastHits;
    private final Counter fastMisses;
    private final Map<UUID, Registered> versions = new ConcurrentHashMap<>();

    private record Registered(AtomicLong version, Gauge gauge) {}

    public CommitMetrics(MeterRegistry registry, JdbcClient jdbc) {
        this.registry = requireNonNull(registry, "registry");
        this.jdbc = requireNonNull(jdbc, "jdbc");
        this.commits = Counter.builder("deltaplane.metadata.commits")
                .description("Table versions committed")
                .register(registry);
        this.conflicts = Counter.builder("deltaplane.metadata.commit.conflicts")
                .description("Commits rejected with VERSION_CONFLICT")
                .register(registry);
        this.rejected = Counter.builder("deltaplane.metadata.commit.rejected")
                .description("Commits rejected with INVALID_ACTION")
                .register(registry);
        this.fastHits = Counter.builder("deltaplane.metadata.commit.fast.path")
                .description("Commits written by the one-statement fast path (hit) or not (miss)")
                .tag("outcome", "hit")
                .register(registry);
        this.fastMisses = Counter.builder("deltaplane.metadata.commit.fast.path")
                .description("Commits written by the one-statement fast path (hit) or not (miss)")
                .tag("outcome", "miss")
                .register(registry);
        this.latency = Timer.builder("deltaplane.metadata.commit.latency")
                .description("Time to validate and commit one request")
                .publishPercentileHistogram()
                .register(registry);
    }

    public Timer latency() {
        return latency;
    }

    static final String ALL_TABLES = "SELECT id, catalog || '.' || schema || '.' || name, current_version FROM tables";

    /** Every table gets its version gauge at start-up, not only after its next commit. */
    @EventListener(ApplicationReadyEvent.class)
    public void registerExisting() {
        jdbc.sql(ALL_TABLES)
                .query((rs, n) -> {
                    register(rs.getObject(1, UUID.class), rs.getString(2), rs.getLong(3));
                    return null;
                })
                .list();
    }

    /** After the commit's transaction: count it and move the table's gauge. */
    void committed(UUID tableId, String fullName, long version) {
        commits.increment();
        register(tableId, fullName, version);
    }

    private void register(UUID tableId, String fullName, long version) {
        Registered registered = versions.computeIfAbsent(tableId, id -> {
            AtomicLong value = new AtomicLong(version);
            Gauge gauge = Gauge.builder("deltaplane.metadata.table.version", value, AtomicLong::get)
                    .description("Current version of each table")
                    .tag("table", fullName)
                    .register(registry);
            return new Registered(value, gauge);
        });
        registered.version().accumulateAndGet(version, Math::max);
    }

    void fastPath(boolean hit) {
        (hit ? fastHits : fastMisses).increment();
    }

    public void conflict() {
        conflicts.increment();
    }

    public void rejected() {
        rejected.increment();
    }

    @EventListener
    public void onDropped(TableService.TableDropped event) {
        dropped(event.tableId());
    }

    void dropped(UUID tableId) {
        Registered registered = versions.remove(tableId);
        if (registered != null) {
            registry.remove(registered.gauge());
        }
    }
}
