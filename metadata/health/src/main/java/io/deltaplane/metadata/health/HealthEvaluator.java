package io.deltaplane.metadata.health;

import static java.util.Objects.requireNonNull;

import io.deltaplane.metadata.table.TableRepository;
import io.deltaplane.metadata.table.TableRow;
import io.deltaplane.support.loop.BackgroundLoop;
import io.deltaplane.support.loop.ClusterJobLifecycle;
import io.deltaplane.support.loop.ClusterPasses;
import io.deltaplane.support.loop.ProcessRole;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Component;

/**
 * The pass over every table, every {@code deltaplane.health.evaluation-interval}: first the
 * {@link FreshnessProfiles freshness profiles} that are a day old are relearned (within half an
 * interval; the rest wait for the next pass); then every table's freshness is judged ({@link
 * FreshnessVerdict}) from one read per page of tables — its last data commit, its SLAs, its profile's
 * entry for this hour — never its history; then, for each late table, its upstream cause in the lineage graph ({@link
 * LateCauses}): a late table upstream that is late for no upstream reason of its own is the root.
 * The root opens an incident (one per table while it lasts; later passes update it) listing the
 * late tables downstream it affects, which get none of their own; a table no longer late resolves
 * its incident ({@link IncidentReconciler}, each change queueing its event for the webhooks,
 * {@link IncidentEvents}, sent by {@link WebhookSender}). Every table with an expectation gets its
 * staleness and allowed silence as the gauges {@code deltaplane_table_staleness_seconds} and {@code
 * deltaplane_table_staleness_expected_seconds} (tag {@code table}) for Alertmanager. Replicas may
 * each run it: the open incident's unique index lets only one of them open it.
 */
@Component
public class HealthEvaluator extends ClusterJobLifecycle {

    private static final Logger log = LoggerFactory.getLogger(HealthEvaluator.class);
    private static final int PAGE = 2_000;

    private final TableRepository tables;
    private final HealthRepository health;
    private final FreshnessProfiles profiles;
    private final IncidentLog incidents;
    private final IncidentReconciler reconciler;
    private final LateCauses causes;
    private final WebhookSender sender;
    private final Clock clock;
    private final HealthProperties properties;
    private final BackgroundLoop loop;
    private final StalenessGauges gauges;

    public HealthEvaluator(
            TableRepository tables,
            HealthRepository health,
            FreshnessProfiles profiles,
            IncidentLog incidents,
            IncidentReconciler reconciler,
            LateCauses causes,
            WebhookSender sender,
            Clock clock,
            HealthProperties properties,
            ClusterPasses passes,
            ObjectProvider<MeterRegistry> registry,
            ProcessRole role) {
        super(role);
        this.tables = requireNonNull(tables, "tables");
        this.health = requireNonNull(health, "health");
        this.profiles = requireNonNull(profiles, "profiles");
        this.incidents = requireNonNull(incidents, "incidents");
        this.reconciler = requireNonNull(reconciler, "reconciler");
        this.causes = requireNonNull(causes, "causes");
        this.sender = requireNonNull(sender, "sender");
        this.clock = requireNonNull(clock, "clock");
        this.properties = requireNonNull(properties, "properties");
        MeterRegistry meters = registry.getIfAvailable();
        this.gauges = new StalenessGauges(meters);
        // one pass over every table per interval across the replicas
        this.loop = BackgroundLoop.named("health-evaluator")
                .task(passes.task("health-pass", properties.evaluationInterval(), this::runRound))
                .every(properties.evaluationInterval())
                .initialDelay(properties.evaluationInterval())
                .metrics(meters)
                .build();
    }

    /** What one pass did. */
    /**
     * What one pass did, and where its time went: relearning the due profiles, judging every table
     * (reading its page and setting its gauges), and naming causes and bringing incidents in line.
     */
    public record Pass(
            int tables,
            int late,
            int opened,
            int resolved,
            Duration relearning,
            Duration judging,
            Duration reconciling) {}

    /** One pass; the number of incidents it opened or resolved. */
    public int runRound() {
        Pass pass = evaluate();
        return pass.opened() + pass.resolved();
    }

