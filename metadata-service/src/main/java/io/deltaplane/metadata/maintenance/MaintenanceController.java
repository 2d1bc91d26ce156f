package io.deltaplane.metadata.maintenance;

import static java.util.Objects.requireNonNull;

import io.deltaplane.metadata.names.TableName;
import io.deltaplane.metadata.publish.HistoryStart;
import io.deltaplane.metadata.publish.LogCleanup;
import io.deltaplane.support.access.AccessControl;
import io.deltaplane.support.access.Privilege;
import io.deltaplane.support.access.Securable;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/** Table maintenance on request: {@code POST /api/v1/tables/{full_name}/optimize} and {@code …/vacuum}. */
@RestController
public class MaintenanceController {

    private final AccessControl access;
    private final MaintenanceRuns runs;
    private final CompactionPlanner planner;
    private final MaintenanceRepository repository;
    private final MaintenanceProperties properties;
    private final LogCleanup logCleanup;
    private final HistoryStart historyStart;

    public MaintenanceController(
            MaintenanceRuns runs,
            CompactionPlanner planner,
            MaintenanceRepository repository,
            MaintenanceProperties properties,
            LogCleanup logCleanup,
            HistoryStart historyStart,
            AccessControl access) {
        this.logCleanup = requireNonNull(logCleanup, "logCleanup");
        this.historyStart = requireNonNull(historyStart, "historyStart");
        this.access = requireNonNull(access, "access");
        this.runs = requireNonNull(runs, "runs");
        this.planner = requireNonNull(planner, "planner");
        this.repository = requireNonNull(repository, "repository");
        this.properties = requireNonNull(properties, "properties");
    }

    /** The maintenance worker's policy for the table and its last runs (SELECT on the table). */
    @GetMapping("/api/v1/tables/{fullName}/maintenance")
    public MaintenanceStatus maintenance(@PathVariable String fullName) {
        access.require(Securable.table(fullName), Privilege.SELECT);
        var table = planner.current(fullName);
        var state = repository.state(table.id());
        MaintenancePolicy policy = planner.policy(table);
        return new MaintenanceStatus(
                table.fullName(),
                properties.autoEnabled(),
                policy.targetFileSizeBytes(),
                policy.autoCompact(),
                policy.optimizeMinSmallFiles(),
                policy.autoVacuum(),
                policy.vacuumInterval().toMillis() / 3_600_000.0,
                state.map(MaintenanceRepository.State::checkedVersion).orElse(-1L),
                state.map(MaintenanceRepository.State::lastOptimizeAt).orElse(null),
                state.map(MaintenanceRepository.State::lastOptimize).orElse(null),
                state.map(MaintenanceRepository.State::lastVacuumAt).orElse(null),
                state.map(MaintenanceRepository.State::lastVacuum).orElse(null),
                state.map(MaintenanceRepository.State::lastError).orElse(null),
                state.map(MaintenanceRepository.State::lastErrorAt).orElse(null),
                logCleanup.logStartVersion(table.id()),
                state.map(MaintenanceRepository.State::lastLogCleanupAt).orElse(null),
                state.map(MaintenanceRepository.State::lastLogCleanup).orElse(null),
                properties.historyRetention() == null
                        ? null
                        : properties.historyRetention().toMillis() / 3_600_000.0,
                historyStart.of(table.id()));
    }

    /**
     * Compacts the table's small files into files of the target size, as one version that changes
     * no data (MODIFY on the table). 200 with what it did; no version when nothing was small. The
     * run reaches lineage as a run of job {@code maintenance:<table>}.
     */
    @PostMapping("/api/v1/tables/{fullName}/optimize")
    public OptimizeResult optimize(
            @PathVariable String fullName, @RequestBody(required = false) OptimizeRequest request) {
        access.require(Securable.table(fullName), Privilege.MODIFY);
        return runs.optimize(TableName.parse(fullName).toString(), request, MaintenanceRuns.Trigger.REQUEST);
    }

    /**
     * Deletes the files under the table's location that no retained version needs (MODIFY on the
     * table; a retention under the minimum also needs a metastore admin). {@code dry_run} lists them.
     */
    @PostMapping("/api/v1/tables/{fullName}/vacuum")
    public VacuumResult vacuum(@PathVariable String fullName, @RequestBody(required = false) VacuumRequest request) {
        access.require(Securable.table(fullName), Privilege.MODIFY);
        return runs.vacuum(TableName.parse(fullName).toString(), request, MaintenanceRuns.Trigger.REQUEST);
    }
}
