package io.deltaplane.metadata.iceberg;

import static org.assertj.core.api.Assertions.assertThat;

import io.delta.kernel.Operation;
import io.delta.kernel.Snapshot;
import io.delta.kernel.Transaction;
import io.delta.kernel.data.Row;
import io.delta.kernel.expressions.Literal;
import io.delta.kernel.unitycatalog.UCCatalogManagedClient;
import io.delta.kernel.unitycatalog.UCTableIdentifier;
import io.delta.kernel.utils.CloseableIterable;
import io.delta.kernel.utils.CloseableIterator;
import io.delta.kernel.utils.DataFileStatus;
import io.delta.storage.commit.TableIdentifier;
import io.delta.storage.commit.uccommitcoordinator.UCDeltaModels.StagingTableInfo;
import io.delta.storage.commit.uccommitcoordinator.UCDeltaTokenBasedRestClient;
import io.deltaplane.metadata.MetadataTestBase;
import io.deltaplane.metadata.maintenance.TableRows;
import io.deltaplane.metadata.publish.KernelReader;
import io.deltaplane.metadata.unity.UnityClients;
import io.deltaplane.testing.IcebergReader;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.iceberg.Table;
import org.apache.iceberg.rest.RESTCatalog;
import org.junit.jupiter.api.Test;

/**
 * A catalog-managed table Delta Kernel creates and commits to through the catalog (Kernel's
 * catalog-managed client over Delta's UC client, unchanged) is an Iceberg table too: Iceberg's
 * client reads each version's rows as Kernel loads them through the catalog, including a file Kernel
 * committed without statistics.
 */
class IcebergCatalogManagedTest extends MetadataTestBase {

    @Test
    void icebergReadsWhatKernelCommittedThroughTheCatalogAtEveryVersion() throws Exception {
        String catalog = newCatalogWithSchemaS();
        UCDeltaTokenBasedRestClient uc = UnityClients.delta("http://localhost:" + port, ADMIN_KEY);
        StagingTableInfo staged = uc.createStagingTable(new TableIdentifier(new String[] {catalog, "s"}, "events"));
        UCCatalogManagedClient kernel = new UCCatalogManagedClient(uc);
        UCTableIdentifier name = new UCTableIdentifier(catalog, "s", "events");
        String id = staged.getTableId().toString();
        String path = staged.getLocation();
        kernel.buildCreateTableTransaction(id, path, TableRows.DATA, "deltaplane-tests", name)
                .build(KernelReader.ENGINE)
                .commit(KernelReader.ENGINE, CloseableIterable.emptyIterable());

        List<List<String>> kernelRows = new ArrayList<>();
        kernelRows.add(TableRows.readEveryColumn(load(kernel, id, path, name), KernelReader.ENGINE));
        for (int i = 0; i < 3; i++) {
            DataFileStatus written = TableRows.write(KernelReader.ENGINE, path, i * 100L, 10 + i);
            // the last one without its statistics, as Kernel commits a file it was given none for
            DataFileStatus file = i < 2
                    ? written
                    : new DataFileStatus(
                            written.getPath(), written.getSize(), written.getModificationTime(), Optional.empty());
            Snapshot snapshot = load(kernel, id, path, name);
            Transaction txn = snapshot.buildUpdateTableTransaction("deltaplane-tests", Operation.WRITE)
                    .build(KernelReader.ENGINE);
            Row state = txn.getTransactionState(KernelReader.ENGINE);
            Map<String, Literal> noPartitions = Map.of();
            CloseableIterator<Row> actions = Transaction.generateAppendActions(
                    KernelReader.ENGINE,
                    state,
                    io.delta.kernel.internal.util.Utils.toCloseableIterator(
                            List.of(file).iterator()),
                    Transaction.getWriteContext(KernelReader.ENGINE, state, noPartitions));
            assertThat(txn.commit(KernelReader.ENGINE, CloseableIterable.inMemoryIterable(actions))
                            .getVersion())
                    .isEqualTo(i + 1);
            kernelRows.add(TableRows.readEveryColumn(load(kernel, id, path, name), KernelReader.ENGINE));
        }

        try (RESTCatalog iceberg = IcebergReader.catalog(port, catalog, ADMIN_KEY)) {
            Table table = iceberg.loadTable(org.apache.iceberg.catalog.TableIdentifier.of("s", "events"));
            Map<Long, Long> snapshots = IcebergReader.snapshotsByVersion(table);
            assertThat(snapshots.keySet()).containsExactlyInAnyOrder(0L, 1L, 2L, 3L);
            for (long v = 0; v <= 3; v++) {
                assertThat(IcebergReader.rows(table, snapshots.get(v), "id", "amount"))
                        .as("version %d", v)
                        .isEqualTo(kernelRows.get((int) v));
            }
            assertThat(IcebergReader.rows(table, snapshots.get(3L), "id", "amount"))
                    .hasSize(10 + 11 + 12);
        }
    }

    private static Snapshot load(UCCatalogManagedClient kernel, String id, String path, UCTableIdentifier name) {
        return kernel.loadSnapshot(KernelReader.ENGINE, id, path, name, Optional.empty(), Optional.empty());
    }
}
