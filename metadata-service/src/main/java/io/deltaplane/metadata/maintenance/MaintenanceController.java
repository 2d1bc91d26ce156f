package io.deltaplane.metadata.maintenance;

import static java.util.Objects.requireNonNull;

import io.deltaplane.support.access.AccessControl;
import io.deltaplane.support.access.Privilege;
import io.deltaplane.support.access.Securable;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/** Table maintenance on request: {@code POST /api/v1/tables/{full_name}/optimize}. */
@RestController
public class MaintenanceController {

    private final AccessControl access;
    private final Optimizer optimizer;

    public MaintenanceController(Optimizer optimizer, AccessControl access) {
        this.access = requireNonNull(access, "access");
        this.optimizer = requireNonNull(optimizer, "optimizer");
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
}
