package io.deltaplane.metadata.table;

import io.deltaplane.metadata.MetadataErrors;
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

    /**
     * This table, when {@code uri} (a location as a client names it; null: not named) is its
     * location, compared normalised; else 404 TABLE_NOT_FOUND for {@code asked} at {@code uri}.
     */
    public TableRow requireLocation(String uri, String asked) {
        if (uri != null && !TableLocations.normalise(uri).equals(location)) {
            throw MetadataErrors.tableNotFound(asked + " at " + uri);
        }
        return this;
    }
}
