package io.deltaplane.metadata.models;

import io.deltaplane.metadata.names.RegisteredModelName;
import java.time.Instant;
import java.util.UUID;

/** A registered model as the catalog keeps it, with its owner (one statement per page on every door). */
public record RegisteredModel(
        UUID id,
        RegisteredModelName name,
        String storageLocation,
        String comment,
        String owner,
        Instant createdAt,
        String createdBy,
        Instant updatedAt,
        String updatedBy) {}
