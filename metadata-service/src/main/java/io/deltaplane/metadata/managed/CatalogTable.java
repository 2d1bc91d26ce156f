package io.deltaplane.metadata.managed;

import static java.util.Objects.requireNonNull;

import io.deltaplane.metadata.managed.CatalogManagedTables.StagedTable;
import io.deltaplane.metadata.table.TableRow;
import java.util.Optional;
import java.util.UUID;

/**
 * A table as a catalog door reads it once per request and carries it through: its row, and its
 * registration in {@code unity_tables} (empty for a table that was never catalog-managed). Every
 * step of a commit asks this instead of reading either again.
 */
public record CatalogTable(TableRow table, Optional<StagedTable> registration) {

    public CatalogTable {
        requireNonNull(table, "table");
        requireNonNull(registration, "registration");
    }

    /** The UC id: the staged id for tables engines created, else the table's own id. */
    public UUID unityId() {
        return registration.map(StagedTable::unityId).orElse(table.id());
    }

    /** The same table as a later read or write left its row (the registration does not change). */
    public CatalogTable with(TableRow now) {
        return new CatalogTable(now, registration);
    }
}
