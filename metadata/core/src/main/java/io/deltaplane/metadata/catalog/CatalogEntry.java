package io.deltaplane.metadata.catalog;

import java.time.Instant;
import java.util.Map;
import java.util.UUID;

/**
 * A catalog with everything the platform keeps of it; {@code /api/v1} and Unity Catalog's API
 * each show it in their own shape.
 *
 * @param storageRoot where its managed tables live, or null for the warehouse
 * @param updatedAt when its comment or properties last changed, or null if never
 * @param owner the principal that owns it, or null if none is recorded
 */
public record CatalogEntry(
        UUID id,
        String name,
        String comment,
        Map<String, String> properties,
        String storageRoot,
        Instant createdAt,
        Instant updatedAt,
        String owner) {}
