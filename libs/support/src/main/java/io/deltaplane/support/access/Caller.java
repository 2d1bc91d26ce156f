package io.deltaplane.support.access;

import static java.util.Objects.requireNonNull;

import java.util.Set;

/** A principal acting, with the identities its privileges come from (itself and its groups). */
public record Caller(String principal, Set<String> identities) {
    public Caller {
        requireNonNull(principal, "principal");
        identities = Set.copyOf(identities);
    }
}
