package io.deltaplane.metadata.health;

import static java.util.Objects.requireNonNull;

import io.deltaplane.support.access.AccessControl;
import io.deltaplane.support.access.Privilege;
import io.deltaplane.support.access.Securable;
import org.springframework.stereotype.Component;

/** Whether a webhook's owner may read a table: an incident goes only where its table's grants allow. */
@Component
class OwnerAccess {

    private final AccessControl access;

    OwnerAccess(AccessControl access) {
        this.access = requireNonNull(access, "access");
    }

    boolean maySelect(String principal, String table) {
        return access.allows(principal, Securable.table(table), Privilege.SELECT);
    }
}
