package io.deltaplane.metadata.unity;

import static org.assertj.core.api.Assertions.assertThat;

import io.delta.kernel.Operation;
import io.delta.kernel.Snapshot;
import io.delta.kernel.Transaction;
import io.delta.kernel.data.Row;
import io.delta.kernel.engine.Engine;
import io.delta.kernel.exceptions.ConcurrentWriteException;
import io.delta.kernel.expressions.Literal;
import io.delta.kernel.unitycatalog.UCCatalogManagedClient;
import io.delta.kernel.unitycatalog.UCTableIdentifier;
import io.delta.kernel.utils.CloseableIterable;
import io.delta.kernel.utils.CloseableIterator;
import io.delta.kernel.utils.DataFileStatus;
import io.delta.storage.commit.TableIdentifier;
import io.delta.storage.commit.uccommitcoordinator.UCDeltaModels.StagingTableInfo;
import io.delta.storage.commit.uccommitcoordinator.UCDeltaTokenBasedRestClient;
import io.deltaplane.metadata.ObjectStoresTestBase;
import io.deltaplane.metadata.deltalog.DeltaKernelEngines;
import io.deltaplane.metadata.maintenance.TableRows;
import io.deltaplane.storage.Storage;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Catalog-managed tables on object storage: Delta Kernel with Unity Catalog's client (its engine
 * doing file I/O over the S3 or Azure SDK, as the platform's own storage layer does) creates a table
 * in a catalog whose storage root is on S3Proxy or Azurite, and four writers append real Parquet
 * files through the catalog at once. Every commit lands once at contiguous versions, Kernel reads
 * every row through the catalog, the platform's snapshot lists the same files, and every version is
 * published to {@code _delta_log} on the store.
 */
class CatalogManagedOnObjectStoresTest extends ObjectStoresTestBase {

    private static final int WRITERS = 4;
    private static final int APPENDS_PER_WRITER = 2;
    private static final int ROWS_PER_FILE = 20;

    private record Table(
            String fullName,
            String id,
            String path,
            UCTableIdentifier ucName,
            UCCatalogManagedClient kernel,
            Engine engine) {

        Snapshot load() {
            return kernel.loadSnapshot(engine, id, path, ucName, Optional.empty(), Optional.empty());
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"s3", "azure"})
    void fourKernelWritersCommitRealFilesThroughTheCatalogOnObjectStorage(String where) throws Exception {
        Storage store = where.equals("s3") ? s3 : azure;
        String root = where.equals("s3") ? S3_ROOT : AZURE_ROOT;
        String catalog =
                "cm_" + java.util.UUID.randomUUID().toString().replace("-", "").substring(0, 10);
        ok(
                http.post(
                        "/api/2.1/unity-catalog/catalogs",
                        "{\"name\":\"" + catalog + "\",\"storage_root\":\"" + root + "/" + catalog + "\"}"),
                200);
        ok(http.post("/api/v1/schemas", "{\"catalog_name\":\"" + catalog + "\",\"name\":\"s\"}"), 201);
        Table table = create(catalog, "events", DeltaKernelEngines.over(store));
        assertThat(table.path()).startsWith(root + "/" + catalog + "/");

        ExecutorService pool = Executors.newFixedThreadPool(WRITERS);
        List<Future<List<Long>>> writers = new ArrayList<>();
        for (int w = 0; w < WRITERS; w++) {
            int writer = w;
            writers.add(pool.submit(() -> {
                List<Long> versions = new ArrayList<>();
                for (int i = 0; i < APPENDS_PER_WRITER; i++) {
                    long first = (long) (writer * APPENDS_PER_WRITER + i) * ROWS_PER_FILE;
                    versions.add(append(table, first));
                }
                return versions;
            }));
        }
        List<Long> versions = new ArrayList<>();
        for (Future<List<Long>> writer : writers) {
            versions.addAll(writer.get());
        }
        pool.shutdown();
        int commits = WRITERS * APPENDS_PER_WRITER;
        assertThat(versions.stream().sorted().toList())
                .as("every commit landed once, at contiguous versions")
                .isEqualTo(java.util.stream.LongStream.rangeClosed(1, commits)
                        .boxed()
                        .toList());

        Snapshot latest = table.load();
        assertThat(latest.getVersion()).isEqualTo(commits);
        List<String> rows = TableRows.readEveryColumn(latest, table.engine());
        assertThat(rows).hasSize(commits * ROWS_PER_FILE);
        assertThat(rows.stream()
                        .map(r -> Long.parseLong(r.substring(0, r.indexOf('|'))))
                        .sorted())
                .containsExactlyElementsOf(java.util.stream.LongStream.range(0, (long) commits * ROWS_PER_FILE)
                        .boxed()
                        .toList());
        assertThat(livePaths(table.fullName(), null, 100)).hasSize(commits);

        awaitPublished(table.fullName(), commits);
        List<String> published = store.list(store.resolve(table.path(), "_delta_log")).stream()
                .filter(name -> name.matches("\\d{20}\\.json"))
                .sorted()
                .toList();
        assertThat(published).hasSize(commits + 1);
        assertThat(published.get(commits)).isEqualTo(String.format("%020d.json", commits));
        Snapshot byPath = io.delta.kernel.TableManager.loadSnapshot(table.path())
                .withMaxCatalogVersion(commits) // the catalog's latest version, as Kernel asks of a reader
                .build(table.engine());
        assertThat(byPath.getVersion()).isEqualTo(commits);
        assertThat(TableRows.readEveryColumn(byPath, table.engine()))
                .as("the published log, read by path as an engine without the catalog reads it")
                .isEqualTo(rows);
    }

