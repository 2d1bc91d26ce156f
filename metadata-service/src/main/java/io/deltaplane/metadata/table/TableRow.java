package io.deltaplane.metadata.table;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * A row of {@code tables}: the catalog entry and the head of its log. {@code managed}: whether the
 * platform chose the location (null for a table made before that was recorded; see {@link
 * StorageRoots#isManaged(TableRow)}). {@code partitionKeys}: the keys of its files' partitionValues
 * (the partition columns' physical names under column mapping, else the partition columns).
 */
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
        Instant updatedAt,
        Boolean managed,
        List<String> partitionKeys) {

    public String fullName() {
        return catalog + "." + schema + "." + name;
    }
}
