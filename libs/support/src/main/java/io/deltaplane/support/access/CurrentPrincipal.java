package io.deltaplane.support.access;

import java.util.Optional;

/** Who the current request acts for: the name of the principal its credential belongs to. */
@FunctionalInterface
public interface CurrentPrincipal {

    /** The principal of the current request, or empty outside an authenticated request. */
    Optional<String> name();
}
