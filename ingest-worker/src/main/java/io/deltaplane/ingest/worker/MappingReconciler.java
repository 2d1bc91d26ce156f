package io.deltaplane.ingest.worker;

import static java.util.Objects.requireNonNull;

import io.deltaplane.ingest.mapping.MappingRepository;
import io.deltaplane.ingest.mapping.StoredMapping;
import io.deltaplane.ingest.source.IngestRunner;
import io.deltaplane.ingest.source.Secrets;
import io.deltaplane.ingest.status.IngestState;
import io.deltaplane.ingest.status.IngestStats;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * Keeps this worker's consumers in line with the mappings in Postgres: every poll interval it reads
 * the table and starts consumers for new or resumed mappings, restarts those whose version changed
 * and stops paused, disabled and deleted ones — no restart of the worker needed.
 */
@Component
public class MappingReconciler implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(MappingReconciler.class);
    static final Duration STOP_TIMEOUT = Duration.ofSeconds(30);

    private final MappingRepository repository;
    private final RunnerFactory runners;
    private final IngestProperties properties;
    private final MeterRegistry registry;
    private final Clock clock;
    private final Secrets secrets;
    private final Map<String, Running> running = new ConcurrentHashMap<>();
    private final Map<String, IngestStats> stats = new ConcurrentHashMap<>();
    private ScheduledExecutorService scheduler;

    public MappingReconciler(
            MappingRepository repository,
            RunnerFactory runners,
            IngestProperties properties,
            MeterRegistry registry,
            Clock clock,
            Secrets secrets) {
        this.secrets = requireNonNull(secrets, "secrets");
        this.repository = requireNonNull(repository, "repository");
        this.runners = requireNonNull(runners, "runners");
        this.properties = requireNonNull(properties, "properties");
        this.registry = requireNonNull(registry, "registry");
        this.clock = requireNonNull(clock, "clock");
    }

    private record Running(long version, IngestRunner runner) {}

    /** Live figures of a mapping in this worker (empty when it has never been seen here). */
    public Optional<IngestStats> stats(String name) {
        return Optional.ofNullable(stats.get(name));
    }

    /** Reads the mappings once and brings the consumers in line; called on a schedule. */
    public synchronized void reconcile() {
        List<StoredMapping> mappings = repository.findAll();
        Set<String> seen = new HashSet<>();
        for (StoredMapping m : mappings) {
            seen.add(m.name());
            IngestStats s = stats.computeIfAbsent(m.name(), n -> new IngestStats(n, registry, clock, secrets::redact));
            Running current = running.get(m.name());
            if (current != null && (current.version() != m.version() || !m.shouldRun())) {
                stopRunner(m.name(), current);
            }
            if (m.shouldRun() && !running.containsKey(m.name())) {
                log.info("Starting mapping {} (version {})", m.name(), m.version());
                IngestRunner runner = runners.create(m.spec(), s);
                running.put(m.name(), new Running(m.version(), runner));
                runner.start();
            } else if (!m.shouldRun()) {
                s.state(m.paused() ? IngestState.PAUSED : IngestState.DISABLED);
            }
        }
        for (String name : Set.copyOf(running.keySet())) {
            if (!seen.contains(name)) {
                stopRunner(name, running.get(name));
            }
        }
        for (String name : Set.copyOf(stats.keySet())) {
            if (!seen.contains(name)) {
                stats.remove(name).close();
            }
        }
    }

    private void stopRunner(String name, Running current) {
        log.info("Stopping mapping {} (version {})", name, current.version());
        current.runner().stop(STOP_TIMEOUT);
        running.remove(name);
    }

    @Override
    public synchronized void start() {
        if (!properties.workerEnabled() || scheduler != null) {
            return;
        }
        scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "ingest-reconciler");
            t.setDaemon(true);
            return t;
        });
        long period = properties.pollInterval().toMillis();
        scheduler.scheduleWithFixedDelay(this::reconcileSafely, 0, period, TimeUnit.MILLISECONDS);
    }

    private void reconcileSafely() {
        try {
            reconcile();
        } catch (RuntimeException e) {
            // Postgres unreachable for a moment: keep what runs, try again next tick.
            log.warn("Reconciling mappings failed: {}", e.toString());
        }
    }

    @Override
    public void stop() {
        ScheduledExecutorService s;
        synchronized (this) {
            s = scheduler;
            scheduler = null;
        }
        if (s != null) {
            s.shutdownNow();
            try {
                s.awaitTermination(STOP_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        synchronized (this) {
            for (Map.Entry<String, Running> e : Map.copyOf(running).entrySet()) {
                stopRunner(e.getKey(), e.getValue());
            }
        }
    }

    @Override
    public boolean isRunning() {
        return scheduler != null;
    }

    /** Stop consumers before the warehouse and the data source close. */
    @Override
    public int getPhase() {
        return SmartLifecycle.DEFAULT_PHASE - 1;
    }
}
