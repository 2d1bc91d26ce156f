package io.deltaplane.metadata.health;

import static java.util.Objects.requireNonNull;

import io.deltaplane.support.access.AccessControl;
import io.deltaplane.support.access.Privilege;
import io.deltaplane.support.access.Securable;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;

/** {@code GET /api/v1/tables/{full_name}/health}: freshness and volume (SELECT on the table). */
@RestController
public class TableHealthController {

    private final AccessControl access;
    private final TableHealthService health;

    public TableHealthController(AccessControl access, TableHealthService health) {
        this.access = requireNonNull(access, "access");
        this.health = requireNonNull(health, "health");
    }

    /** Whether the table is fresh, by which expectation, and its daily volume. */
    @GetMapping("/api/v1/tables/{fullName}/health")
    public TableHealth health(@PathVariable String fullName) {
        access.require(Securable.table(fullName), Privilege.SELECT);
        return health.of(fullName, table -> access.allows(Securable.table(table), Privilege.SELECT));
    }
}
