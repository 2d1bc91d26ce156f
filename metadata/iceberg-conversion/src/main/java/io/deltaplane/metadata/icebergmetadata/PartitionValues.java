package io.deltaplane.metadata.icebergmetadata;

import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.iceberg.types.Type;
import org.apache.iceberg.types.Types;

/**
 * Delta partition values (PROTOCOL.md, "Partition Value Serialization") in Iceberg's internal
 * form, for every form the protocol and its writers use: an empty value is null for every type but
 * string and binary (as Delta Kernel reads it); timestamps as {@code yyyy-MM-dd HH:mm:ss} with a
 * fraction of 1 to 9 digits or none, an optional {@code T} for the space, and an optional zone
 * ({@code Z}, {@code +HH}, {@code +HH:mm}, {@code +HHmm}; none means UTC, as the protocol says);
 * floats and doubles with {@code NaN} and {@code ±Infinity}. A value that does not parse is an
 * {@link IllegalArgumentException} naming it: the table cannot be converted, never a guess.
 */
final class PartitionValues {

    private static final Pattern TIMESTAMP =
            Pattern.compile("(-?\\d{4,}-\\d{2}-\\d{2})[ T](\\d{2}):(\\d{2})(?::(\\d{2})(?:\\.(\\d{1,9}))?)?"
                    + "\\s*(Z|[+-]\\d{2}(?::?\\d{2})?)?");

    private PartitionValues() {}

    /** {@code value} (never null: a null partition value is null) as an Iceberg partition value of {@code type}. */
    static Object of(Type type, String value) {
        if (value.isEmpty() && type.typeId() != Type.TypeID.STRING && type.typeId() != Type.TypeID.BINARY) {
            return null;
        }
        try {
            return switch (type.typeId()) {
                case STRING -> value;
                case INTEGER -> Integer.valueOf(value.trim());
                case LONG -> Long.valueOf(value.trim());
                case BOOLEAN -> bool(value.trim());
                case FLOAT -> Float.valueOf(floating(value.trim()));
                case DOUBLE -> Double.valueOf(floating(value.trim()));
                case DATE -> (int) LocalDate.parse(value.trim()).toEpochDay();
                case DECIMAL -> new BigDecimal(value.trim()).setScale(((Types.DecimalType) type).scale());
                case TIMESTAMP -> timestampMicros(value.trim());
                case BINARY -> ByteBuffer.wrap(value.getBytes(StandardCharsets.ISO_8859_1));
                default -> throw new IcebergUnsupported("a partition column of type " + type);
            };
        } catch (RuntimeException e) {
            if (e instanceof IcebergUnsupported) {
                throw e;
            }
            throw new IllegalArgumentException(
                    "the partition value '" + value + "' is not a " + type + " as Delta serializes one", e);
        }
    }

    private static Boolean bool(String value) {
        if (value.equalsIgnoreCase("true")) {
            return true;
        }
        if (value.equalsIgnoreCase("false")) {
            return false;
        }
        throw new IllegalArgumentException("not a boolean: " + value);
    }

    /** Java reads {@code NaN} and {@code Infinity}; Delta writers also write {@code inf} and {@code -inf}. */
    private static String floating(String value) {
        return switch (value.toLowerCase(java.util.Locale.ROOT)) {
            case "inf", "+inf", "infinity", "+infinity" -> "Infinity";
            case "-inf", "-infinity" -> "-Infinity";
            case "nan" -> "NaN";
            default -> value;
        };
    }

    /**
     * Microseconds since the epoch: of the instant for a value with a zone, of the value read as
     * UTC for one without (a {@code timestamp_ntz} is stored as its wall-clock time read as UTC). A
     * fraction finer than microseconds that is not zero cannot be held exactly: refused.
     */
    static long timestampMicros(String value) {
        Matcher m = TIMESTAMP.matcher(value);
        if (!m.matches()) {
            throw new IllegalArgumentException("not a timestamp: " + value);
        }
        LocalDate date = LocalDate.parse(m.group(1));
        int seconds = m.group(4) == null ? 0 : Integer.parseInt(m.group(4));
        LocalTime time = LocalTime.of(Integer.parseInt(m.group(2)), Integer.parseInt(m.group(3)), seconds);
        long nanos = 0;
        if (m.group(5) != null) {
            String fraction = (m.group(5) + "00000000").substring(0, 9);
            nanos = Long.parseLong(fraction);
            if (nanos % 1000 != 0) {
                throw new IllegalArgumentException("a timestamp finer than microseconds: " + value);
            }
        }
        ZoneOffset zone = m.group(6) == null ? ZoneOffset.UTC : offset(m.group(6));
        Instant instant = LocalDateTime.of(date, time).toInstant(zone).plusNanos(nanos);
        // not ChronoUnit.MICROS.between: it counts in nanoseconds, which overflow outside 1677-2262
        return Math.addExact(Math.multiplyExact(instant.getEpochSecond(), 1_000_000L), instant.getNano() / 1_000);
    }

    private static ZoneOffset offset(String zone) {
        if (zone.equals("Z")) {
            return ZoneOffset.UTC;
        }
        String digits = zone.replace(":", "");
        int hours = Integer.parseInt(digits.substring(1, 3));
        int minutes = digits.length() > 3 ? Integer.parseInt(digits.substring(3, 5)) : 0;
        int sign = digits.charAt(0) == '-' ? -1 : 1;
        return ZoneOffset.ofHoursMinutes(sign * hours, sign * minutes);
    }
}
