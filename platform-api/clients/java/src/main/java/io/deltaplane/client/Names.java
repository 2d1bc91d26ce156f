package io.deltaplane.client;

import java.util.regex.Pattern;

/** Catalog, schema, table and job names as the API accepts them. */
final class Names {
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9_.-]{0,254}");
    private static final Pattern PART = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9_-]{0,254}");

    private Names() {}

    /** A single name part (no dots). */
    static String check(String what, String name) {
        if (name == null || !PART.matcher(name).matches()) {
            throw new IllegalArgumentException("Invalid " + what + " name '" + name + "'");
        }
        return name;
    }

    static String checkJob(String name) {
        if (name == null || !NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("Invalid job name '" + name + "'");
        }
        return name;
    }
}
