package io.deltaplane.metadata.unity;

import static org.assertj.core.api.Assertions.assertThat;

import io.delta.kernel.Operation;
import io.delta.kernel.Snapshot;
import io.delta.kernel.TableManager;
import io.delta.kernel.Transaction;
import io.delta.kernel.data.Row;
import io.delta.kernel.utils.CloseableIterable;
import io.delta.kernel.utils.CloseableIterator;
import io.delta.kernel.utils.DataFileStatus;
import io.deltaplane.metadata.MetadataTestBase;
import io.deltaplane.metadata.publish.KernelReader;
import io.deltaplane.storage.StoragePaths;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * An EXTERNAL table's {@code _delta_log} is the table: what an engine (Delta Kernel here, writing by
 * path as Spark does after loading the table through the catalog) commits there is taken in —
 * validated, stored with its lineage, and its bytes left as the engine wrote them — when the table is
 * loaded through Unity Catalog's API and at a reconcile. A table at the platform's own location keeps
 * reporting such versions as foreign.
 */
class ExternalTableLogTest extends MetadataTestBase {

    @Test
    void versionsAnEngineCommitsToAnExternalTablesLogBecomeTheTables() throws Exception {
        String catalog = newCatalogWithSchemaS();
        Path dir = Files.createTempDirectory("external-log");
        ok(
                http.post(
                        "/api/v1/tables",
                        "{\"catalog_name\":\"" + catalog + "\",\"schema_name\":\"s\",\"name\":\"ext\",\"schema\":"
                                + SCHEMA + ",\"location\":\"" + dir.toUri() + "\"}"),
                201);
        String table = catalog + ".s.ext";
        String location = get("/api/v1/tables/" + table).get("location").asString();
        awaitPublished(table, 0);

        appendByPath(location, "engine-1.parquet");
        Path log = StoragePaths.toPath(location).resolve("_delta_log");
        byte[] written = Files.readAllBytes(log.resolve(String.format("%020d.json", 1)));

        // an engine loading the table through the catalog sees its own version, and so does /api/v1
        JsonNode info = ok(http.get("/api/2.1/unity-catalog/tables/" + table), 200);
        assertThat(info.get("table_type").asString()).isEqualTo("EXTERNAL");
        assertThat(version(table)).isEqualTo(1);
        assertThat(livePaths(table, null, 100)).containsExactly("engine-1.parquet");
        assertThat(get("/api/v1/tables/" + table + "/history").get("commits")).hasSize(2);

        // the periodic reconcile takes in the next one; the log keeps the engine's bytes
        appendByPath(location, "engine-2.parquet");
        JsonNode report = ok(http.post("/api/v1/tables/" + table + "/publish/reconcile", ""), 200);
        assertThat(report.get("adopted_versions").toString()).isEqualTo("[2]");
        assertThat(report.get("foreign_versions")).isEmpty();
        awaitPublished(table, 2);
        JsonNode verified = ok(http.post("/api/v1/tables/" + table + "/publish/reconcile", ""), 200);
        assertThat(verified.get("mismatched_versions")).isEmpty();
        assertThat(Files.readAllBytes(log.resolve(String.format("%020d.json", 1))))
                .isEqualTo(written);
        assertThat(KernelReader.read(location, null).livePaths())
                .containsExactlyInAnyOrder("engine-1.parquet", "engine-2.parquet");
        assertThat(livePaths(table, null, 100)).containsExactlyInAnyOrder("engine-1.parquet", "engine-2.parquet");

        // the platform's own table: a version written behind it stays foreign
        String managed = newTable();
        awaitPublished(managed, 0);
        String managedLocation =
                get("/api/v1/tables/" + managed).get("location").asString();
        appendByPath(managedLocation, "behind.parquet");
        JsonNode foreign = ok(http.post("/api/v1/tables/" + managed + "/publish/reconcile", ""), 200);
        assertThat(foreign.get("foreign_versions").toString()).isEqualTo("[1]");
        assertThat(version(managed)).isZero();
    }

    /**
     * As UC's clients register a table they will write: Unity Catalog's own client declares it by its
     * columns at an empty location (the platform writes version 0), Delta Kernel commits to its log
     * by path, and loading it through UC's client takes that version in.
     */
    @Test
    void aTableRegisteredByItsColumnsThroughUnityCatalogsClientTakesKernelsCommits() throws Exception {
        String catalog = newCatalogWithSchemaS();
        Path dir = Files.createTempDirectory("registered");
        io.unitycatalog.client.ApiClient uc = new io.unitycatalog.client.ApiClient();
        uc.updateBaseUri("http://localhost:" + port + "/api/2.1/unity-catalog");
        uc.setRequestInterceptor(request -> request.header("Authorization", "Bearer " + ADMIN_KEY));
        io.unitycatalog.client.api.TablesApi tables = new io.unitycatalog.client.api.TablesApi(uc);
        io.unitycatalog.client.model.TableInfo registered =
                tables.createTable(new io.unitycatalog.client.model.CreateTable()
                        .catalogName(catalog)
                        .schemaName("s")
                        .name("events")
                        .tableType(io.unitycatalog.client.model.TableType.EXTERNAL)
                        .dataSourceFormat(io.unitycatalog.client.model.DataSourceFormat.DELTA)
                        .storageLocation(dir.toUri().toString())
                        .columns(List.of(
                                new io.unitycatalog.client.model.ColumnInfo()
                                        .name("id")
                                        .typeName(io.unitycatalog.client.model.ColumnTypeName.LONG)
                                        .nullable(false)
                                        .position(0),
                                new io.unitycatalog.client.model.ColumnInfo()
                                        .name("kind")
                                        .typeName(io.unitycatalog.client.model.ColumnTypeName.STRING)
                                        .position(1))));
        String table = catalog + ".s.events";
        String location = registered.getStorageLocation();
        awaitPublished(table, 0);
        // version 0 is a Delta table any engine reads: Kernel sees the declared columns
        assertThat(TableManager.loadSnapshot(location)
                        .build(KernelReader.ENGINE)
                        .getSchema()
                        .fieldNames())
                .containsExactly("id", "kind");

        appendByPath(location, "engine-1.parquet");
        io.unitycatalog.client.model.TableInfo loaded = tables.getTable(table, false, false);
        assertThat(loaded.getColumns())
                .extracting(io.unitycatalog.client.model.ColumnInfo::getName)
                .containsExactly("id", "kind");
        assertThat(version(table)).isEqualTo(1);
        assertThat(livePaths(table, null, 100)).containsExactly("engine-1.parquet");
    }

    /** One version adding {@code file}, committed by Delta Kernel straight to the table's log. */
    private static void appendByPath(String location, String file) {
        Snapshot snapshot = TableManager.loadSnapshot(location).build(KernelReader.ENGINE);
        Transaction txn =
                snapshot.buildUpdateTableTransaction("engine", Operation.WRITE).build(KernelReader.ENGINE);
        Row state = txn.getTransactionState(KernelReader.ENGINE);
        CloseableIterator<Row> actions = Transaction.generateAppendActions(
                KernelReader.ENGINE,
                state,
                io.delta.kernel.internal.util.Utils.toCloseableIterator(List.of(new DataFileStatus(
                                (location.endsWith("/") ? location : location + "/") + file,
                                1024,
                                1_700_000_000_000L,
                                Optional.empty()))
                        .iterator()),
                Transaction.getWriteContext(KernelReader.ENGINE, state, Map.of()));
        txn.commit(KernelReader.ENGINE, CloseableIterable.inMemoryIterable(actions));
    }
}
