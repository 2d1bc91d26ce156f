package io.deltaplane.ingest.sink;

/**
 * How a JSON value becomes a column's value without changing it: the SQL {@link SinkPlan} runs
 * for each mapped column. A value that would change is NULL here, and so a dead letter there.
 */
final class ExactCasts {

    private ExactCasts() {}

    /**
     * The type a column is read as by {@code json_transform}: text for the types whose DuckDB
     * conversion would change a value rather than refuse it ({@link #exact}), else the column's.
     */
    static String transformType(String type) {
        return isExactNumber(type) || type.equals("BOOLEAN") ? "VARCHAR" : type;
    }

    /**
     * The column's value from its JSON text {@code text}, NULL (a dead letter) when converting would
     * change it. DuckDB's casts round 1.7 into a BIGINT as 2 and 1.239 into a DECIMAL(10,2) as 1.24,
     * and take "yes", "t", 2 or 1 as true; a value is taken only when the column holds it as sent: a
     * number for integer and decimal columns whose value the cast keeps (5.0 and 1e3 into a BIGINT,
     * 0.10 into a DECIMAL(10,2); plain notation judged by its digits, an exponent form at double
     * precision), {@code true} or {@code false} (a JSON boolean or that string) for a BOOLEAN column.
     */
    static String exact(String type, String text) {
        if (type.equals("BOOLEAN")) {
            return "CASE lower(" + text + ") WHEN 'true' THEN true WHEN 'false' THEN false END";
        }
        String cast = "TRY_CAST(" + text + " AS " + type + ")";
        if (!isExactNumber(type)) {
            return cast;
        }
        // Plain notation is judged by its digits, exactly; only an exponent form (1e3, or a double
        // DuckDB's JSON reader printed so) by comparing at double precision.
        return "CASE WHEN regexp_full_match(" + text + ", '-?[0-9]+(\\.[0-9]+)?') THEN CASE WHEN regexp_full_match("
                + text + ", '" + asWritten(type) + "') THEN " + cast + " END WHEN TRY_CAST(" + text
                + " AS DOUBLE) = CAST(" + cast + " AS DOUBLE) THEN " + cast + " END";
    }

    /** The plain numbers {@code type} holds as written: no fraction, or at most its scale's digits. */
    private static String asWritten(String type) {
        if (!type.startsWith("DECIMAL(")) {
            return "-?[0-9]+(\\.0+)?";
        }
        String scale = type.substring(type.indexOf(',') + 1, type.indexOf(')')).strip();
        return "-?[0-9]+(\\.[0-9]{0," + Integer.parseInt(scale) + "}0*)?";
    }

    private static boolean isExactNumber(String type) {
        return switch (type) {
            case "TINYINT", "SMALLINT", "INTEGER", "BIGINT", "HUGEINT" -> true;
            default -> type.startsWith("DECIMAL(");
        };
    }
}
