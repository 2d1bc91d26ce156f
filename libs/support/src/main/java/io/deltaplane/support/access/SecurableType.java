package io.deltaplane.support.access;

import java.util.Locale;

/** The levels of the namespace a privilege is granted on, with UC's lower-case API names. */
public enum SecurableType {
    METASTORE(0),
    CATALOG(1),
    SCHEMA(2),
    TABLE(3);

    private final int depth;

    SecurableType(int depth) {
        this.depth = depth;
    }

    /** How many name parts a securable of this type has ({@code c.s.t} has 3; the metastore none). */
    public int depth() {
        return depth;
    }

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static SecurableType fromWire(String value) {
        for (SecurableType type : values()) {
            if (type.wireName().equalsIgnoreCase(value)) {
                return type;
            }
        }
        throw new IllegalArgumentException(
                "unknown securable type '" + value + "' (metastore, catalog, schema, table)");
    }

    static SecurableType ofDepth(int depth) {
        return values()[depth];
    }
}
