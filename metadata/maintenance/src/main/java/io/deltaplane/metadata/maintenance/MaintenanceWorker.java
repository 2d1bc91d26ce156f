package io.deltaplane.metadata.maintenance;

import static java.util.Objects.requireNonNull;

import io.deltaplane.metadata.maintenance.MaintenanceRepository.Claim;
import io.deltaplane.metadata.publish.LogCleanup;
import io.deltaplane.metadata.table.TableRow;
import io.deltaplane.support.loop.BackgroundLoop;
import io.deltaplane.support.loop.ClusterJobLifecycle;
import io.deltaplane.support.loop.ProcessRole;
import io.deltaplane.support.problem.ApiException;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;

/**
 * Keeps tables healthy without anyone asking, under the platform's default policy: every {@code
 * auto-interval} it leases a few due tables (like the publisher: several replicas, no double
 * work) and, per table, runs OPTIMIZE when it was committed to since the last look and has at
 * least {@code optimize-min-small-files} live files under its target size (a table's properties
 * change that: {@link MaintenancePolicy}), and VACUUM (with the table's own retention) and log
 * cleanup ({@link LogCleanup}; with a {@code history-retention}, Postgres's history too: {@link
 * HistoryPruning}) once per {@code vacuum-interval} (or the table's {@code
 * deltaplane.autoVacuum.interval}). What each did is kept for {@code GET
 * /api/v1/tables/{t}/maintenance}; a failure is kept too, and the table left alone for {@code
 * auto-failure-backoff}. Each run is also a lineage run of job {@code maintenance:<table>}
 * ({@link MaintenanceRuns}).
 */
@Component
public class MaintenanceWorker extends ClusterJobLifecycle {

    private static final Logger log = LoggerFactory.getLogger(MaintenanceWorker.class);

    private final MaintenanceRepository repository;
    private final CompactionPlanner planner;
    private final MaintenanceRuns runs;
    private final JsonMapper json;
    private final MaintenanceProperties properties;
    private final BackgroundLoop loop;

    public MaintenanceWorker(
            MaintenanceRepository repository,
            CompactionPlanner planner,
            MaintenanceRuns runs,
            JsonMapper json,
            MaintenanceProperties properties,
            MeterRegistry registry,
            ProcessRole role) {
        super(role);
        this.repository = requireNonNull(repository, "repository");
        this.planner = requireNonNull(planner, "planner");
        this.runs = requireNonNull(runs, "runs");
        this.json = requireNonNull(json, "json");
        this.properties = requireNonNull(properties, "properties");
        this.loop = BackgroundLoop.named("table-maintenance")
                .task(this::runRound)
                .every(properties.autoInterval())
                .initialDelay(properties.autoInterval())
                .metrics(registry)
                .build();
    }

    /** One round: the due tables this replica could lease, each maintained; how many it took. */
    public int runRound() {
        return run(repository.claim(
                properties.autoTablesPerRound(), properties.autoLease(), properties.vacuumInterval(), null));
    }

    /** A round for one table: maintained now if it is due and no replica holds it; whether it was. */
    boolean runFor(java.util.UUID tableId) {
        return run(repository.claim(1, properties.autoLease(), properties.vacuumInterval(), tableId)) == 1;
    }

    private int run(List<Claim> claims) {
        for (Claim claim : claims) {
            maintain(claim);
        }
        return claims.size();
    }

    private void maintain(Claim claim) {
        try {
            TableRow table = planner.current(claim.tableId());
            MaintenancePolicy policy = planner.policy(table);
            if (policy.autoCompact()
                    && claim.checkedVersion() < table.currentVersion()
                    && repository.smallFiles(table.id(), policy.targetFileSizeBytes())
                            >= policy.optimizeMinSmallFiles()) {
                if (!stillHeld(claim)) {
                    return;
                }
                OptimizeResult result =
                        runs.optimize(table.fullName(), OptimizeRequest.EVERYTHING, MaintenanceRuns.Trigger.POLICY);
                repository.optimized(claim, json.writeValueAsString(result));
            }
            if (claim.vacuumDue(policy.vacuumInterval()) && policy.autoVacuum()) {
                if (!stillHeld(claim)) {
                    return;
                }
                VacuumResult result =
                        runs.vacuum(table.fullName(), VacuumRequest.DEFAULTS, MaintenanceRuns.Trigger.POLICY);
                repository.vacuumed(claim, json.writeValueAsString(result));
                if (!stillHeld(claim)) {
                    return;
                }
                var cleaned = runs.cleanLog(table.id(), table.fullName(), properties.historyRetention());
                if (cleaned.isPresent()) {
                    repository.logCleaned(claim, json.writeValueAsString(cleaned.get()));
                }
            }
            // the version after its own OPTIMIZE: that commit does not make the table due again
            repository.checked(claim, planner.current(claim.tableId()).currentVersion(), policy.vacuumInterval());
        } catch (RuntimeException e) {
            // Whatever failed this table's maintenance (its storage unreachable or not configured, a
            // refused commit, …) is this table's: recorded and backed off, the round goes on.
            String error = e instanceof ApiException api ? api.errorCode() + ": " + e.getMessage() : e.toString();
            log.warn(
                    "Maintenance of table {} failed; left alone for {}: {}",
                    claim.tableId(),
                    properties.autoFailureBackoff(),
                    error);
            repository.failed(claim, error, properties.autoFailureBackoff());
        }
    }

    /**
     * Renews the claim's lease before a step; false (the round leaves the table) when its lease ran
     * out and another replica holds the table now.
     */
    private boolean stillHeld(Claim claim) {
        if (repository.renew(claim, properties.autoLease())) {
            return true;
        }
        log.info("Maintenance of table {}: another replica holds it now; this round leaves it", claim.tableId());
        return false;
    }

    @Override
    protected BackgroundLoop loop() {
        return loop;
    }

    @Override
    protected boolean enabled() {
        return properties.autoEnabled();
    }
}
