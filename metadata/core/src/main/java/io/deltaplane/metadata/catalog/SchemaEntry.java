package io.deltaplane.metadata.catalog;

import java.time.Instant;
import java.util.Map;
import java.util.UUID;

/**
 * A schema with everything the platform keeps of it; {@code /api/v1} and Unity Catalog's API each
 * show it in their own shape.
 *
 * @param updatedAt when its comment or properties last changed, or null if never
 */
public record SchemaEntry(
        UUID id,
        String catalog,
        String name,
        String comment,
        Map<String, String> properties,
        Instant createdAt,
        Instant updatedAt,
        String owner) {

    public String fullName() {
        return catalog + "." + name;
    }
}
