package io.deltaplane.metadata.table;

import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * A table as the catalog knows it now, with everything the platform keeps of it: its row, whether
 * it is MANAGED (the platform chose its location, its files are the table's) or EXTERNAL, its
 * current metaData's {@code schemaString} (a Delta StructType, as JSON) and {@code configuration},
 * its owner (null: none recorded), how far its log is published (null: the publisher has no state
 * for it yet) and the id Unity Catalog knows it by (the id handed out when a catalog-managed table
 * was staged, else its own). Read in one statement ({@link TableEntries}); {@code /api/v1}, Unity
 * Catalog's and Iceberg's doors each show it in their own shape.
 */
public record TableEntry(
        TableRow row,
        Type type,
        String schemaString,
        Map<String, String> configuration,
        String owner,
        PublishStatus publish,
        UUID unityId) {

    /** MANAGED: the platform chose the location; EXTERNAL: its creator named it. */
    public enum Type {
        MANAGED,
        EXTERNAL
    }

    public TableEntry {
        configuration = configuration == null ? Map.of() : java.util.Collections.unmodifiableMap(configuration);
    }

    public UUID id() {
        return row.id();
    }

    public String catalog() {
        return row.catalog();
    }

    public String schema() {
        return row.schema();
    }

    public String name() {
        return row.name();
    }

    public String fullName() {
        return row.fullName();
    }

    public List<String> partitionColumns() {
        return row.partitionColumns();
    }
}
