package io.deltaplane.metadata.views;

import io.deltaplane.metadata.names.TableName;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * A view as the catalog keeps it: its definition and dependencies, the columns its creator declared
 * ({@code columnsJson}, Unity Catalog's {@code ColumnInfo} list as sent), and its owner.
 */
public record View(
        UUID id,
        TableName name,
        ViewType type,
        String definition,
        List<ViewDependency> dependencies,
        String columnsJson,
        String comment,
        Map<String, String> properties,
        String owner,
        Instant createdAt,
        String createdBy,
        Instant updatedAt,
        String updatedBy) {

    public View {
        dependencies = List.copyOf(dependencies);
        properties = Map.copyOf(properties);
    }
}
