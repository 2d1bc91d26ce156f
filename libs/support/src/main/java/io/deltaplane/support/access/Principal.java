package io.deltaplane.support.access;

import static java.util.Objects.requireNonNull;

import java.time.Instant;

/** A user, service principal or group, by its name (unique across all three). */
public record Principal(String name, PrincipalType type, Instant createdAt) {
    public Principal {
        requireNonNull(name, "name");
        requireNonNull(type, "type");
        requireNonNull(createdAt, "createdAt");
    }
}
