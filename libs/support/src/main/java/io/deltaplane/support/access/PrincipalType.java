package io.deltaplane.support.access;

import java.util.Locale;

/** Who can hold privileges: people, workloads, and groups of either. */
public enum PrincipalType {
    USER,
    SERVICE_PRINCIPAL,
    GROUP;

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static PrincipalType fromWire(String value) {
        for (PrincipalType type : values()) {
            if (type.wireName().equals(value)) {
                return type;
            }
        }
        throw new IllegalArgumentException(
                "unknown principal type '" + value + "' (expected user, service_principal or group)");
    }
}
