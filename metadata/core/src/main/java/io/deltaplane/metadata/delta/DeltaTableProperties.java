package io.deltaplane.metadata.delta;

import static io.deltaplane.metadata.MetadataErrors.invalidAction;

import java.util.regex.Pattern;
import tools.jackson.databind.JsonNode;

/** Delta table properties (a metaData action's {@code configuration}) the platform reads and checks. */
public final class DeltaTableProperties {

    /**
     * The table property that sets how many versions apart a table's checkpoints are (the Delta
     * protocol's {@code delta.checkpointInterval}): a positive 32-bit integer, as Delta's own writers
     * require; unset means the platform's configured interval.
     */
    public static final String CHECKPOINT_INTERVAL = "delta.checkpointInterval";

    /**
     * The table property that sets the size of the files OPTIMIZE writes, and under which a file is
     * small: bytes, or a size with a unit ({@code 134217728}, {@code 128mb}, {@code 1g}).
     */
    public static final String TARGET_FILE_SIZE = "delta.targetFileSize";

    /** The smallest target file size taken: smaller "files" are not worth a rewrite. */
    public static final long MIN_TARGET_FILE_SIZE = 1024;

    private static final Pattern DIGITS = Pattern.compile("\\+?[0-9]+");
    private static final Pattern SIZE = Pattern.compile("([0-9]{1,15})\\s*([kmgt]?)(i?b)?", Pattern.CASE_INSENSITIVE);

    /**
     * The checkpoint interval a metaData action's configuration sets ({@link #CHECKPOINT_INTERVAL}),
     * or null when it sets none (the configured interval applies). 400 INVALID_ACTION naming the
     * property when its value is not an integer from 1 to 2147483647 (what Delta's own writers accept:
     * an {@code int} above zero; anything larger is not an interval any engine could use).
     */
    public static Integer checkpointInterval(JsonNode configuration) {
        JsonNode node = configuration == null ? null : configuration.get(CHECKPOINT_INTERVAL);
        if (node == null || node.isNull()) {
            return null;
        }
        String value = node.isString() ? node.stringValue() : null;
        long interval = 0;
        if (value != null && DIGITS.matcher(value).matches()) {
            try {
                interval = Long.parseLong(value);
            } catch (NumberFormatException e) {
                interval = 0; // more digits than a long: refused below
            }
        }
        if (interval < 1 || interval > Integer.MAX_VALUE) {
            String shown = node.toString().length() <= 40
                    ? node.toString()
                    : node.toString().substring(0, 40) + "…";
            throw invalidAction(CHECKPOINT_INTERVAL + "=" + shown + " is not valid: it must be a whole number of"
                    + " versions between checkpoints, from 1 to " + Integer.MAX_VALUE + " (or leave it unset for the"
                    + " platform's interval)");
        }
        return (int) interval;
    }

    /**
     * The target file size a metaData action's configuration sets ({@link #TARGET_FILE_SIZE}) in
     * bytes, or null when it sets none. 400 INVALID_ACTION naming the property when it is not a size
     * of at least {@link #MIN_TARGET_FILE_SIZE} bytes (units k, m, g, t are powers of 1024, as
     * Delta reads them).
     */
    public static Long targetFileSize(JsonNode configuration) {
        JsonNode node = configuration == null ? null : configuration.get(TARGET_FILE_SIZE);
        if (node == null || node.isNull()) {
            return null;
        }
        var matcher = node.isString() ? SIZE.matcher(node.stringValue().strip()) : null;
        long bytes = -1;
        if (matcher != null && matcher.matches()) {
            int shift = switch (matcher.group(2).toLowerCase(java.util.Locale.ROOT)) {
                case "k" -> 10;
                case "m" -> 20;
                case "g" -> 30;
                case "t" -> 40;
                default -> 0;
            };
            long number = Long.parseLong(matcher.group(1));
            bytes = number > (Long.MAX_VALUE >> shift) ? -1 : number << shift;
        }
        if (bytes < MIN_TARGET_FILE_SIZE) {
            String shown = node.toString().length() <= 40
                    ? node.toString()
                    : node.toString().substring(0, 40) + "…";
            throw invalidAction(TARGET_FILE_SIZE + "=" + shown + " is not valid: it must be a size in bytes ("
                    + "134217728) or with a unit (128mb, 1g), at least " + MIN_TARGET_FILE_SIZE + " bytes");
        }
        return bytes;
    }

    /**
     * How long a removed file stays for readers of older versions (Delta's {@code
     * delta.deletedFileRetentionDuration}, default one week): VACUUM deletes nothing younger, and
     * checkpoints keep tombstones as long.
     */
    public static final String DELETED_FILE_RETENTION = "delta.deletedFileRetentionDuration";

    /** Delta's default {@link #DELETED_FILE_RETENTION}. */
    public static final java.time.Duration DEFAULT_DELETED_FILE_RETENTION = java.time.Duration.ofDays(7);

