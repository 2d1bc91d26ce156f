package io.deltaplane.support.access;

import java.util.Locale;

/**
 * What a privilege is granted on, with UC's lower-case API names: the levels of the namespace (a
 * schema holds tables, volumes and functions alike), and external locations (storage prefixes) and
 * storage credentials, directly under the metastore and outside the namespace.
 */
public enum SecurableType {
    METASTORE(0),
    CATALOG(1),
    SCHEMA(2),
    TABLE(3),
    /** A storage prefix under which its grantees may register external tables or catalog roots. */
    EXTERNAL_LOCATION(1),
    /** A directory of files that are not a table, in a schema (UC's volumes). */
    VOLUME(3),
    /** A SQL or Python function's definition, in a schema (served, not executed). */
    FUNCTION(3),
    /** An ML model's registry entry and its versions' directories, in a schema (UC's registered models). */
    REGISTERED_MODEL(3),
    /**
     * A storage credential (UC's {@code credential}): a cloud identity external locations name, on
     * which CREATE_EXTERNAL_LOCATION lets its grantees name it.
     */
    CREDENTIAL(1);

    private final int depth;

    SecurableType(int depth) {
        this.depth = depth;
    }

    /** How many name parts a securable of this type has ({@code c.s.t} has 3; the metastore none). */
    public int depth() {
        return depth;
    }

    /** Whether it is a level of the catalog namespace (reached with USE_CATALOG / USE_SCHEMA). */
    public boolean inNamespace() {
        return this != EXTERNAL_LOCATION && this != CREDENTIAL;
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
        throw new IllegalArgumentException("unknown securable type '" + value
                + "' (metastore, catalog, schema, table, volume, function, registered_model, external_location,"
                + " credential)");
    }

    /** The namespace level of that depth (metastore, catalog, schema, table: the first four, in order). */
    static SecurableType ofDepth(int depth) {
        return values()[depth];
    }
}
