package io.deltaplane.metadata.imports;

import static org.assertj.core.api.Assertions.assertThat;

import io.delta.kernel.Operation;
import io.delta.kernel.Snapshot;
import io.delta.kernel.TableManager;
import io.delta.kernel.Transaction;
import io.delta.kernel.data.Row;
import io.delta.kernel.engine.Engine;
import io.delta.kernel.expressions.Column;
import io.delta.kernel.expressions.Literal;
import io.delta.kernel.transaction.DataLayoutSpec;
import io.delta.kernel.types.LongType;
import io.delta.kernel.types.StringType;
import io.delta.kernel.types.StructType;
import io.delta.kernel.utils.CloseableIterable;
import io.delta.kernel.utils.CloseableIterator;
import io.delta.kernel.utils.DataFileStatus;
import io.deltaplane.metadata.ObjectStoresTestBase;
import io.deltaplane.metadata.deltalog.DeltaKernelEngines;
import io.deltaplane.metadata.publish.KernelReader;
import io.deltaplane.testing.AzuriteServer;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * A table Delta Kernel wrote to Azure Blob Storage (Azurite), with a Parquet checkpoint, adopted
 * through {@code POST /tables/import} and read through the API as Kernel reads it; then committed to
 * through the API and its next version published to the container, configured only by the
 * connection string an operator would set. The Azure twin of the S3 import in ObjectStorageTableTest.
 */
class AzureTableImportTest extends ObjectStoresTestBase {

    @Test
    void aKernelTableOnAzureIsImportedReadThroughTheApiAndPublishedOnwards() throws Exception {
        String location = AZURE_ROOT + "/" + UUID.randomUUID().toString().substring(0, 8) + "/clicks";
        StructType schema = new StructType().add("id", LongType.LONG).add("day", StringType.STRING);
        TableManager.buildCreateTableTransaction(location, schema, "deltaplane-tests")
                .withDataLayoutSpec(DataLayoutSpec.partitioned(List.of(new Column("day"))))
                .build(kernel())
                .commit(kernel(), CloseableIterable.emptyIterable());
        for (int v = 1; v <= 4; v++) {
            append(location, "2026-11-0" + v, "a-" + v + ".parquet", "b-" + v + ".parquet");
        }
        TableManager.loadSnapshot(location).build(kernel()).writeCheckpoint(kernel()); // at version 4
        append(location, "2026-11-05", "after-checkpoint.parquet");
        assertThat(KernelReader.read(location, null, kernel()).version()).isEqualTo(5);

        String catalog = "az_" + UUID.randomUUID().toString().replace("-", "").substring(0, 10);
        ok(http.post("/api/v1/catalogs", "{\"name\":\"" + catalog + "\"}"), 201);
        ok(http.post("/api/v1/schemas", "{\"catalog_name\":\"" + catalog + "\",\"name\":\"s\"}"), 201);
        JsonNode imported = ok(http.post("/api/v1/tables/import", importBody(catalog, "clicks", location + "/")), 201);
        String table = catalog + ".s.clicks";
        assertThat(imported.get("location").asString()).isEqualTo(location);
        assertThat(imported.get("version").asLong()).isEqualTo(5);
        assertThat(imported.get("partition_columns").valueStream().map(JsonNode::asString))
                .containsExactly("day");
        assertThat(get("/api/v1/tables/" + table + "/publish")
                        .get("published_version")
                        .asLong())
                .isEqualTo(5);

        // Every version, the checkpointed one and those on either side, as Kernel reads it.
        for (long v = 0; v <= 5; v++) {
            assertThat(new HashSet<>(livePaths(table, v, 3)))
                    .as("imported version %d", v)
                    .isEqualTo(KernelReader.read(location, v, kernel()).livePaths());
        }
        JsonNode snapshot = get("/api/v1/tables/" + table + "/snapshot");
        assertThat(snapshot.get("version").asLong()).isEqualTo(5);
        assertThat(livePaths(table, null, 100)).hasSize(9).contains("day=2026-11-05/after-checkpoint.parquet");

        // Publishing goes on in the container at the next version, and Kernel sees it there.
        ok(commit(table, 5, add("day=2026-11-06/api.parquet", 100, Map.of("day", "2026-11-06"))), 201);
        awaitPublished(table, 6);
        KernelReader.View after = KernelReader.read(location, null, kernel());
        assertThat(after.version()).isEqualTo(6);
        assertThat(after.livePaths())
                .isEqualTo(new HashSet<>(livePaths(table, 6L, 100)))
                .contains("day=2026-11-06/api.parquet")
                .hasSize(10);
        assertThat(JSON.readTree(after.schemaJson())).isEqualTo(JSON.readTree(schema.toJson()));

        // A container path outside the registered roots is not adopted.
        assertProblem(
                http.post(
                        "/api/v1/tables/import",
                        importBody(
                                catalog,
                                "foreign",
                                "abfss://lake@" + AzuriteServer.ACCOUNT + ".dfs.core.windows.net/elsewhere/t")),
                422,
                "LOCATION_NOT_ALLOWED");
        assertProblem(http.get("/api/v1/tables/" + catalog + ".s.foreign"), 404, "TABLE_NOT_FOUND");
    }

    /** Kernel over Azurite, through the platform's storage layer (past the faulty link). */
    private static Engine kernel() {
        return DeltaKernelEngines.over(azure);
    }

    private static void append(String location, String day, String... files) {
        Snapshot snapshot = TableManager.loadSnapshot(location).build(kernel());
        Transaction txn = snapshot.buildUpdateTableTransaction("deltaplane-tests", Operation.WRITE)
                .build(kernel());
        Row state = txn.getTransactionState(kernel());
        Map<String, Literal> partition = Map.of("day", Literal.ofString(day));
        List<DataFileStatus> statuses = new ArrayList<>();
        for (String file : files) {
            statuses.add(new DataFileStatus(
                    location + "/day=" + day + "/" + file, 1024, 1_700_000_000_000L, Optional.empty()));
        }
        CloseableIterator<Row> actions = Transaction.generateAppendActions(
                kernel(),
                state,
                io.delta.kernel.internal.util.Utils.toCloseableIterator(statuses.iterator()),
                Transaction.getWriteContext(kernel(), state, partition));
        txn.commit(kernel(), CloseableIterable.inMemoryIterable(actions));
    }

    private static String importBody(String catalog, String name, String location) {
        return JSON.writeValueAsString(
                Map.of("catalog_name", catalog, "schema_name", "s", "name", name, "location", location));
    }
}