    private static final Pattern INTERVAL = Pattern.compile(
            "\\s*(?:interval\\s+)?([0-9]{1,12})\\s*(nanoseconds?|microseconds?|milliseconds?|seconds?|minutes?|hours?"
                    + "|days?|weeks?)\\s*",
            Pattern.CASE_INSENSITIVE);

    /**
     * The {@link #DELETED_FILE_RETENTION} a metaData action's configuration sets, Delta's way
     * ({@code interval 7 days}, {@code interval 36 hours}), or the default when it sets none or one
     * that is not an interval of one unit (Delta's own writers only write such).
     */
    public static java.time.Duration deletedFileRetention(JsonNode configuration) {
        return interval(configuration, DELETED_FILE_RETENTION, DEFAULT_DELETED_FILE_RETENTION);
    }

    /**
     * How long {@code _delta_log} keeps a version's files (Delta's {@code delta.logRetentionDuration},
     * default 30 days): log cleanup removes older versions before a checkpoint older than it.
     */
    public static final String LOG_RETENTION = "delta.logRetentionDuration";

    /** Delta's default {@link #LOG_RETENTION}. */
    public static final java.time.Duration DEFAULT_LOG_RETENTION = java.time.Duration.ofDays(30);

    /** Whether log cleanup runs for the table (Delta's {@code delta.enableExpiredLogCleanup}, default true). */
    public static final String EXPIRED_LOG_CLEANUP = "delta.enableExpiredLogCleanup";

    public static java.time.Duration logRetention(JsonNode configuration) {
        return interval(configuration, LOG_RETENTION, DEFAULT_LOG_RETENTION);
    }

    public static boolean expiredLogCleanup(JsonNode configuration) {
        JsonNode node = configuration == null ? null : configuration.get(EXPIRED_LOG_CLEANUP);
        return node == null || !node.isString() || !node.stringValue().strip().equalsIgnoreCase("false");
    }

    /** The longest retention taken: a century (longer would overflow the timestamps it is subtracted from). */
    public static final java.time.Duration MAX_RETENTION = java.time.Duration.ofDays(36_525);

    /**
     * {@link #DELETED_FILE_RETENTION} and {@link #LOG_RETENTION}, when a metaData's configuration sets
     * them, are Delta intervals of one unit ({@code interval 7 days}) of at most {@link
     * #MAX_RETENTION}; else 400 INVALID_ACTION naming the property (a value no reader could use
     * would otherwise stop the table's checkpoints and log cleanup).
     */
    public static void checkRetentions(JsonNode configuration) {
        for (String key : java.util.List.of(DELETED_FILE_RETENTION, LOG_RETENTION)) {
            JsonNode node = configuration == null ? null : configuration.get(key);
            if (node == null || node.isNull()) {
                continue;
            }
            java.util.Optional<java.time.Duration> retention = node.isString()
                    ? interval(node.stringValue()).filter(d -> d.compareTo(MAX_RETENTION) <= 0)
                    : java.util.Optional.empty();
            if (retention.isEmpty()) {
                String shown = node.toString().length() <= 40
                        ? node.toString()
                        : node.toString().substring(0, 40) + "…";
                throw invalidAction(key + "=" + shown + " is not valid: it is an interval of one unit such as"
                        + " 'interval 7 days' (nanoseconds to weeks), at most " + MAX_RETENTION.toDays() + " days");
            }
        }
    }

    private static java.time.Duration interval(JsonNode configuration, String key, java.time.Duration otherwise) {
        JsonNode node = configuration == null ? null : configuration.get(key);
        // a stored value from before commits were checked: over a century is not a retention anyone reads
        return node != null && node.isString()
                ? interval(node.stringValue())
                        .filter(d -> d.compareTo(MAX_RETENTION) <= 0)
                        .orElse(otherwise)
                : otherwise;
    }

    /** An interval the way Delta's duration properties write it ({@code interval 7 days}, {@code 36 hours}). */
    public static java.util.Optional<java.time.Duration> interval(String text) {
        var matcher = text == null ? null : INTERVAL.matcher(text);
        if (matcher == null || !matcher.matches()) {
            return java.util.Optional.empty();
        }
        long n = Long.parseLong(matcher.group(1));
        String unit = matcher.group(2).toLowerCase(java.util.Locale.ROOT);
        return java.util.Optional.of(unit(n, unit.endsWith("s") ? unit.substring(0, unit.length() - 1) : unit));
    }

    private static java.time.Duration unit(long n, String unit) {
        return switch (unit) {
            case "nanosecond" -> java.time.Duration.ofNanos(n);
            case "microsecond" -> java.time.Duration.ofNanos(n * 1000);
            case "millisecond" -> java.time.Duration.ofMillis(n);
            case "second" -> java.time.Duration.ofSeconds(n);
            case "minute" -> java.time.Duration.ofMinutes(n);
            case "hour" -> java.time.Duration.ofHours(n);
            case "day" -> java.time.Duration.ofDays(n);
            default -> java.time.Duration.ofDays(7 * n);
        };
    }

    private DeltaTableProperties() {}
}
