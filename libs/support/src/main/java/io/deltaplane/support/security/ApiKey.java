package io.deltaplane.support.security;

import static java.util.Objects.requireNonNull;

import java.time.Instant;

/**
 * A stored API key: never the key itself, only its hash and a short prefix so an operator can tell
 * keys apart. It acts for its {@code principal}, with that principal's grants; {@code scope} is the
 * most the key may do at all (read-only, read-write, admin), whatever the principal holds.
 */
public record ApiKey(
        String id, String name, String prefix, Scope scope, String principal, Instant createdAt, Instant revokedAt)
        implements Credential {

    public ApiKey {
        requireNonNull(id, "id");
        requireNonNull(name, "name");
        requireNonNull(prefix, "prefix");
        requireNonNull(scope, "scope");
        requireNonNull(principal, "principal");
        requireNonNull(createdAt, "createdAt");
    }

    /**
     * What the key may do now: its scope, except that admin counts only while its principal is a
     * metastore admin (otherwise it is read-write, and grants decide the rest).
     */
    public Scope effectiveScope(boolean principalIsMetastoreAdmin) {
        return scope == Scope.ADMIN && !principalIsMetastoreAdmin ? Scope.WRITE : scope;
    }

    @Override
    public String authentication() {
        return "api_key:" + id;
    }

    @Override
    public String callerId() {
        return id;
    }

    public boolean active() {
        return revokedAt == null;
    }
}
