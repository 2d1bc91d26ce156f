package io.deltaplane.metadata.iceberg;

import io.deltaplane.metadata.iceberg.DeltaTypes.Array;
import io.deltaplane.metadata.iceberg.DeltaTypes.Field;
import io.deltaplane.metadata.iceberg.DeltaTypes.MapType;
import io.deltaplane.metadata.iceberg.DeltaTypes.Primitive;
import io.deltaplane.metadata.iceberg.DeltaTypes.Struct;
import io.deltaplane.metadata.iceberg.DeltaTypes.Type;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Random values of the generated tables' columns, the edges of each type often: nulls, each type's
 * least and greatest value, NaN, infinities and negative zero, dates and timestamps before the epoch
 * and at the ends of Spark's range, empty and long strings, unicode beyond the basic plane; and
 * hostile partition values ({@code / = % +}, spaces, unicode, empty, null).
 *
 * <p>Values: long {@code Long}, integer {@code Integer}, short {@code Short}, byte {@code Byte},
 * float, double, boolean, string, binary {@code byte[]}, date {@code Integer} (days since the
 * epoch), timestamp and timestamp_ntz {@code Long} (microseconds since the epoch), decimal {@code
 * BigDecimal} of the column's scale; a struct {@code Object[]}, an array a {@code List}, a map a
 * {@code Map} (keys never null).
 */
final class RandomRows {

    static final int FIRST_DAY = (int) LocalDate.of(1, 1, 1).toEpochDay();
    static final int LAST_DAY = (int) LocalDate.of(9999, 12, 31).toEpochDay();
    static final long FIRST_MICROS = FIRST_DAY * 86_400_000_000L;
    static final long LAST_MICROS = (LAST_DAY + 1L) * 86_400_000_000L - 1;

    private static final List<String> STRINGS = List.of(
            "",
            " ",
            "a",
            "A",
            "null",
            "a|b",
            "ü",
            "日本語",
            "😀",
            "a😀",
            "\uFFFD",
            "\uFF21",
            "\u007F",
            "\uDBFF\uDFFF",
            "tab\there",
            "line\nbreak",
            "x".repeat(31),
            "x".repeat(32),
            "x".repeat(33),
            "y".repeat(40),
            "😀".repeat(20),
            "z".repeat(31) + "😀😀",
            "\uFFFD".repeat(40),
            "\uDBFF\uDFFF".repeat(20) + "a");

    /** Hostile values for a string partition column. */
    private static final List<String> PARTITION_STRINGS = List.of(
            "/", "=", "%", "+", " ", "a b", "a/b=c", "%2F", "100%", "a+b", "ü", "日本", "😀", "", "#?&", "x:y", "_z");

    private final Random random;

    RandomRows(Random random) {
        this.random = random;
    }

    /** A row of {@code fields}. */
    Object[] row(List<Field> fields) {
        Object[] row = new Object[fields.size()];
        for (int i = 0; i < row.length; i++) {
            row[i] = value(fields.get(i).type(), fields.get(i).nullable());
        }
        return row;
    }

    /** A value of {@code type}, null now and then if {@code nullable}. */
    Object value(Type type, boolean nullable) {
        if (nullable && random.nextInt(7) == 0) {
            return null;
        }
        if (type instanceof Primitive p) {
            return primitive(p);
        } else if (type instanceof Struct s) {
            Object[] values = new Object[s.fields().size()];
            for (int i = 0; i < values.length; i++) {
                values[i] = value(s.fields().get(i).type(), s.fields().get(i).nullable());
            }
            return values;
        } else if (type instanceof Array a) {
            List<Object> elements = new ArrayList<>();
            int n = random.nextInt(4);
            for (int i = 0; i < n; i++) {
                elements.add(value(a.element(), a.containsNull()));
            }
            return elements;
        }
        MapType m = (MapType) type;
        Map<Object, Object> entries = new LinkedHashMap<>();
        int n = random.nextInt(4);
        for (int i = 0; i < n; i++) {
            Object key = value(m.key(), false);
            if (key instanceof byte[]) {
                continue; // binary keys: equality by identity, no use as keys here
            }
            entries.put(key, value(m.value(), m.valueContainsNull()));
        }
        return entries;
    }

    private boolean edge() {
        return random.nextInt(3) == 0;
    }

