package io.deltaplane.metadata.table;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** A row of {@code tables}: the catalog entry and the head of its log. */
public record TableRow(
        UUID id,
        String catalog,
        String schema,
        String name,
        String location,
        long currentVersion,
        Instant lastCommittedAt,
        List<String> partitionColumns,
        String comment,
        Instant createdAt,
        Instant updatedAt) {

    public String fullName() {
        return catalog + "." + schema + "." + name;
    }
}
