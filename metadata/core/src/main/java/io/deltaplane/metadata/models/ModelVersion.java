package io.deltaplane.metadata.models;

import io.deltaplane.metadata.names.RegisteredModelName;
import java.time.Instant;
import java.util.UUID;

/** One version of a registered model: its number, where its files are and whether they are final. */
public record ModelVersion(
        UUID id,
        RegisteredModelName model,
        long version,
        String source,
        String runId,
        ModelVersionStatus status,
        String storageLocation,
        String comment,
        Instant createdAt,
        String createdBy,
        Instant updatedAt,
        String updatedBy) {}
