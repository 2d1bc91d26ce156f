package io.deltaplane.support.names;

import io.deltaplane.support.problem.ApiException;
import io.deltaplane.support.problem.ErrorCode;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * The name rules of every service, so a name valid in one is valid in all: a bad name is 400
 * {@code INVALID_NAME} naming the kind of name and the rule.
 *
 * <ul>
 *   <li>{@link #part}: a catalog, schema, table or external location name of metadata-service. No
 *       dots: they separate the parts of {@code catalog.schema.table}, which must parse back
 *       unambiguously. Case-insensitive, as in Unity Catalog: folded to lower case wherever a
 *       request names one, so {@code Sales.Orders} and {@code sales.orders} are one table, stored
 *       and answered as {@code sales.orders} (Spark's unquoted identifiers reach the catalog as the
 *       user typed them).
 *   <li>{@link #dotted}: a job or lineage table name, where dots are namespaces ({@code sales.orders});
 *       exact, as OpenLineage's names are.
 *   <li>{@link #lookup}: any name lineage may hold, including the looser ones OpenLineage producers
 *       (Spark, Airflow, dbt…) send: printable text, bounded.
 * </ul>
 */
public final class Names {
    public static final String PART_RULE = "[A-Za-z0-9_][A-Za-z0-9_-]{0,254}";
    public static final String DOTTED_RULE = "[A-Za-z0-9_][A-Za-z0-9_.-]{0,254}";

    private static final Pattern PART = Pattern.compile(PART_RULE);
    private static final Pattern DOTTED = Pattern.compile(DOTTED_RULE);
    private static final Pattern FOREIGN = Pattern.compile("[^\\p{Cntrl}]{1,1024}");

    private Names() {}

    /** One part of {@code catalog.schema.table}, folded to lower case; {@code kind} is e.g. "catalog". */
    public static String part(String kind, String name) {
        return require(PART, PART_RULE, kind, name).toLowerCase(Locale.ROOT);
    }

    /** A job or lineage table name, dots allowed. */
    public static String dotted(String kind, String name) {
        return require(DOTTED, DOTTED_RULE, kind, name);
    }

    /**
     * Splits {@code catalog.schema.table} (or {@code catalog.schema} with {@code parts=2}), each part
     * checked and folded to lower case.
     */
    public static String[] split(String fullName, int parts, String kind) {
        String[] split = fullName == null ? new String[0] : fullName.split("\\.", -1);
        if (split.length != parts) {
            throw ApiException.badRequest(
                    ErrorCode.INVALID_NAME,
                    kind + " full name must have " + parts + " dot-separated parts, got: '" + shorten(fullName) + "'.");
        }
        for (int i = 0; i < split.length; i++) {
            split[i] = part(kind, split[i]);
        }
        return split;
    }

    public static boolean isForeign(String name) {
        return name != null && FOREIGN.matcher(name).matches();
    }

    /** For look-ups: any name a job or lineage table may have, including OpenLineage's looser ones. */
    public static String lookup(String name) {
        if (!isForeign(name)) {
            throw ApiException.badRequest(ErrorCode.INVALID_NAME, "'" + shorten(name) + "' is not a valid name.");
        }
        return name;
    }

    private static String require(Pattern pattern, String rule, String kind, String name) {
        if (name == null || !pattern.matcher(name).matches()) {
            throw ApiException.badRequest(
                    ErrorCode.INVALID_NAME,
                    "A " + kind + " name must match " + rule + ", got: '" + shorten(name) + "'.");
        }
        return name;
    }

    // Names are echoed in the problem's detail: bounded, so a megabyte name does not come back whole.
    private static String shorten(String s) {
        if (s == null) {
            return "";
        }
        return s.length() > 80 ? s.substring(0, 80) + "…" : s;
    }
}
