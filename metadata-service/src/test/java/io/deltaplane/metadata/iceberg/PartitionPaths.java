package io.deltaplane.metadata.iceberg;

import io.deltaplane.metadata.iceberg.DeltaTypes.Primitive;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;

/**
 * Where a generated file goes and how its add names it, as Spark writes them: partition values
 * serialized as the Delta protocol says ({@code partitionValues}: strings as they are, dates {@code
 * yyyy-MM-dd}, null as JSON null), the file in the Hive-style directory {@code column=value} (the
 * value escaped as Hive escapes it, null as {@code __HIVE_DEFAULT_PARTITION__}), and the add's path
 * that directory's relative path as a URI (percent-encoded; characters beyond ASCII as they are, as
 * Spark leaves them, or percent-encoded UTF-8).
 */
final class PartitionPaths {

    private PartitionPaths() {}

    /** A partition value of {@code type} as {@code partitionValues} holds it; null for null. */
    static String serialize(Primitive type, Object value) {
        if (value == null) {
            return null;
        }
        return switch (type.name()) {
            case "string" -> (String) value;
            case "integer", "long", "short", "byte" -> value.toString();
            case "date" -> LocalDate.ofEpochDay((Integer) value).toString();
            default -> throw new IllegalArgumentException("no partition column of type " + type);
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
