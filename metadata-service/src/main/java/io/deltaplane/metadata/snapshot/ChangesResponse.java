package io.deltaplane.metadata.snapshot;

import com.fasterxml.jackson.annotation.JsonRawValue;
import java.time.Instant;
import java.util.List;

/**
 * The Delta actions of each version in a range, oldest first. When the range was cut at
 * {@code max_results} versions, {@code next_from_version} says where to continue.
 */
public record ChangesResponse(long fromVersion, long toVersion, List<Change> changes, Long nextFromVersion) {

    public record Change(
            long version,
            Instant timestamp,
            String operation,
            @JsonRawValue String actions) {}
}
