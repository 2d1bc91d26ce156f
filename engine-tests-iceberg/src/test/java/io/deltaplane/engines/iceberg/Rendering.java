package io.deltaplane.engines.iceberg;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Map;
import java.util.StringJoiner;

/**
 * One text for a value, whichever engine read it, so that rows compare as sorted strings: decimals
 * plain at their scale, dates as ISO days, timestamps as microseconds since the epoch (Kernel's
 * {@code long}, Spark's {@link Instant}), null as {@code null}.
 */
final class Rendering {

    private Rendering() {}

    /** A row: {@code name=value} for each column in its reader's schema order, joined by {@code |}. */
    static String row(Map<String, Object> values) {
        StringJoiner joined = new StringJoiner("|");
        values.forEach((name, value) -> joined.add(name + "=" + value(value)));
        return joined.toString();
    }

    static String value(Object value) {
        if (value == null) {
            return "null";
        } else if (value instanceof BigDecimal decimal) {
            return decimal.toPlainString();
        } else if (value instanceof Instant instant) {
            return Long.toString(
                    Math.addExact(Math.multiplyExact(instant.getEpochSecond(), 1_000_000L), instant.getNano() / 1_000));
        } else if (value instanceof java.sql.Timestamp || value instanceof java.sql.Date) {
            throw new IllegalArgumentException("Spark's java.time API is expected (java8API): " + value);
        } else if (value instanceof LocalDate
                || value instanceof Long
                || value instanceof Integer
                || value instanceof String
                || value instanceof Boolean
                || value instanceof Double) {
            return value.toString();
        }
        throw new IllegalArgumentException("no rendering for " + value.getClass() + ": " + value);
    }
}
