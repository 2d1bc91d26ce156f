package io.deltaplane.client.model;

import java.time.Instant;

/**
 * A Unity Catalog volume: a directory of files that are not a table, in a schema; {@code fullName}
 * is {@code catalog.schema.volume}, {@code volumeType} {@code MANAGED} (the catalog placed its
 * directory) or {@code EXTERNAL} (its creator did).
 */
public record Volume(
        String catalogName,
        String schemaName,
        String name,
        String fullName,
        String volumeType,
        String storageLocation,
        String comment,
        String owner,
        String volumeId,
        Instant createdAt) {}
