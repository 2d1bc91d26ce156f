package io.deltaplane.ingest.worker;

import static java.util.Objects.requireNonNull;

import io.deltaplane.ingest.config.IngestProperties;
import io.deltaplane.ingest.delta.DeltaSinks;
import io.deltaplane.ingest.lineage.IngestRuns;
import io.deltaplane.ingest.mapping.MappingRepository;
import io.deltaplane.ingest.mapping.StoredMapping;
import io.deltaplane.ingest.source.IngestRunner;
import io.deltaplane.ingest.status.IngestState;
import io.deltaplane.ingest.status.IngestStats;
import io.deltaplane.support.backoff.Backoff;
import io.deltaplane.support.loop.BackgroundLoop;
import io.deltaplane.support.secrets.Secrets;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
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
    private final BackgroundLoop loop;
    private final IngestRuns lineage;
    private final DeltaSinks deltaSinks;

    public MappingReconciler(
            MappingRepository repository,
            IngestRuns lineage,
            DeltaSinks deltaSinks,
            RunnerFactory runners,
            IngestProperties properties,
            MeterRegistry registry,
            Clock clock,
            Secrets secrets) {
        this.secrets = requireNonNull(secrets, "secrets");
        this.lineage = requireNonNull(lineage, "lineage");
        this.deltaSinks = requireNonNull(deltaSinks, "deltaSinks");
        this.repository = requireNonNull(repository, "repository");
        this.runners = requireNonNull(runners, "runners");
        this.properties = requireNonNull(properties, "properties");
        this.registry = requireNonNull(registry, "registry");
        this.clock = requireNonNull(clock, "clock");
        // Postgres unreachable for a moment: the loop logs it, keeps what runs and tries again.
        this.loop = BackgroundLoop.named("ingest-reconciler")
                .task(this::reconcile)
                .every(properties.pollInterval())
                .failureBackoff(new Backoff(properties.pollInterval(), properties.pollInterval(), 0))
                .metrics(registry)
                .build();
    }

    private record Running(long version, IngestRunner runner, IngestRuns.IngestRun run) {}

    /** Live figures of a mapping in this worker (empty when it has never been seen here). */
    public Optional<IngestStats> stats(String name) {
        return Optional.ofNullable(stats.get(name));
    }

    /** Live figures of every mapping this worker knows, by name. */
    public Map<String, IngestStats> allStats() {
        return Map.copyOf(stats);
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
                IngestRuns.IngestRun run = m.spec().isDryRun()
                        ? null
                        : lineage.start(m.spec(), () -> new IngestRuns.Progress(s.stalled(), s.maxLagSeconds()));
                IngestRunner runner =
                        runners.create(m.spec(), s, run == null ? io.deltaplane.ingest.delta.CommitObserver.NONE : run);
                running.put(m.name(), new Running(m.version(), runner, run));
                // Until the runner's thread reports, the mapping is starting, not still PAUSED or
                // DISABLED from before the resume (status is read from these stats).
                s.state(IngestState.STARTING);
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
        lineage.finish(current.run(), true);
        deltaSinks.forget(name);
        running.remove(name);
    }

    @Override
    public synchronized void start() {
        if (properties.workerEnabled()) {
            loop.start();
        }
    }

    @Override
    public void stop() {
        loop.stop(STOP_TIMEOUT);
        synchronized (this) {
            for (Map.Entry<String, Running> e : Map.copyOf(running).entrySet()) {
                stopRunner(e.getKey(), e.getValue());
            }
        }
    }

    @Override
    public boolean isRunning() {
        return loop.isRunning();
    }

    /** Stop consumers before the warehouse and the data source close. */
    @Override
    public int getPhase() {
        return SmartLifecycle.DEFAULT_PHASE - 1;
    }
}
