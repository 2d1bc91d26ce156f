package io.deltaplane.lineage.common;

import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;

/** timestamptz in and out of JDBC (the Postgres driver speaks OffsetDateTime, not Instant). */
public final class Times {

    private static final DateTimeFormatter AFTER_YEAR = DateTimeFormatter.ofPattern("MM-dd HH:mm:ss.SSSSSS");

    private Times() {}

    /** Now, at the precision Postgres keeps, so what we answer equals what we read back later. */
    public static Instant now(Clock clock) {
        return clock.instant().truncatedTo(ChronoUnit.MICROS);
    }

    public static OffsetDateTime utc(Instant instant) {
        return instant == null ? null : OffsetDateTime.ofInstant(instant, ZoneOffset.UTC);
    }

    public static Instant instant(OffsetDateTime time) {
        return time == null ? null : time.toInstant();
    }

    /**
     * The instant as Postgres reads a {@code timestamptz} from text, for the text arrays set-based
     * statements cast ({@code CAST(… AS timestamptz)}): written as the JDBC driver writes an
     * OffsetDateTime parameter, so every year Postgres holds travels (at least four digits, more
     * after 9999, {@code BC} for year 0 and before, where ISO-8601's {@code +10000} or {@code -0100}
     * would not parse) and a year it does not hold is its "timestamp out of range" (SQLSTATE 22008),
     * as a parameter's would be. Null for null.
     */
    public static String text(Instant instant) {
        if (instant == null) {
            return null;
        }
        OffsetDateTime utc = OffsetDateTime.ofInstant(instant, ZoneOffset.UTC);
        int year = utc.getYear();
        String digits = Integer.toString(year > 0 ? year : 1 - year);
        StringBuilder text = new StringBuilder(40);
        text.append("0".repeat(Math.max(0, 4 - digits.length()))).append(digits).append('-');
        AFTER_YEAR.formatTo(utc, text);
        text.append("+00");
        if (year <= 0) {
            text.append(" BC");
        }
        return text.toString();
    }
}
