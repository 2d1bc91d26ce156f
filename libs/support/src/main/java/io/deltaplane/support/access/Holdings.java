package io.deltaplane.support.access;

import java.util.Map;
import java.util.Set;

/**
 * What a caller holds on a securable and on each securable it is inside: the privileges granted at
 * each level and the levels it owns. A privilege or ownership holds at its level and below.
 */
public record Holdings(Securable securable, Map<SecurableType, Set<Privilege>> granted, Set<SecurableType> owned) {

    public Holdings {
        granted = Map.copyOf(granted);
        owned = Set.copyOf(owned);
    }

    /** Whether the caller holds {@code privilege} at {@code level} (this securable's or an ancestor's). */
    public boolean holds(SecurableType level, Privilege privilege) {
        for (var entry : granted.entrySet()) {
            if (entry.getKey().depth() <= level.depth()
                    && entry.getValue().stream().anyMatch(p -> p.covers(privilege))) {
                return true;
            }
        }
        return owns(level);
    }

    /** Whether the caller owns the securable at {@code level} or one it is inside. */
    public boolean owns(SecurableType level) {
        return owned.stream().anyMatch(o -> o.depth() <= level.depth());
    }

    /** Whether the caller is a metastore admin (owns the metastore, through its groups). */
    public boolean metastoreAdmin() {
        return owned.contains(SecurableType.METASTORE);
    }
}
