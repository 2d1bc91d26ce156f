package io.deltaplane.support.security;

import java.util.Locale;

/** What an API key may do. Scopes nest: {@code admin} covers {@code write}, which covers {@code read}. */
public enum Scope {
    READ,
    WRITE,
    ADMIN;

    public boolean covers(Scope required) {
        return ordinal() >= required.ordinal();
    }

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Parses {@code read|write|admin}; anything else is an {@link IllegalArgumentException}. */
    public static Scope fromWire(String value) {
        for (Scope scope : values()) {
            if (scope.wireName().equals(value)) {
                return scope;
            }
        }
        throw new IllegalArgumentException("unknown scope '" + value + "' (expected read, write or admin)");
    }
}
