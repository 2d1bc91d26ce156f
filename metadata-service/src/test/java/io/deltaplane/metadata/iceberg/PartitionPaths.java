package io.deltaplane.metadata.iceberg;

import io.deltaplane.metadata.iceberg.DeltaTypes.Primitive;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * Where a generated file goes and how its add names it, as Spark writes them: partition values
 * serialized as the Delta protocol says ({@code partitionValues}: strings as they are, numbers and
 * booleans as Java prints them, decimals plain, dates {@code yyyy-MM-dd}, timestamps {@code
 * yyyy-MM-dd HH:mm:ss.SSSSSS} or with the fraction's trailing zeros cut as Spark casts them, or a
 * timestamp as ISO-8601 in UTC {@code yyyy-MM-ddTHH:mm:ss.SSSSSSZ}; null as JSON null), the file in
 * Hive-style directories {@code column=value} (the value escaped as Hive escapes it, null as {@code
 * __HIVE_DEFAULT_PARTITION__}), and the add's path that directory's relative path as a URI
 * (percent-encoded; characters beyond ASCII as they are, as Spark leaves them, or percent-encoded
 * UTF-8).
 */
final class PartitionPaths {

    private PartitionPaths() {}

    /** The forms a timestamp partition value takes: {@code .SSSSSS}, Spark's cut fraction, ISO-8601 in UTC. */
    static final int TIMESTAMP_FORMS = 3;

    private static final DateTimeFormatter SECONDS = DateTimeFormatter.ofPattern("uuuu-MM-dd HH:mm:ss");

    /**
     * A partition value of {@code type} as {@code partitionValues} holds it, a timestamp in form
     * {@code form} ({@link #TIMESTAMP_FORMS}); null for null.
     */
    static String serialize(Primitive type, Object value, int form) {
        if (value == null) {
            return null;
        }
        return switch (type.name()) {
            case "string" -> (String) value;
            case "integer", "long", "short", "byte", "boolean", "float", "double" -> value.toString();
            case "decimal" -> ((BigDecimal) value).toPlainString();
            case "date" -> LocalDate.ofEpochDay((Integer) value).toString();
            case "timestamp", "timestamp_ntz" ->
                timestamp((Long) value, type.name().equals("timestamp") ? form : form % 2);
            default -> throw new IllegalArgumentException("no partition column of type " + type);
        };
    }

    private static String timestamp(long micros, int form) {
        LocalDateTime at = LocalDateTime.ofEpochSecond(
                Math.floorDiv(micros, 1_000_000L), (int) Math.floorMod(micros, 1_000_000L) * 1000, ZoneOffset.UTC);
        String fraction = String.format("%06d", Math.floorMod(micros, 1_000_000L));
        return switch (form) {
            case 0 -> at.format(SECONDS) + "." + fraction;
            case 1 -> {
                String cut = fraction.replaceAll("0+$", "");
                yield at.format(SECONDS) + (cut.isEmpty() ? "" : "." + cut);
            }
            default -> at.format(SECONDS).replace(' ', 'T') + "." + fraction + "Z";
        };
    }

    /** The directory Spark writes a partition's files in. */
    static String directory(String column, String serialized) {
        return column + "=" + (serialized == null ? "__HIVE_DEFAULT_PARTITION__" : escape(serialized));
    }

    /** Hive's escaping of a path segment (Spark's {@code ExternalCatalogUtils.escapePathName}). */
    static String escape(String value) {
        StringBuilder escaped = new StringBuilder();
        for (char c : value.toCharArray()) {
            if (c < 0x20 || c == 0x7F || "\"#%'*/:=?\\{[]^".indexOf(c) >= 0) {
                escaped.append(String.format("%%%02X", (int) c));
            } else {
                escaped.append(c);
            }
        }
        return escaped.toString();
    }

    /** A relative path as a URI path: percent-encoded where a URI needs it, or everywhere beyond ASCII. */
    static String uri(String relative, boolean encodeBeyondAscii) {
        StringBuilder uri = new StringBuilder();
        relative.codePoints().forEach(c -> {
            boolean plain = (c >= 'a' && c <= 'z')
                    || (c >= 'A' && c <= 'Z')
                    || (c >= '0' && c <= '9')
                    || "-._~!$&'()*+,;=:@/".indexOf(c) >= 0;
            if (plain || (c > 0x7F && !encodeBeyondAscii && !Character.isSpaceChar(c) && !Character.isISOControl(c))) {
                uri.appendCodePoint(c);
            } else {
                for (byte b : new String(Character.toChars(c)).getBytes(StandardCharsets.UTF_8)) {
                    uri.append(String.format("%%%02X", b & 0xFF));
                }
            }
        });
        return uri.toString();
    }
}
