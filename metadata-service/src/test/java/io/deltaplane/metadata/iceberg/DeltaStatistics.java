package io.deltaplane.metadata.iceberg;

import io.deltaplane.metadata.iceberg.DeltaTypes.Field;
import io.deltaplane.metadata.iceberg.DeltaTypes.Primitive;
import io.deltaplane.metadata.iceberg.DeltaTypes.Struct;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import tools.jackson.core.StreamWriteFeature;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * A file's Delta statistics ({@code add.stats}) as Delta's writers compute them, true bounds of the
 * file's rows: {@code numRecords}; {@code nullCount} of every column and struct field (a field of a
 * null struct counts as null); {@code minValues} and {@code maxValues} of the numbers, dates,
 * timestamps and strings outside lists and maps, keyed by physical names and nested by struct.
 * Strings are ordered as UTF-8 bytes and cut to Delta's 32-character prefix (the maximum with
 * Delta's tie-breaker, or none), timestamps to milliseconds (as Delta writes them: the maximum is
 * then below the file's greatest value by less than a millisecond, which readers allow for) with a
 * {@code Z} or another offset; floats without bounds when NaN or an infinity is present; binary
 * without bounds; booleans with bounds only in the variant that writes them.
 */
final class DeltaStatistics {

    /**
     * How a writer writes them: booleans' bounds or not, the offset timestamps are written in, how
     * many leaf columns get statistics (Delta's {@code delta.dataSkippingNumIndexedCols}, 32 by
     * default), or ({@code any} false) none at all: the add has no {@code stats}.
     */
    record Writer(boolean booleanBounds, ZoneOffset zone, int indexedColumns, boolean any) {
        @Override
        public String toString() {
            return !any
                    ? "no stats"
                    : "stats(booleans " + (booleanBounds ? "bounded" : "unbounded") + ", timestamps at " + zone
                            + (indexedColumns == INDEXED_COLUMNS ? "" : ", first " + indexedColumns + " columns")
                            + ")";
        }
    }

    /** Delta's default number of leaf columns with statistics. */
    static final int INDEXED_COLUMNS = 32;

    static final int PREFIX = 32;
    private static final String MAX_CHARACTER = "\uDBFF\uDFFF";
    private static final char ASCII_MAX = '\u007F';
    private static final DateTimeFormatter WITH_OFFSET = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSXXX");
    private static final DateTimeFormatter LOCAL = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS");

    private static final JsonMapper JSON = JsonMapper.builder()
            .enable(StreamWriteFeature.WRITE_BIGDECIMAL_AS_PLAIN)
            .build();

    /** Strings as UTF-8 bytes order them: by code point. */
    static final Comparator<String> UTF8 = (a, b) -> {
        int i = 0;
        int j = 0;
        while (i < a.length() && j < b.length()) {
            int x = a.codePointAt(i);
            int y = b.codePointAt(j);
            if (x != y) {
                return Integer.compare(x, y);
            }
            i += Character.charCount(x);
            j += Character.charCount(y);
        }
        return Integer.compare(a.length() - i, b.length() - j);
    };

    private DeltaStatistics() {}

    /** The statistics of a file holding {@code rows} of {@code fields} (physical names), as JSON. */
    static String of(List<Field> fields, List<Object[]> rows, Writer writer) {
        ObjectNode stats = JSON.createObjectNode();
        stats.put("numRecords", rows.size());
        ObjectNode min = stats.putObject("minValues");
        ObjectNode max = stats.putObject("maxValues");
        ObjectNode nulls = stats.putObject("nullCount");
        collect(fields, rows, min, max, nulls, writer, new int[] {writer.indexedColumns()});
        return JSON.writeValueAsString(stats);
    }

    /**
     * {@code rows}: each the values of {@code fields}, or null where the struct holding them is null;
     * {@code left}: how many more leaf columns get statistics.
     */
    private static void collect(
            List<Field> fields,
            List<Object[]> rows,
            ObjectNode min,
            ObjectNode max,
            ObjectNode nulls,
            Writer writer,
            int[] left) {
        for (int f = 0; f < fields.size() && left[0] > 0; f++) {
            Field field = fields.get(f);
            List<Object> values = new ArrayList<>();
            for (Object[] row : rows) {
                values.add(row == null ? null : row[f]);
            }
            if (field.type() instanceof Struct struct) {
                List<Object[]> nested = new ArrayList<>();
                values.forEach(v -> nested.add((Object[]) v));
                collect(
                        struct.fields(),
                        nested,
                        min.putObject(field.physical()),
                        max.putObject(field.physical()),
                        nulls.putObject(field.physical()),
                        writer,
                        left);
                continue;
            }
            left[0]--;
            nulls.put(field.physical(), values.stream().filter(v -> v == null).count());
            if (field.type() instanceof Primitive p) {
                bounds(
                        field.physical(),
                        p,
                        values.stream().filter(v -> v != null).toList(),
                        min,
                        max,
                        writer);
            }
        }
    }

