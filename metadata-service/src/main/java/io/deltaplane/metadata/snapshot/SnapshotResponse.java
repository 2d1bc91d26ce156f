package io.deltaplane.metadata.snapshot;

import com.fasterxml.jackson.annotation.JsonRawValue;
import java.time.Instant;
import java.util.UUID;

/**
 * A table's state at one version. {@code protocol} and {@code metadata} are the Delta actions'
 * objects; {@code app_versions} maps each txn appId to its latest version; {@code domain_metadata}
 * lists the live domainMetadata actions.
 */
public record SnapshotResponse(
        UUID tableId,
        String fullName,
        String location,
        long version,
        Instant timestamp,
        @JsonRawValue String protocol,
        @JsonRawValue String metadata,
        long numFiles,
        long sizeBytes,
        @JsonRawValue String appVersions,
        @JsonRawValue String domainMetadata) {}