    /**
     * Relearns the freshness profiles that are due now, for at most {@code budgetNanos} (the pass
     * gives it half an interval); how many it relearned.
     */
    public int relearnDue(long budgetNanos) {
        return profiles.relearnDue(clock.instant(), System.nanoTime() + Math.min(budgetNanos, Long.MAX_VALUE / 4));
    }

    /** Evaluates every table now. */
    public Pass evaluate() {
        Instant now = clock.instant();
        long t0 = System.nanoTime();
        // profiles a day old (or missing) first, within half an interval; the rest wait a pass
        profiles.relearnDue(
                now, System.nanoTime() + properties.evaluationInterval().toNanos() / 2);
        long t1 = System.nanoTime();
        Set<UUID> withOpenIncident = incidents.openTables(IncidentLog.KIND_LATE);

        // every table's freshness from one read per page (its history is in its profile): a late
        // table's cause may be any other late table
        Map<UUID, TableHealth> judged = new LinkedHashMap<>();
        Set<String> late = new HashSet<>();
        Map<String, StalenessGauges.Figures> figures = new HashMap<>();
        int count = 0;
        UUID after = new UUID(0, 0); // the least in Postgres's order (unsigned bytes)
        List<HealthRepository.PassRow> page;
        do {
            page = health.passPage(after, PAGE, now);
            for (HealthRepository.PassRow row : page) {
                after = row.tableId();
                count++;
                TableHealth h = FreshnessVerdict.judge(
                        row.fullName(),
                        row.lastDataCommit(),
                        row.since(),
                        row.slas(),
                        row.learned(),
                        row.usualIntervalSeconds(),
                        row.historyCommits(),
                        now);
                boolean isLate = "LATE".equals(h.status());
                if (isLate) {
                    late.add(row.fullName());
                }
                if (isLate || withOpenIncident.contains(row.tableId())) {
                    judged.put(row.tableId(), h);
                }
                if (h.freshness().allowedSilenceSeconds() != null) {
                    figures.put(
                            row.fullName(),
                            new StalenessGauges.Figures(
                                    h.stalenessSeconds(), h.freshness().allowedSilenceSeconds()));
                }
            }
        } while (page.size() == PAGE);
        gauges.publish(figures);
        long t2 = System.nanoTime();

        // then each late table's upstream cause: the root keeps the incident, the rest are affected
        Map<String, LateCauses.Explanation> why = new HashMap<>();
        Map<String, List<String>> affectedBy = new HashMap<>();
        for (String table : late) {
            LateCauses.Explanation explanation = causes.of(table, late);
            why.put(table, explanation);
            explanation
                    .upstream()
                    .ifPresent(cause -> affectedBy
                            .computeIfAbsent(cause.root(), k -> new ArrayList<>())
                            .add(cause.describe()));
        }

        int opened = 0;
        int resolved = 0;
        for (Map.Entry<UUID, TableHealth> e : judged.entrySet()) {
            TableHealth h = e.getValue();
            Optional<TableRow> row = tables.findById(e.getKey());
            if (row.isEmpty()) {
                continue; // dropped since: its incidents went with it
            }
            TableRow table = row.get();
            try {
                List<String> affected = affectedBy.getOrDefault(table.fullName(), List.of()).stream()
                        .sorted()
                        .toList();
                IncidentReconciler.Outcome outcome = reconciler.reconcile(
                        table, h, why.getOrDefault(table.fullName(), LateCauses.Explanation.NONE), affected);
                opened += outcome == IncidentReconciler.Outcome.OPENED ? 1 : 0;
                resolved += outcome == IncidentReconciler.Outcome.RESOLVED ? 1 : 0;
            } catch (RuntimeException ex) {
                log.warn("incident of {} not brought up to date: {}", table.fullName(), ex.toString());
            }
        }
        if (opened + resolved > 0) {
            sender.wake(); // their events are queued: send them now rather than at the next tick
        }
        long t3 = System.nanoTime();
        return new Pass(
                count,
                late.size(),
                opened,
                resolved,
                Duration.ofNanos(t1 - t0),
                Duration.ofNanos(t2 - t1),
                Duration.ofNanos(t3 - t2));
    }

    @Override
    protected BackgroundLoop loop() {
        return loop;
    }

    @Override
    protected boolean enabled() {
        return properties.enabled();
    }
}
