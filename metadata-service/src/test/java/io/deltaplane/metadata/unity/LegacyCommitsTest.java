package io.deltaplane.metadata.unity;

import static org.assertj.core.api.Assertions.assertThat;

import io.delta.kernel.Operation;
import io.delta.kernel.Snapshot;
import io.delta.kernel.Transaction;
import io.delta.kernel.data.Row;
import io.delta.kernel.types.LongType;
import io.delta.kernel.types.StructType;
import io.delta.kernel.unitycatalog.UCCatalogManagedClient;
import io.delta.kernel.unitycatalog.UCTableIdentifier;
import io.delta.kernel.utils.CloseableIterable;
import io.delta.kernel.utils.CloseableIterator;
import io.delta.kernel.utils.DataFileStatus;
import io.delta.storage.commit.uccommitcoordinator.UCTokenBasedRestClient;
import io.deltaplane.metadata.MetadataTestBase;
import io.deltaplane.metadata.publish.KernelReader;
import io.unitycatalog.client.ApiClient;
import io.unitycatalog.client.api.TablesApi;
import io.unitycatalog.client.auth.TokenProvider;
import io.unitycatalog.client.model.CreateStagingTable;
import io.unitycatalog.client.model.StagingTableInfo;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The commit coordination API of delta-spark 4.0–4.2, through Delta's own legacy client
 * (delta-storage's UCTokenBasedRestClient, unchanged) under Kernel's catalog-managed client: a
 * table staged with Unity Catalog's client, created by Kernel (finalized with {@code POST
 * /tables}), committed through {@code POST /delta/preview/commits} and loaded through its
 * {@code GET} with a JSON body.
 */
class LegacyCommitsTest extends MetadataTestBase {

    @Test
    void kernelCommitsThroughTheLegacyApi() throws Exception {
        String catalog = newCatalogWithSchemaS();
        ApiClient uc = new ApiClient();
        uc.updateBaseUri("http://localhost:" + port + "/api/2.1/unity-catalog");
        uc.setRequestInterceptor(request -> request.header("Authorization", "Bearer " + ADMIN_KEY));
        StagingTableInfo staged = new TablesApi(uc)
                .createStagingTable(new CreateStagingTable()
                        .name("legacy")
                        .catalogName(catalog)
                        .schemaName("s"));

        UCTokenBasedRestClient legacy = new UCTokenBasedRestClient(
                "http://localhost:" + port,
                TokenProvider.create(Map.of("type", "static", "token", ADMIN_KEY)),
                Map.of());
        UCCatalogManagedClient kernel = new UCCatalogManagedClient(legacy);
        UCTableIdentifier name = new UCTableIdentifier(catalog, "s", "legacy");
        String id = staged.getId();
        String path = staged.getStagingLocation();
        kernel.buildCreateTableTransaction(id, path, new StructType().add("id", LongType.LONG), "tests", name)
                .build(KernelReader.ENGINE)
                .commit(KernelReader.ENGINE, CloseableIterable.emptyIterable());
        assertThat(version(catalog + ".s.legacy")).isZero();

        for (String file : List.of("a.parquet", "b.parquet")) {
            Snapshot snapshot =
                    kernel.loadSnapshot(KernelReader.ENGINE, id, path, name, Optional.empty(), Optional.empty());
            Transaction txn = snapshot.buildUpdateTableTransaction("tests", Operation.WRITE)
                    .build(KernelReader.ENGINE);
            Row state = txn.getTransactionState(KernelReader.ENGINE);
            CloseableIterator<Row> actions = Transaction.generateAppendActions(
                    KernelReader.ENGINE,
                    state,
                    io.delta.kernel.internal.util.Utils.toCloseableIterator(
                            List.of(new DataFileStatus(path + "/" + file, 1024, 1_700_000_000_000L, Optional.empty()))
                                    .iterator()),
                    Transaction.getWriteContext(KernelReader.ENGINE, state, Map.of()));
            txn.commit(KernelReader.ENGINE, CloseableIterable.inMemoryIterable(actions));
        }

        Snapshot latest = kernel.loadSnapshot(KernelReader.ENGINE, id, path, name, Optional.empty(), Optional.empty());
        assertThat(latest.getVersion()).isEqualTo(2);
        assertThat(KernelReader.livePaths(latest, path)).containsExactlyInAnyOrder("a.parquet", "b.parquet");
        assertThat(livePaths(catalog + ".s.legacy", null, 100)).containsExactlyInAnyOrder("a.parquet", "b.parquet");
        // the GET with a JSON body, as the client sends it
        assertThat(legacy.getCommits(
                                id,
                                new java.net.URI(path),
                                new io.delta.storage.commit.TableIdentifier(new String[] {catalog, "s"}, "legacy"),
                                Optional.of(0L),
                                Optional.empty())
                        .getLatestTableVersion())
                .isEqualTo(2);
    }
}
