package io.deltaplane.metadata.health;

import static java.util.Objects.requireNonNull;

import io.deltaplane.metadata.table.TableRepository;
import io.deltaplane.metadata.table.TableRow;
import io.deltaplane.support.loop.BackgroundLoop;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The pass over every table, every {@code deltaplane.health.evaluation-interval}: a table found
 * LATE opens an incident (one per table while it lasts; later passes update it), one found no
 * longer late resolves its open incident — each change queueing its event for the webhooks that
 * may see the table ({@link IncidentEvents}, sent by {@link WebhookSender}) — and every table with an expectation gets its staleness
 * and allowed silence as the gauges {@code deltaplane_table_staleness_seconds} and {@code
 * deltaplane_table_staleness_expected_seconds} (tag {@code table}) for Alertmanager. Replicas may
 * each run it: the open incident's unique index lets only one of them open it.
 */
@Component
public class HealthEvaluator implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(HealthEvaluator.class);
    private static final int PAGE = 500;

    private final TableRepository tables;
    private final TableHealthService health;
    private final IncidentLog incidents;
    private final IncidentEvents events;
    private final WebhookSender sender;
    private final TransactionTemplate tx;
    private final Clock clock;
    private final HealthProperties properties;
    private final BackgroundLoop loop;
    private final MultiGauge staleness;
    private final MultiGauge expected;

    public HealthEvaluator(
            TableRepository tables,
            TableHealthService health,
            IncidentLog incidents,
            IncidentEvents events,
            WebhookSender sender,
            TransactionTemplate tx,
            Clock clock,
            HealthProperties properties,
            ObjectProvider<MeterRegistry> registry) {
        this.tables = requireNonNull(tables, "tables");
        this.health = requireNonNull(health, "health");
        this.incidents = requireNonNull(incidents, "incidents");
        this.events = requireNonNull(events, "events");
        this.sender = requireNonNull(sender, "sender");
        this.tx = requireNonNull(tx, "tx");
        this.clock = requireNonNull(clock, "clock");
        this.properties = requireNonNull(properties, "properties");
        MeterRegistry meters = registry.getIfAvailable();
        this.staleness = meters == null
                ? null
                : MultiGauge.builder("deltaplane.table.staleness")
                        .baseUnit("seconds")
                        .description("Seconds since the table's last data commit (tables with an expectation)")
                        .register(meters);
        this.expected = meters == null
                ? null
                : MultiGauge.builder("deltaplane.table.staleness.expected")
                        .baseUnit("seconds")
                        .description("How long the table may go without a data commit now (declared or learned)")
                        .register(meters);
        this.loop = BackgroundLoop.named("health-evaluator")
                .task(this::runRound)
                .every(properties.evaluationInterval())
                .initialDelay(properties.evaluationInterval())
                .metrics(meters)
                .build();
    }

    /** What one pass did. */
    public record Pass(int tables, int late, int opened, int resolved) {}

    /** One pass; the number of incidents it opened or resolved. */
    public int runRound() {
        Pass pass = evaluate();
        return pass.opened() + pass.resolved();
    }

    /** Evaluates every table now. */
    public Pass evaluate() {
        Instant now = clock.instant();
        List<MultiGauge.Row<?>> stalenessRows = new ArrayList<>();
        List<MultiGauge.Row<?>> expectedRows = new ArrayList<>();
        int count = 0;
        int late = 0;
        int opened = 0;
        int resolved = 0;
        UUID after = new UUID(0, 0); // the least in Postgres's order (unsigned bytes)
        List<TableRow> page;
        do {
            page = tables.allAfter(after, PAGE);
            for (TableRow table : page) {
                after = table.id();
                count++;
                try {
                    TableHealth h = health.of(table, now, false);
                    Outcome outcome = reconcile(table, h);
                    late += "LATE".equals(h.status()) ? 1 : 0;
                    opened += outcome == Outcome.OPENED ? 1 : 0;
                    resolved += outcome == Outcome.RESOLVED ? 1 : 0;
                    if (h.freshness().allowedSilenceSeconds() != null) {
                        Tags tags = Tags.of("table", table.fullName());
                        stalenessRows.add(MultiGauge.Row.of(tags, h.stalenessSeconds()));
                        expectedRows.add(MultiGauge.Row.of(tags, h.freshness().allowedSilenceSeconds()));
                    }
                } catch (RuntimeException e) {
                    // one table's failure (dropped meanwhile, say) does not stop the pass
                    log.warn("health of {} not evaluated: {}", table.fullName(), e.toString());
                }
            }
        } while (page.size() == PAGE);
        if (staleness != null) {
            staleness.register(stalenessRows, true);
            expected.register(expectedRows, true);
        }
        if (opened + resolved > 0) {
            sender.wake(); // their events are queued: send them now rather than at the next tick
        }
        return new Pass(count, late, opened, resolved);
    }

    private enum Outcome {
        OPENED,
        RESOLVED,
        NONE
    }

    private Outcome reconcile(TableRow table, TableHealth h) {
        return tx.execute(status -> {
            Optional<Incident> open = incidents.openOf(table.id(), IncidentLog.KIND_LATE);
            if ("LATE".equals(h.status())) {
                String expectation = expectation(h.freshness());
                if (open.isPresent()) {
                    incidents.update(open.get().id(), h, expectation);
                    return Outcome.NONE;
                }
                UUID id = UUID.randomUUID();
                boolean made = incidents.open(id, table.id(), table.fullName(), table.catalog(), h, expectation);
                if (made) {
                    events.queue(
                            IncidentEvents.OPENED, incidents.get(id).orElseThrow(), table.catalog(), h.evaluatedAt());
                    log.info(
                            "incident opened: {} has had no data commit for {} (allowed {})",
                            table.fullName(),
                            Duration.ofSeconds(h.stalenessSeconds()),
                            Duration.ofSeconds(h.freshness().allowedSilenceSeconds()));
                }
                return made ? Outcome.OPENED : Outcome.NONE;
            }
            if (open.isPresent() && incidents.resolve(open.get().id(), h.evaluatedAt(), h.lastDataCommitAt())) {
                events.queue(
                        IncidentEvents.RESOLVED,
                        incidents.get(open.get().id()).orElseThrow(),
                        table.catalog(),
                        h.evaluatedAt());
                log.info("incident resolved: {} is {}", table.fullName(), h.status());
                return Outcome.RESOLVED;
            }
            return Outcome.NONE;
        });
    }

    /** How the allowed silence was set, for people reading the incident. */
    static String expectation(TableHealth.Freshness f) {
        return switch (f.source()) {
            case "declared" -> "declared on " + f.declaredOn() + ": " + f.sla();
            case "learned" ->
                "learned (" + f.basis().replace('_', ' ') + "): usually quiet "
                        + Duration.ofSeconds(f.usualSilenceSeconds())
                                .toString()
                                .substring(2)
                                .toLowerCase()
                        + " at this time";
            default -> "none";
        };
    }

    @Override
    public void start() {
        if (properties.enabled()) {
            loop.start();
        }
    }

    @Override
    public void stop() {
        loop.stop(Duration.ofSeconds(30));
    }

    @Override
    public boolean isRunning() {
        return loop.isRunning();
    }
}
