package io.deltaplane.metadata.statements;

import java.util.Locale;

/** The doors a commit comes through, as {@code deltaplane.commit.sql.statements} tags them. */
public enum CommitDoor {
    /** {@code POST /api/v1/tables/{table}/commits}. */
    API,
    /** {@code POST /api/v1/transactions}. */
    TRANSACTIONS,
    /** Unity Catalog's Delta REST {@code POST /api/2.1/unity-catalog/delta/v1/catalogs/{c}/schemas/{s}/tables/{t}}. */
    UNITY,
    /** delta-spark's {@code POST /api/2.1/unity-catalog/delta/preview/commits}. */
    LEGACY;

    private static final String TABLES = "/api/v1/tables/";
    private static final String COMMITS = "/commits";
    private static final String DELTA_V1_CATALOGS = "/api/2.1/unity-catalog/delta/v1/catalogs/";

    /** The tag value. */
    public String tag() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The door a request to {@code path} (without the context path) with {@code method} is, or null. */
    public static CommitDoor of(String method, String path) {
        if (!"POST".equals(method) || path == null) {
            return null;
        }
        if (path.startsWith(TABLES)) {
            return path.endsWith(COMMITS) && path.indexOf('/', TABLES.length()) == path.length() - COMMITS.length()
                    ? API
                    : null;
        }
        if (path.equals("/api/v1/transactions")) {
            return TRANSACTIONS;
        }
        if (path.equals("/api/2.1/unity-catalog/delta/preview/commits")) {
            return LEGACY;
        }
        if (path.startsWith(DELTA_V1_CATALOGS)) {
            // catalogs/{c}/schemas/{s}/tables/{t}: the table's update (add-commit), not its /metrics
            String[] parts = path.substring(DELTA_V1_CATALOGS.length()).split("/", -1);
            return parts.length == 5
                            && parts[1].equals("schemas")
                            && parts[3].equals("tables")
                            && !parts[0].isEmpty()
                            && !parts[2].isEmpty()
                            && !parts[4].isEmpty()
                    ? UNITY
                    : null;
        }
        return null;
    }
}
