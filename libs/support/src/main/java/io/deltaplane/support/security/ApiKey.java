package io.deltaplane.support.security;

import static java.util.Objects.requireNonNull;

import java.time.Instant;

/**
 * A stored API key: never the key itself, only its hash and a short prefix so an operator can tell
 * keys apart.
 */
public record ApiKey(String id, String name, String prefix, Scope scope, Instant createdAt, Instant revokedAt) {

    public ApiKey {
        requireNonNull(id, "id");
        requireNonNull(name, "name");
        requireNonNull(prefix, "prefix");
        requireNonNull(scope, "scope");
        requireNonNull(createdAt, "createdAt");
    }

    public boolean active() {
        return revokedAt == null;
    }
}