    /** Stages a table, and has Kernel create it there (it writes version 0 and finalizes). */
    private Table create(String catalog, String name, Engine engine) throws Exception {
        UCDeltaTokenBasedRestClient uc = UnityClients.delta("http://localhost:" + port, ADMIN_KEY);
        StagingTableInfo staged = uc.createStagingTable(new TableIdentifier(new String[] {catalog, "s"}, name));
        UCCatalogManagedClient kernel = new UCCatalogManagedClient(uc);
        UCTableIdentifier ucName = new UCTableIdentifier(catalog, "s", name);
        String id = staged.getTableId().toString();
        kernel.buildCreateTableTransaction(id, staged.getLocation(), TableRows.DATA, "deltaplane-tests", ucName)
                .build(engine)
                .commit(engine, CloseableIterable.emptyIterable());
        return new Table(catalog + ".s." + name, id, staged.getLocation(), ucName, kernel, engine);
    }

    /**
     * Writes a Parquet file of {@code ROWS_PER_FILE} rows from {@code firstId} with Kernel and
     * commits it through the catalog; reloads and retries a lost race.
     */
    private static long append(Table table, long firstId) {
        DataFileStatus file = TableRows.write(table.engine(), table.path(), firstId, ROWS_PER_FILE);
        for (int attempt = 0; ; attempt++) {
            Snapshot snapshot = table.load();
            Transaction txn = snapshot.buildUpdateTableTransaction("deltaplane-tests", Operation.WRITE)
                    .build(table.engine());
            Row state = txn.getTransactionState(table.engine());
            Map<String, Literal> noPartitions = Map.of();
            CloseableIterator<Row> actions = Transaction.generateAppendActions(
                    table.engine(),
                    state,
                    io.delta.kernel.internal.util.Utils.toCloseableIterator(
                            List.of(file).iterator()),
                    Transaction.getWriteContext(table.engine(), state, noPartitions));
            try {
                return txn.commit(table.engine(), CloseableIterable.inMemoryIterable(actions))
                        .getVersion();
            } catch (ConcurrentWriteException e) {
                if (attempt > 100) {
                    throw e;
                }
            }
        }
    }
}
