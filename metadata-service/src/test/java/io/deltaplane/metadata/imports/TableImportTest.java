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
import io.deltaplane.metadata.publish.KernelReader;
import io.deltaplane.metadata.publish.PublishTestBase;
import io.deltaplane.storage.StoragePaths;
import io.deltaplane.support.problem.ErrorCode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/** Tables created by Delta Kernel are adopted, then written through the API and read back by Kernel. */
class TableImportTest extends PublishTestBase {

    private static final Engine ENGINE = KernelReader.ENGINE;

    @TempDir
    Path dir;

    @Test
    void kernelTableImportedCommittedThroughTheApiAndReadBackByKernel() {
        String location = StoragePaths.toFileUri(dir.resolve("kernel_table").toString());
        StructType schema = new StructType().add("id", LongType.LONG).add("day", StringType.STRING);
        Transaction create = TableManager.buildCreateTableTransaction(location, schema, "deltaplane-tests")
                .withDataLayoutSpec(DataLayoutSpec.partitioned(List.of(new Column("day"))))
                .build(ENGINE);
        create.commit(ENGINE, CloseableIterable.emptyIterable());
        append(location, "2024-01-01", "k1.parquet", "k2.parquet");
        append(location, "2024-01-02", "k3.parquet");
        assertThat(KernelReader.read(location, null).version()).isEqualTo(2);

        String catalog = newCatalogAndSchema();
        JsonNode table = ok(http.post("/api/v1/tables/import", importBody(catalog, "imported", location)), 201);
        String name = catalog + ".s.imported";
        assertThat(table.get("full_name").asString()).isEqualTo(name);
        assertThat(table.get("version").asLong()).isEqualTo(2);
        assertThat(table.get("partition_columns").valueStream().map(JsonNode::asString))
                .containsExactly("day");

        JsonNode status = publishStatus(name);
        assertThat(status.get("published_version").asLong()).isEqualTo(2);
        assertThat(status.get("lag_versions").asLong()).isZero();
        for (long v = 0; v <= 2; v++) {
            assertThat(new HashSet<>(livePaths(name, v, 100)))
                    .as("imported version %d", v)
                    .isEqualTo(KernelReader.read(location, v).livePaths());
        }

        ok(commit(name, 2, add("day=2024-01-03/api.parquet", 5, Map.of("day", "2024-01-03"))), 201);
        awaitPublished(name);
        KernelReader.View after = KernelReader.read(location, null);
        assertThat(after.version()).isEqualTo(3);
        assertThat(after.partitionColumns()).containsExactly("day");
        assertThat(after.livePaths()).isEqualTo(new HashSet<>(livePaths(name, 3L, 100)));
        assertThat(after.livePaths()).contains("day=2024-01-03/api.parquet").hasSize(4);
        assertThat(JSON.readTree(after.schemaJson())).isEqualTo(JSON.readTree(schema.toJson()));
    }

    @Test
    void aDirectoryWithoutDeltaLogIsAClearProblemAndNothingIsCreated() throws Exception {
        Path empty = Files.createDirectories(dir.resolve("not_delta"));
        String catalog = newCatalogAndSchema();
        assertProblem(
                http.post("/api/v1/tables/import", importBody(catalog, "t", empty.toString())),
                422,
                ErrorCode.NOT_A_DELTA_TABLE.code());
        assertProblem(http.get("/api/v1/tables/" + catalog + ".s.t"), 404, "TABLE_NOT_FOUND");
    }

    @Test
    void aProtocolKernelCannotReadIsAClearProblemAndNothingIsCreated() throws Exception {
        Path log = Files.createDirectories(dir.resolve("future/_delta_log"));
        Files.writeString(
                log.resolve("00000000000000000000.json"),
                "{\"commitInfo\":{\"timestamp\":1700000000000,\"operation\":\"CREATE TABLE\"}}\n"
                        + "{\"protocol\":{\"minReaderVersion\":3,\"minWriterVersion\":7,"
                        + "\"readerFeatures\":[\"timeTravelToTheFuture\"],\"writerFeatures\":[\"timeTravelToTheFuture\"]}}\n"
                        + "{\"metaData\":{\"id\":\"" + UUID.randomUUID() + "\",\"format\":{\"provider\":\"parquet\","
                        + "\"options\":{}},\"schemaString\":\"{\\\"type\\\":\\\"struct\\\",\\\"fields\\\":[]}\","
                        + "\"partitionColumns\":[],\"configuration\":{},\"createdTime\":1700000000000}}\n");
        String catalog = newCatalogAndSchema();
        assertProblem(
                http.post(
                        "/api/v1/tables/import",
                        importBody(catalog, "t", log.getParent().toString())),
                422,
                ErrorCode.UNSUPPORTED_DELTA_PROTOCOL.code());
        assertProblem(http.get("/api/v1/tables/" + catalog + ".s.t"), 404, "TABLE_NOT_FOUND");
    }

    @Test
    void badNamesAndMissingLocationAre400() {
        String catalog = newCatalogAndSchema();
        assertProblem(
                http.post("/api/v1/tables/import", importBody(catalog, "bad name", dir.toString())),
                400,
                "INVALID_NAME");
        assertProblem(
                http.post(
                        "/api/v1/tables/import",
                        "{\"catalog_name\":\"" + catalog + "\",\"schema_name\":\"s\"," + "\"name\":\"t\"}"),
                400,
                "VALIDATION_FAILED");
    }

    private static void append(String location, String day, String... files) {
        Snapshot snapshot = TableManager.loadSnapshot(location).build(ENGINE);
        Transaction txn = snapshot.buildUpdateTableTransaction("deltaplane-tests", Operation.WRITE)
                .build(ENGINE);
        Row state = txn.getTransactionState(ENGINE);
        Map<String, Literal> partition = Map.of("day", Literal.ofString(day));
        List<DataFileStatus> statuses = new ArrayList<>();
        for (String file : files) {
            statuses.add(new DataFileStatus(
                    location + "/day=" + day + "/" + file, 1024, 1_700_000_000_000L, Optional.empty()));
        }
        CloseableIterator<Row> actions = Transaction.generateAppendActions(
                ENGINE,
                state,
                io.delta.kernel.internal.util.Utils.toCloseableIterator(statuses.iterator()),
                Transaction.getWriteContext(ENGINE, state, partition));
        txn.commit(ENGINE, CloseableIterable.inMemoryIterable(actions));
    }

    private String newCatalogAndSchema() {
        String catalog = "imp_" + UUID.randomUUID().toString().replace("-", "").substring(0, 10);
        ok(http.post("/api/v1/catalogs", "{\"name\":\"" + catalog + "\"}"), 201);
        ok(http.post("/api/v1/schemas", "{\"catalog_name\":\"" + catalog + "\",\"name\":\"s\"}"), 201);
        return catalog;
    }

    private static String importBody(String catalog, String name, String location) {
        return JSON.writeValueAsString(
                Map.of("catalog_name", catalog, "schema_name", "s", "name", name, "location", location));
    }
}