    private Object primitive(Primitive p) {
        switch (p.name()) {
            case "long":
                return edge() ? pick(Long.MIN_VALUE, Long.MAX_VALUE, 0L, -1L) : random.nextLong() >> random.nextInt(64);
            case "integer":
                return edge()
                        ? pick(Integer.MIN_VALUE, Integer.MAX_VALUE, 0, -1)
                        : random.nextInt() >> random.nextInt(32);
            case "short":
                return edge() ? pick(Short.MIN_VALUE, Short.MAX_VALUE, (short) 0) : (short) random.nextInt();
            case "byte":
                return edge() ? pick(Byte.MIN_VALUE, Byte.MAX_VALUE, (byte) 0) : (byte) random.nextInt();
            case "float":
                return edge()
                        ? pick(
                                Float.NaN,
                                Float.POSITIVE_INFINITY,
                                Float.NEGATIVE_INFINITY,
                                -0.0f,
                                0.0f,
                                Float.MIN_VALUE,
                                Float.MAX_VALUE,
                                -Float.MAX_VALUE)
                        : (float) ((random.nextFloat() - 0.5) * Math.pow(10, random.nextInt(12) - 4));
            case "double":
                return edge()
                        ? pick(
                                Double.NaN,
                                Double.POSITIVE_INFINITY,
                                Double.NEGATIVE_INFINITY,
                                -0.0d,
                                0.0d,
                                Double.MIN_VALUE,
                                Double.MAX_VALUE,
                                -Double.MAX_VALUE)
                        : (random.nextDouble() - 0.5) * Math.pow(10, random.nextInt(30) - 10);
            case "boolean":
                return random.nextBoolean();
            case "string":
                return edge() || random.nextBoolean() ? pick(STRINGS.toArray()) : randomString();
            case "binary":
                byte[] bytes = new byte[edge() ? pick(0, 1, 40) : random.nextInt(6)];
                random.nextBytes(bytes);
                return bytes;
            case "date":
                return edge()
                        ? pick(FIRST_DAY, LAST_DAY, -1, 0, (int)
                                LocalDate.of(1582, 10, 10).toEpochDay())
                        : FIRST_DAY + random.nextInt(LAST_DAY - FIRST_DAY + 1);
            case "timestamp":
            case "timestamp_ntz":
                return edge()
                        ? pick(FIRST_MICROS, LAST_MICROS, -1L, 0L, 1L, -86_400_000_000L * 365 * 400 + 123_456L)
                        : FIRST_MICROS + Math.floorMod(random.nextLong(), LAST_MICROS - FIRST_MICROS);
            case "decimal":
                return decimal(p.precision(), p.scale());
            default:
                throw new IllegalArgumentException(p.name());
        }
    }

    private BigDecimal decimal(int precision, int scale) {
        BigInteger limit = BigInteger.TEN.pow(precision).subtract(BigInteger.ONE);
        BigInteger unscaled;
        if (edge()) {
            unscaled = pick(limit, limit.negate(), BigInteger.ZERO, BigInteger.ONE, BigInteger.ONE.negate());
        } else {
            int digits = 1 + random.nextInt(precision);
            unscaled = new BigInteger(digits * 4, random).mod(BigInteger.TEN.pow(digits));
            if (random.nextBoolean()) {
                unscaled = unscaled.negate();
            }
        }
        return new BigDecimal(unscaled, scale);
    }

    private String randomString() {
        StringBuilder s = new StringBuilder();
        int n = random.nextInt(8);
        for (int i = 0; i < n; i++) {
            int kind = random.nextInt(10);
            if (kind < 7) {
                s.append((char) ('a' + random.nextInt(26)));
            } else if (kind < 9) {
                s.appendCodePoint(0xA0 + random.nextInt(0xD7FF - 0xA0));
            } else {
                s.appendCodePoint(0x10000 + random.nextInt(0x10FFFF - 0x10000));
            }
        }
        return s.toString();
    }

    /**
     * Up to {@code count} distinct values of a partition column of {@code type}: hostile strings, the
     * ends of the integers and of Spark's dates, any value of the other types (their edges often);
     * null among them now and then.
     */
    List<Object> partitionValues(Primitive type, int count) {
        List<Object> values = new ArrayList<>();
        for (int attempt = 0; values.size() < count && attempt < 100; attempt++) {
            Object value;
            if (random.nextInt(5) == 0) {
                value = null;
            } else {
                value = switch (type.name()) {
                    case "string" -> pick(PARTITION_STRINGS.toArray());
                    case "integer" ->
                        random.nextBoolean()
                                ? pick(Integer.MIN_VALUE, Integer.MAX_VALUE, 0, -1)
                                : random.nextInt(1000) - 500;
                    case "date" ->
                        random.nextBoolean()
                                ? pick(FIRST_DAY, LAST_DAY, -1, 0)
                                : FIRST_DAY + random.nextInt(LAST_DAY - FIRST_DAY + 1);
                    default -> primitive(type);
                };
            }
            if (!values.contains(value)) {
                values.add(value);
            }
        }
        return values;
    }

    @SafeVarargs
    private <T> T pick(T... values) {
        return values[random.nextInt(values.length)];
    }
}
