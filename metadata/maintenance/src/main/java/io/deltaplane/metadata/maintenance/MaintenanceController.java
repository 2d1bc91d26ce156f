package io.deltaplane.metadata.maintenance;

import static java.util.Objects.requireNonNull;

import io.deltaplane.metadata.names.TableName;
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
    private final MaintenanceStatuses statuses;

    public MaintenanceController(MaintenanceRuns runs, MaintenanceStatuses statuses, AccessControl access) {
        this.access = requireNonNull(access, "access");
        this.runs = requireNonNull(runs, "runs");
        this.statuses = requireNonNull(statuses, "statuses");
    }

    /** The maintenance worker's policy for the table and its last runs (SELECT on the table). */
    @GetMapping("/api/v1/tables/{fullName}/maintenance")
    public MaintenanceStatus maintenance(@PathVariable String fullName) {
        return statuses.status(TableName.parse(fullName));
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
