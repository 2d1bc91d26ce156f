package io.deltaplane.storage;

import java.time.Duration;
import java.util.Map;

/**
 * {@code DELTAPLANE_STORAGE_TIMEOUT}: how long one request to an object store may go without a byte
 * moving (no answer yet, or a stalled upload or download) before the SDK gives up on that attempt
 * and retries. Without it a stalled store held a request for the SDKs' own defaults: 30 s per
 * attempt on S3, and 60 s per try on Azure, four tries with 4, 12 and 28 s between them (nearly five minutes for one
 * write). A duration as {@code 30s}, {@code 500ms}, {@code 2m} or ISO-8601 ({@code PT30S}).
 */
final class StorageTimeout {

    static final String VARIABLE = "DELTAPLANE_STORAGE_TIMEOUT";

    /** S3's own socket timeout; on Azure it halves the SDK's 60 s so a stall fails over in time. */
    static final Duration DEFAULT = Duration.ofSeconds(30);

    private StorageTimeout() {}

    static Duration from(Map<String, String> env) {
        String value = env.get(VARIABLE);
        return value == null || value.isBlank() ? DEFAULT : StorageDuration.parse(VARIABLE, value);
    }
}
