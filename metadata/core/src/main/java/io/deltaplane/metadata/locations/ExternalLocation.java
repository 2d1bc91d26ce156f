package io.deltaplane.metadata.locations;

import java.time.Instant;
import java.util.UUID;

/**
 * A storage prefix registered as an external location ({@code url}: normalised, under a storage
 * root), with the storage credential it names ({@code credentialName} and {@code credentialId}, or
 * nulls).
 */
public record ExternalLocation(
        UUID id,
        String name,
        String url,
        String credentialName,
        UUID credentialId,
        String comment,
        Instant createdAt,
        String createdBy,
        Instant updatedAt) {}
