package io.deltaplane.metadata.maintenance;

import static java.util.Objects.requireNonNull;

import io.deltaplane.support.access.AccessControl;
import io.deltaplane.support.access.Privilege;
import io.deltaplane.support.access.Securable;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/** Table maintenance on request: {@code POST /api/v1/tables/{full_name}/optimize} and {@code …/vacuum}. */
@RestController
public class MaintenanceController {

    private final AccessControl access;
    private final Optimizer optimizer;
    private final Vacuum vacuum;

    public MaintenanceController(Optimizer optimizer, Vacuum vacuum, AccessControl access) {
        this.access = requireNonNull(access, "access");
        this.optimizer = requireNonNull(optimizer, "optimizer");
        this.vacuum = requireNonNull(vacuum, "vacuum");
    }

    /**
     * Compacts the table's small files into files of the target size, as one version that changes
     * no data (MODIFY on the table). 200 with what it did; no version when nothing was small.
     */
    @PostMapping("/api/v1/tables/{fullName}/optimize")
    public OptimizeResult optimize(
            @PathVariable String fullName, @RequestBody(required = false) OptimizeRequest request) {
        access.require(Securable.table(fullName), Privilege.MODIFY);
        return optimizer.optimize(fullName, request);
    }

    /**
     * Deletes the files under the table's location that no retained version needs (MODIFY on the
     * table; a retention under the minimum also needs a metastore admin). {@code dry_run} lists them.
     */
    @PostMapping("/api/v1/tables/{fullName}/vacuum")
    public VacuumResult vacuum(@PathVariable String fullName, @RequestBody(required = false) VacuumRequest request) {
        access.require(Securable.table(fullName), Privilege.MODIFY);
        return vacuum.vacuum(fullName, request);
    }
}
