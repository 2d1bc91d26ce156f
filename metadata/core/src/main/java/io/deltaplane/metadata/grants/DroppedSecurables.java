package io.deltaplane.metadata.grants;

import static java.util.Objects.requireNonNull;

import io.deltaplane.metadata.catalog.NamespaceDropped;
import io.deltaplane.metadata.table.TableDropped;
import io.deltaplane.support.access.AccessControl;
import io.deltaplane.support.access.GrantStore;
import io.deltaplane.support.access.Securable;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * A dropped catalog, schema or table takes its grants and owner with it, in the transaction that
 * dropped it where there is one: a securable created later under the same name starts with none.
 */
@Component
class DroppedSecurables {

    private final GrantStore grants;
    private final AccessControl access;

    DroppedSecurables(GrantStore grants, AccessControl access) {
        this.grants = requireNonNull(grants, "grants");
        this.access = requireNonNull(access, "access");
    }

    @EventListener
    public void onTableDropped(TableDropped event) {
        forget(Securable.table(event.fullName()));
    }

    @EventListener
    public void onNamespaceDropped(NamespaceDropped event) {
        forget(event.securable());
    }

    private void forget(Securable securable) {
        grants.forget(securable);
        access.invalidate();
    }
}
