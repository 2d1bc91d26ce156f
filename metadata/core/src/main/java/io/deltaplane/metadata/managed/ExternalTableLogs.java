package io.deltaplane.metadata.managed;

import static java.util.Objects.requireNonNull;

import io.deltaplane.metadata.publish.EngineLogs;
import io.deltaplane.metadata.publish.Reconciler;
import io.deltaplane.metadata.table.StorageRoots;
import io.deltaplane.metadata.table.TableRepository;
import io.deltaplane.metadata.table.TableRow;
import java.util.UUID;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Component;

/**
 * EXTERNAL tables follow their log: a table whose location its creator named (or that was
 * imported) and that is not catalog-managed takes in the versions engines write to its {@code
 * _delta_log} — at the periodic reconcile, and whenever an engine loads it through the catalog
 * ({@link #follow}). Catalog-managed tables, and tables at the platform's own locations, keep
 * refusing filesystem-only commits.
 */
@Component
public class ExternalTableLogs implements EngineLogs {

    private final TableRepository tables;
    private final CatalogManagedTables managed;
    private final StorageRoots roots;
    private final ObjectProvider<Reconciler> reconciler;

    public ExternalTableLogs(
            TableRepository tables,
            CatalogManagedTables managed,
            StorageRoots roots,
            ObjectProvider<Reconciler> reconciler) {
        this.tables = requireNonNull(tables, "tables");
        this.managed = requireNonNull(managed, "managed");
        this.roots = requireNonNull(roots, "roots");
        this.reconciler = requireNonNull(reconciler, "reconciler");
    }

    @Override
    public boolean followsItsLog(UUID tableId) {
        return tables.findById(tableId).map(this::external).orElse(false);
    }

    @Override
    public void recordAsWritten(UUID tableId, long version, String fileName, byte[] content, long timestamp) {
        managed.recordCommit(
                tableId, new CatalogCommit(version, timestamp, fileName, content.length, timestamp), content);
    }

    /**
     * Takes in what engines committed to an EXTERNAL table's log since the catalog last looked (one
     * listing of its log), unless a publisher or reconcile holds the table right now; nothing for
     * other tables. True when it looked (the table may have moved on).
     */
    public boolean follow(TableRow table) {
        Reconciler available = reconciler.getIfAvailable();
        if (available == null || !external(table)) {
            return false;
        }
        available.reconcile(table.id(), false, false);
        return true;
    }

    /** {@link #follow(TableRow)}, where the caller read the table's registration already. */
    public boolean follow(CatalogTable table) {
        Reconciler available = reconciler.getIfAvailable();
        if (available == null || table.registration().isPresent() || roots.isManaged(table.table())) {
            return false;
        }
        available.reconcile(table.table().id(), false, false);
        return true;
    }

    private boolean external(TableRow table) {
        // the location first: a table at the platform's own location is not external, read nothing
        return !roots.isManaged(table) && managed.byTable(table.id()).isEmpty();
    }
}
