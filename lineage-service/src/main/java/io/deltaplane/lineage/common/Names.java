package io.deltaplane.lineage.common;

import io.deltaplane.support.problem.ApiException;
import io.deltaplane.support.problem.ErrorCode;
import java.util.regex.Pattern;

/** Name rules of the API: job and table names, and the looser names OpenLineage producers use. */
public final class Names {

    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9_.-]{0,254}");
    // OpenLineage names come from Spark, Airflow, dbt…: any printable text, bounded.
    private static final Pattern FOREIGN_NAME = Pattern.compile("[^\\p{Cntrl}]{1,1024}");

    private Names() {}

    public static String job(String name) {
        return check(name, "job");
    }

    public static String table(String name) {
        return check(name, "table");
    }

    public static boolean isForeignName(String name) {
        return name != null && FOREIGN_NAME.matcher(name).matches();
    }

    /** For look-ups: any name a job or table may have, including OpenLineage's looser ones. */
    public static String lookup(String name) {
        if (!isForeignName(name)) {
            throw ApiException.badRequest(ErrorCode.INVALID_NAME, "'" + shorten(name) + "' is not a valid name.");
        }
        return name;
    }

    private static String check(String name, String what) {
        if (name == null || !NAME.matcher(name).matches()) {
            throw ApiException.badRequest(
                    ErrorCode.INVALID_NAME,
                    "A " + what + " name must match [A-Za-z0-9_][A-Za-z0-9_.-]{0,254}: '" + shorten(name) + "'.");
        }
        return name;
    }

    private static String shorten(String s) {
        if (s == null) {
            return "";
        }
        return s.length() > 80 ? s.substring(0, 80) + "…" : s;
    }
}
