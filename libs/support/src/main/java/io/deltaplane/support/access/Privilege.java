package io.deltaplane.support.access;

import java.util.Locale;

/**
 * Unity Catalog's privileges, by their API names, and one of Deltaplane's own ({@link
 * #CREATE_INGEST_MAPPING}). Granted on a securable, a privilege holds there and on everything below
 * it. {@link #ALL_PRIVILEGES} stands for every privilege but {@link #MANAGE} (as in UC): managing
 * grants and dropping stay with owners and holders of {@code MANAGE}.
 */
public enum Privilege {
    USE_CATALOG,
    USE_SCHEMA,
    CREATE_CATALOG,
    CREATE_SCHEMA,
    CREATE_TABLE,
    SELECT,
    MODIFY,
    MANAGE,
    /** On the metastore: create and change ingest mappings into DuckDB / MotherDuck (not Delta tables). */
    CREATE_INGEST_MAPPING,
    /**
     * On the metastore: register storage prefixes as external locations; on a storage credential:
     * name it in an external location (UC asks for both).
     */
    CREATE_EXTERNAL_LOCATION,
    /** On the metastore: record storage credentials (cloud identities external locations name). */
    CREATE_STORAGE_CREDENTIAL,
    /** On an external location (or the metastore): register EXTERNAL tables, and import tables, under it. */
    CREATE_EXTERNAL_TABLE,
    /** On an external location (or the metastore): make a catalog's storage root under it. */
    CREATE_MANAGED_STORAGE,
    /** On a schema (or above): create volumes in it. */
    CREATE_VOLUME,
    /** On a volume (or above): read its files, and its metadata. */
    READ_VOLUME,
    /** On a volume (or above): write its files. */
    WRITE_VOLUME,
    /** On an external location (or the metastore): make EXTERNAL volumes under it. */
    CREATE_EXTERNAL_VOLUME,
    /** On a schema (or above): create functions in it. */
    CREATE_FUNCTION,
    /**
     * On a function (or above): call it (engines execute it; the catalog serves its definition). On
     * a registered model (or above): read it, its versions and their files.
     */
    EXECUTE,
    /** On a schema (or above): create registered models in it. */
    CREATE_MODEL,
    ALL_PRIVILEGES;

    /** Whether holding this privilege grants {@code wanted}. */
    public boolean covers(Privilege wanted) {
        return this == wanted || (this == ALL_PRIVILEGES && wanted != MANAGE);
    }

    /** Parses a UC privilege name ({@code SELECT}, {@code use_catalog}, {@code USE CATALOG}). */
    public static Privilege fromWire(String value) {
        String name = value == null ? "" : value.trim().toUpperCase(Locale.ROOT).replace(' ', '_');
        for (Privilege privilege : values()) {
            if (privilege.name().equals(name)) {
                return privilege;
            }
        }
        throw new IllegalArgumentException("unknown privilege '" + value + "'");
    }
}
