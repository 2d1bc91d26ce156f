package io.deltaplane.storage;

import java.time.Duration;
import java.util.Locale;

/**
 * The duration forms the storage variables take: {@code 30s}, {@code 500ms}, {@code 2m} or
 * ISO-8601 ({@code PT30S}). A malformed or non-positive value is an {@link
 * IllegalArgumentException} naming the variable, so a service refuses to start with it.
 */
final class StorageDuration {

    private StorageDuration() {}

    static Duration parse(String variable, String value) {
        Duration duration = parseForm(variable, value.strip());
        if (duration.isZero() || duration.isNegative()) {
            throw new IllegalArgumentException(variable + " must be positive, was '" + value + "'");
        }
        return duration;
    }

    private static Duration parseForm(String variable, String value) {
        String lower = value.toLowerCase(Locale.ROOT);
        try {
            if (lower.startsWith("p")) {
                return Duration.parse(value);
            }
            if (lower.endsWith("ms")) {
                return Duration.ofMillis(Long.parseLong(lower.substring(0, lower.length() - 2)));
            }
            if (lower.endsWith("s")) {
                return Duration.ofSeconds(Long.parseLong(lower.substring(0, lower.length() - 1)));
            }
            if (lower.endsWith("m")) {
                return Duration.ofMinutes(Long.parseLong(lower.substring(0, lower.length() - 1)));
            }
        } catch (RuntimeException e) {
            throw notADuration(variable, value, e);
        }
        throw notADuration(variable, value, null);
    }

    private static IllegalArgumentException notADuration(String variable, String value, RuntimeException cause) {
        return new IllegalArgumentException(
                variable + " is not a duration (30s, 500ms, 2m, PT30S): '" + value + "'", cause);
    }
}
