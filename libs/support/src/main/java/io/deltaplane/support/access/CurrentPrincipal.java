package io.deltaplane.support.access;

import java.util.Optional;
import java.util.Set;

/** Who the current request acts for: the name of the principal its credential belongs to. */
@FunctionalInterface
public interface CurrentPrincipal {

    /** The principal of the current request, or empty outside an authenticated request. */
    Optional<String> name();

    /**
     * Groups the request's credential itself vouches for, besides the principal's memberships: a
     * single sign-on token's groups claim. Only those that are groups here count ({@link
     * PrincipalStore#identitiesOfGroups}). None for an API key.
     */
    default Set<String> claimedGroups() {
        return Set.of();
    }
}
