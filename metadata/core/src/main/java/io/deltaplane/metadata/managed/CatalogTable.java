package io.deltaplane.metadata.managed;

import static java.util.Objects.requireNonNull;

import io.deltaplane.metadata.managed.CatalogManagedTables.StagedTable;
import io.deltaplane.metadata.table.TableRow;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * A table as a catalog door reads it once per request and carries it through: its row, its
 * registration in {@code unity_tables} (empty for a table that was never catalog-managed), and,
 * when it was read with them ({@link CatalogTableReads}), what an engine is answered besides the
 * row. Every step of a commit asks this instead of reading any of it again.
 */
public record CatalogTable(TableRow table, Optional<StagedTable> registration, Optional<Current> current) {

    /**
     * The table's current metaData and protocol (JSON text) and its schema's and catalog's
     * properties (JSON text, in that order; empty when its schema is gone), as read with the row.
     */
    public record Current(String metadata, String protocol, List<String> inheritedProperties) {
        public Current {
            requireNonNull(metadata, "metadata");
            requireNonNull(protocol, "protocol");
            inheritedProperties = List.copyOf(inheritedProperties);
        }
    }

    public CatalogTable {
        requireNonNull(table, "table");
        requireNonNull(registration, "registration");
        requireNonNull(current, "current");
    }

    public CatalogTable(TableRow table, Optional<StagedTable> registration) {
        this(table, registration, Optional.empty());
    }

    /** The UC id: the staged id for tables engines created, else the table's own id. */
    public UUID unityId() {
        return registration.map(StagedTable::unityId).orElse(table.id());
    }

    /**
     * The same table as a later read or write left its row (the registration does not change);
     * {@code keepsCurrent}: whether its metaData and protocol are still those read (a commit that
     * carried neither).
     */
    public CatalogTable with(TableRow now, boolean keepsCurrent) {
        return new CatalogTable(now, registration, keepsCurrent ? current : Optional.empty());
    }
}