    private static void bounds(
            String key, Primitive type, List<Object> values, ObjectNode min, ObjectNode max, Writer writer) {
        if (values.isEmpty()) {
            return;
        }
        switch (type.name()) {
            case "long", "integer", "short", "byte" -> {
                List<Long> longs = values.stream()
                        .map(v -> ((Number) v).longValue())
                        .sorted()
                        .toList();
                min.put(key, longs.get(0));
                max.put(key, longs.get(longs.size() - 1));
            }
            case "float", "double" -> {
                List<Double> doubles =
                        values.stream().map(v -> ((Number) v).doubleValue()).toList();
                if (doubles.stream().anyMatch(d -> d.isNaN() || d.isInfinite())) {
                    return; // no bound rather than one readers would misorder
                }
                List<Object> sorted = new ArrayList<>(values);
                sorted.sort(Comparator.comparingDouble(v -> ((Number) v).doubleValue()));
                Object least = sorted.get(0);
                Object greatest = sorted.get(sorted.size() - 1);
                if (type.name().equals("float")) {
                    min.put(key, (Float) least);
                    max.put(key, (Float) greatest);
                } else {
                    min.put(key, (Double) least);
                    max.put(key, (Double) greatest);
                }
            }
            case "boolean" -> {
                if (writer.booleanBounds()) {
                    min.put(key, !values.contains(Boolean.FALSE) && values.contains(Boolean.TRUE));
                    max.put(key, values.contains(Boolean.TRUE));
                }
            }
            case "decimal" -> {
                List<BigDecimal> decimals =
                        values.stream().map(v -> (BigDecimal) v).sorted().toList();
                min.put(key, decimals.get(0));
                max.put(key, decimals.get(decimals.size() - 1));
            }
            case "date" -> {
                List<Integer> days =
                        values.stream().map(v -> (Integer) v).sorted().toList();
                min.put(key, LocalDate.ofEpochDay(days.get(0)).toString());
                max.put(key, LocalDate.ofEpochDay(days.get(days.size() - 1)).toString());
            }
            case "timestamp", "timestamp_ntz" -> {
                List<Long> micros = values.stream().map(v -> (Long) v).sorted().toList();
                boolean ntz = type.name().equals("timestamp_ntz");
                min.put(key, timestamp(micros.get(0), ntz, writer.zone()));
                max.put(key, timestamp(micros.get(micros.size() - 1), ntz, writer.zone()));
            }
            case "string" -> {
                List<String> strings =
                        values.stream().map(v -> (String) v).sorted(UTF8).toList();
                min.put(key, truncatedMin(strings.get(0)));
                String greatest = truncatedMax(strings.get(strings.size() - 1));
                if (greatest != null) {
                    max.put(key, greatest);
                }
            }
            default -> {
                // binary: Delta keeps no bounds
            }
        }
    }

    /** Cut to the millisecond (toward the past), at the writer's offset; timestamp_ntz without one. */
    static String timestamp(long micros, boolean ntz, ZoneOffset zone) {
        long millis = Math.floorDiv(micros, 1000L);
        Instant at = Instant.ofEpochMilli(millis);
        if (ntz) {
            return at.atOffset(ZoneOffset.UTC).toLocalDateTime().format(LOCAL);
        }
        return at.atOffset(zone).format(WITH_OFFSET);
    }

    /** Delta's minimum: the first 32 UTF-16 characters, a surrogate pair kept whole. */
    static String truncatedMin(String value) {
        if (value.length() <= PREFIX) {
            return value;
        }
        if (Character.isHighSurrogate(value.charAt(PREFIX - 1)) && Character.isLowSurrogate(value.charAt(PREFIX))) {
            return value.substring(0, PREFIX + 1);
        }
        return value.substring(0, PREFIX);
    }

    /**
     * Delta's maximum: the prefix and a tie-breaker greater than the character it replaces in UTF-8
     * order ({@code U+007F} after a smaller ASCII character, else {@code U+10FFFF}); none when no
     * prefix of up to 64 characters allows one.
     */
    static String truncatedMax(String value) {
        if (value.length() <= PREFIX) {
            return value;
        }
        int length = truncatedMin(value).length();
        while (length <= 2 * PREFIX) {
            if (length >= value.length()) {
                return value;
            } else if (length + 1 < value.length() && value.startsWith(MAX_CHARACTER, length)) {
                length += 2;
            } else if (value.charAt(length) < ASCII_MAX) {
                return value.substring(0, length) + ASCII_MAX;
            } else {
                return value.substring(0, length) + MAX_CHARACTER;
            }
        }
        return null;
    }
}
