package io.deltaplane.docs;

import static org.assertj.core.api.Assertions.assertThat;

import io.delta.kernel.Operation;
import io.delta.kernel.Snapshot;
import io.delta.kernel.Transaction;
import io.delta.kernel.data.Row;
import io.delta.kernel.defaults.engine.DefaultEngine;
import io.delta.kernel.engine.Engine;
import io.delta.kernel.types.LongType;
import io.delta.kernel.types.StructType;
import io.delta.kernel.unitycatalog.UCCatalogManagedClient;
import io.delta.kernel.unitycatalog.UCTableIdentifier;
import io.delta.kernel.utils.CloseableIterable;
import io.delta.kernel.utils.CloseableIterator;
import io.delta.kernel.utils.DataFileStatus;
import io.delta.storage.commit.TableIdentifier;
import io.delta.storage.commit.uccommitcoordinator.UCDeltaModels.StagingTableInfo;
import io.delta.storage.commit.uccommitcoordinator.UCDeltaTokenBasedRestClient;
import io.delta.storage.commit.uccommitcoordinator.UCTokenBasedRestClient;
import io.unitycatalog.client.ApiClient;
import io.unitycatalog.client.api.CatalogsApi;
import io.unitycatalog.client.api.SchemasApi;
import io.unitycatalog.client.api.TablesApi;
import io.unitycatalog.client.auth.TokenProvider;
import io.unitycatalog.client.model.CatalogInfo;
import io.unitycatalog.client.model.CreateCatalog;
import io.unitycatalog.client.model.CreateSchema;
import io.unitycatalog.client.model.CreateStagingTable;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.apache.hadoop.conf.Configuration;

/**
 * The engines' own clients against the platform as {@code ./platform up} started it, through the
 * gateway: Unity Catalog's Java client makes a catalog and schema; Delta Kernel creates
 * catalog-managed tables and commits to them over Delta's UC Delta REST client and over
 * delta-spark 4.0–4.2's legacy client (whose GET carries a JSON body, through the gateway too).
 */
final class EngineScenarios {

    private EngineScenarios() {}

    static void run(String gateway, String key) throws Exception {
        ApiClient uc = new ApiClient();
        uc.updateBaseUri(gateway + "/api/2.1/unity-catalog");
        uc.setRequestInterceptor(request -> request.header("Authorization", "Bearer " + key));
        String catalog =
                "engines_" + UUID.randomUUID().toString().replace("-", "").substring(0, 8);
        new CatalogsApi(uc).createCatalog(new CreateCatalog().name(catalog).comment("engines' scenario"));
        new SchemasApi(uc).createSchema(new CreateSchema().catalogName(catalog).name("raw"));
        assertThat(new CatalogsApi(uc).listCatalogs("", Integer.MAX_VALUE).getCatalogs())
                .extracting(CatalogInfo::getName)
                .contains(catalog);

        Configuration conf = new Configuration();
        conf.set("fs.file.impl", "org.apache.hadoop.fs.RawLocalFileSystem");
        Engine engine = DefaultEngine.create(conf);

        // Delta's UC Delta REST client (delta-spark >= 4.3, Kernel): staging, create, commits, load
        UCDeltaTokenBasedRestClient delta = new UCDeltaTokenBasedRestClient(
                Map.of("uri", gateway, "auth.type", "static", "auth.token", key, "credentialVending.enabled", "false"),
                null);
        StagingTableInfo staged =
                delta.createStagingTable(new TableIdentifier(new String[] {catalog, "raw"}, "events"));
        commitThree(
                new UCCatalogManagedClient(delta),
                engine,
                staged.getTableId().toString(),
                staged.getLocation(),
                new UCTableIdentifier(catalog, "raw", "events"));

        // delta-spark 4.0-4.2's client: UC's staging-tables, POST /tables, /delta/preview/commits
        var legacyStaged = new TablesApi(uc)
                .createStagingTable(new CreateStagingTable()
                        .name("legacy")
                        .catalogName(catalog)
                        .schemaName("raw"));
        UCTokenBasedRestClient legacy = new UCTokenBasedRestClient(
                gateway, TokenProvider.create(Map.of("type", "static", "token", key)), Map.of());
        commitThree(
                new UCCatalogManagedClient(legacy),
                engine,
                legacyStaged.getId(),
                legacyStaged.getStagingLocation(),
                new UCTableIdentifier(catalog, "raw", "legacy"));
    }

    /** Creates the table with Kernel, commits three versions through the catalog, loads version 3. */
    private static void commitThree(
            UCCatalogManagedClient kernel, Engine engine, String id, String path, UCTableIdentifier name) {
        kernel.buildCreateTableTransaction(id, path, new StructType().add("id", LongType.LONG), "docs-tests", name)
                .build(engine)
                .commit(engine, CloseableIterable.emptyIterable());
        for (int v = 1; v <= 3; v++) {
            Snapshot snapshot = kernel.loadSnapshot(engine, id, path, name, Optional.empty(), Optional.empty());
            assertThat(snapshot.getVersion()).isEqualTo(v - 1);
            Transaction txn = snapshot.buildUpdateTableTransaction("docs-tests", Operation.WRITE)
                    .build(engine);
            Row state = txn.getTransactionState(engine);
            CloseableIterator<Row> actions = Transaction.generateAppendActions(
                    engine,
                    state,
                    io.delta.kernel.internal.util.Utils.toCloseableIterator(List.of(new DataFileStatus(
                                    path + "/part-" + v + ".parquet", 1024, 1_700_000_000_000L, Optional.empty()))
                            .iterator()),
                    Transaction.getWriteContext(engine, state, Map.of()));
            assertThat(txn.commit(engine, CloseableIterable.inMemoryIterable(actions))
                            .getVersion())
                    .isEqualTo(v);
        }
        assertThat(kernel.loadSnapshot(engine, id, path, name, Optional.empty(), Optional.empty())
                        .getVersion())
                .isEqualTo(3);
    }
}
