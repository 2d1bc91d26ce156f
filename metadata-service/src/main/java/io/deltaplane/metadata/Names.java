package io.deltaplane.metadata;

import io.deltaplane.support.problem.ApiException;
import io.deltaplane.support.problem.ErrorCode;
import java.util.regex.Pattern;

/**
 * Catalog, schema and table names. Dots are not allowed inside a name: they separate the parts of
 * {@code catalog.schema.table}, which must parse back unambiguously.
 */
public final class Names {
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9_-]{0,254}");

    private Names() {}

    public static String check(String kind, String name) {
        if (name == null || !NAME.matcher(name).matches()) {
            throw ApiException.badRequest(
                    ErrorCode.INVALID_NAME,
                    kind + " name must match [A-Za-z0-9_][A-Za-z0-9_-]{0,254}, got: " + abbreviate(name));
        }
        return name;
    }

    /** Splits {@code catalog.schema.table} (or {@code catalog.schema} with {@code parts=2}). */
    public static String[] split(String fullName, int parts, String kind) {
        String[] split = fullName == null ? new String[0] : fullName.split("\\.", -1);
        if (split.length != parts) {
            throw ApiException.badRequest(
                    ErrorCode.INVALID_NAME,
                    kind + " full name must have " + parts + " dot-separated parts, got: " + abbreviate(fullName));
        }
        for (String part : split) {
            check(kind, part);
        }
        return split;
    }

    private static String abbreviate(String s) {
        if (s == null) {
            return "null";
        }
        return s.length() > 80 ? s.substring(0, 80) + "…" : s;
    }
}
