package io.deltaplane.metadata.storagecredentials;

import java.time.Instant;
import java.util.UUID;

/** A storage credential as the catalog keeps it, with its owner (one statement per page). */
public record StorageCredential(
        UUID id,
        String name,
        String purpose,
        StorageIdentity identity,
        String comment,
        String owner,
        Instant createdAt,
        String createdBy,
        Instant updatedAt,
        String updatedBy) {}
