package io.deltaplane.metadata.maintenance;

import static java.util.Objects.requireNonNull;

import io.deltaplane.metadata.names.TableName;
import io.deltaplane.metadata.publish.HistoryStart;
import io.deltaplane.metadata.publish.LogCleanup;
import io.deltaplane.support.access.AccessControl;
import io.deltaplane.support.access.Privilege;
import org.springframework.stereotype.Service;

/** A table's maintenance policy and its last runs, as {@code GET …/maintenance} answers them. */
@Service
public class MaintenanceStatuses {

    private final AccessControl access;
    private final CompactionPlanner planner;
    private final MaintenanceRepository repository;
    private final MaintenanceProperties properties;
    private final LogCleanup logCleanup;
    private final HistoryStart historyStart;

    MaintenanceStatuses(
            CompactionPlanner planner,
            MaintenanceRepository repository,
            MaintenanceProperties properties,
            LogCleanup logCleanup,
            HistoryStart historyStart,
            AccessControl access) {
        this.logCleanup = requireNonNull(logCleanup, "logCleanup");
        this.historyStart = requireNonNull(historyStart, "historyStart");
        this.access = requireNonNull(access, "access");
        this.planner = requireNonNull(planner, "planner");
        this.repository = requireNonNull(repository, "repository");
        this.properties = requireNonNull(properties, "properties");
    }

    /** The maintenance worker's policy for the table and its last runs (SELECT on the table). */
    public MaintenanceStatus status(TableName name) {
        access.require(name.securable(), Privilege.SELECT);
        var table = planner.current(name.toString());
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
}
