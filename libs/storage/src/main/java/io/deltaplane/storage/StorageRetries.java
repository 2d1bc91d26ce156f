package io.deltaplane.storage;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * How often and how soon the object-store SDKs retry a failed request: {@code
 * DELTAPLANE_STORAGE_RETRIES} (retries after the first try, {@code 0} for none) and {@code
 * DELTAPLANE_STORAGE_RETRY_DELAY} (the first back-off; it doubles per retry). Either left unset
 * keeps that SDK's own: Azure 3 retries from 4 s (4, 12 and 28 s: some 45 s before a write gives up
 * on a store that keeps failing), S3 2 retries from 100 ms. A short delay suits a store on the same
 * network that recovers quickly; fewer retries fail a dead store over sooner.
 *
 * @param retries retries after the first try, or empty for the SDK's default
 * @param delay the first back-off, or empty for the SDK's default
 */
record StorageRetries(Optional<Integer> retries, Optional<Duration> delay) {

    static final String RETRIES = "DELTAPLANE_STORAGE_RETRIES";
    static final String DELAY = "DELTAPLANE_STORAGE_RETRY_DELAY";

    /** Retries beyond this are a typo rather than a policy: each may wait minutes. */
    static final int MAX_RETRIES = 100;

    static StorageRetries from(Map<String, String> env) {
        return new StorageRetries(retries(env.get(RETRIES)), delay(env.get(DELAY)));
    }

    /** Neither variable set: each SDK's own policy applies unchanged. */
    boolean sdkDefaults() {
        return retries.isEmpty() && delay.isEmpty();
    }

    private static Optional<Integer> retries(String value) {
        if (value == null || value.isBlank()) {
            return Optional.empty();
        }
        int retries;
        try {
            retries = Integer.parseInt(value.strip());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(
                    RETRIES + " is not a number of retries (0.." + MAX_RETRIES + "): '" + value + "'", e);
        }
        if (retries < 0 || retries > MAX_RETRIES) {
            throw new IllegalArgumentException(RETRIES + " must be 0.." + MAX_RETRIES + ", was '" + value + "'");
        }
        return Optional.of(retries);
    }

    private static Optional<Duration> delay(String value) {
        return value == null || value.isBlank() ? Optional.empty() : Optional.of(StorageDuration.parse(DELAY, value));
    }
}
