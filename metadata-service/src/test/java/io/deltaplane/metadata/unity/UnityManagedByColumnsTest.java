package io.deltaplane.metadata.unity;

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
import io.deltaplane.metadata.MetadataTestBase;
import io.deltaplane.metadata.publish.KernelReader;
import io.unitycatalog.client.api.TablesApi;
import io.unitycatalog.client.model.ColumnInfo;
import io.unitycatalog.client.model.ColumnTypeName;
import io.unitycatalog.client.model.CreateStagingTable;
import io.unitycatalog.client.model.CreateTable;
import io.unitycatalog.client.model.DataSourceFormat;
import io.unitycatalog.client.model.StagingTableInfo;
import io.unitycatalog.client.model.TableInfo;
import io.unitycatalog.client.model.TableType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * A MANAGED table registered by its columns, as Unity Catalog's own clients and tests create one:
 * {@code POST /staging-tables}, then {@code POST /tables} with the staged location, the columns and
 * the properties, through UC's client (unitycatalog-client 0.6, unchanged) — no engine writes version
 * 0. The catalog writes it (a catalog-managed protocol, the columns as the schema, the properties
 * with the table's UC id) and publishes it before answering; Delta Kernel's catalog-managed client
 * then loads the table and commits version 1 through the catalog. A property that contradicts what
 * the table needs is refused by name and stores nothing; the staging stays usable.
 */
class UnityManagedByColumnsTest extends MetadataTestBase {

    private static final String FIELD = "{\"name\":\"%s\",\"type\":\"%s\",\"nullable\":true,\"metadata\":{}}";

    private String catalog;
    private TablesApi tables;

    @BeforeEach
    void schema() {
        catalog = newCatalogWithSchemaS();
        tables = new TablesApi(UnityClient.as(port, ADMIN_KEY));
    }

    @Test
    void theCatalogWritesVersionZeroFromTheColumnsAndKernelCommitsFromThere() throws Exception {
        StagingTableInfo staged = stage("by_columns");
        TableInfo created = tables.createTable(managed("by_columns", staged, Map.of("team", "sales")));

        assertThat(created.getTableType()).isEqualTo(TableType.MANAGED);
        assertThat(created.getColumns()).extracting(ColumnInfo::getName).containsExactly("id", "note", "day");
        String fullName = catalog + ".s.by_columns";
        JsonNode table = get("/api/v1/tables/" + fullName);
        assertThat(table.path("version").asLong()).isZero();
        assertThat(table.path("partition_columns").get(0).asString()).isEqualTo("day");
        assertThat(table.path("properties").path("team").asString()).isEqualTo("sales");

        // published before the answer: what any engine lists in _delta_log
        Path log = Path.of(java.net.URI.create(staged.getStagingLocation().replace("file:/", "file:///")))
                .resolve("_delta_log");
        List<JsonNode> versionZero = Files.readAllLines(log.resolve("00000000000000000000.json")).stream()
                .map(JSON::readTree)
                .toList();
        assertThat(versionZero
                        .get(0)
                        .path("commitInfo")
                        .path("inCommitTimestamp")
                        .isIntegralNumber())
                .isTrue();
        JsonNode protocol = versionZero.stream()
                .filter(a -> a.has("protocol"))
                .findFirst()
                .orElseThrow()
                .path("protocol");
        assertThat(protocol.path("readerFeatures").toString()).contains("catalogManaged");
        assertThat(protocol.path("writerFeatures").toString()).contains("catalogManaged", "inCommitTimestamp");
        JsonNode metaData = versionZero.stream()
                .filter(a -> a.has("metaData"))
                .findFirst()
                .orElseThrow()
                .path("metaData");
        assertThat(metaData.path("configuration")
                        .path("io.unitycatalog.tableId")
                        .asString())
                .isEqualTo(staged.getId());

        // Delta Kernel through the catalog: version 0 as registered, then its own commit lands as 1
        UCCatalogManagedClient kernel =
                new UCCatalogManagedClient(UnityClients.delta("http://localhost:" + port, ADMIN_KEY));
        UCTableIdentifier name = new UCTableIdentifier(catalog, "s", "by_columns");
        Snapshot zero = latest(kernel, staged, name);
        assertThat(zero.getVersion()).isZero();
        assertThat(zero.getSchema().fieldNames()).containsExactly("id", "note", "day");
        assertThat(zero.getPartitionColumnNames()).containsExactly("day");
        Transaction txn = zero.buildUpdateTableTransaction("deltaplane-tests", Operation.WRITE)
                .build(KernelReader.ENGINE);
        Row state = txn.getTransactionState(KernelReader.ENGINE);
        Map<String, Literal> partition = Map.of("day", Literal.ofString("2026-11-29"));
        CloseableIterator<Row> actions = Transaction.generateAppendActions(
                KernelReader.ENGINE,
                state,
                io.delta.kernel.internal.util.Utils.toCloseableIterator(List.of(new DataFileStatus(
                                staged.getStagingLocation() + "/day=2026-11-29/a.parquet",
                                1024,
                                1_700_000_000_000L,
                                Optional.empty()))
                        .iterator()),
                Transaction.getWriteContext(KernelReader.ENGINE, state, partition));
        assertThat(txn.commit(KernelReader.ENGINE, CloseableIterable.inMemoryIterable(actions))
                        .getVersion())
                .isEqualTo(1);
        Snapshot one = latest(kernel, staged, name);
        assertThat(one.getVersion()).isEqualTo(1);
        assertThat(livePaths(fullName, null, 10)).containsExactly("day=2026-11-29/a.parquet");
    }

    @Test
    void aPropertyTheTableCannotKeepIsRefusedByNameAndNothingIsStored() throws Exception {
        StagingTableInfo staged = stage("ict_off");
        UnityClient.assertUnityError(
                () -> tables.createTable(managed("ict_off", staged, Map.of("delta.enableInCommitTimestamps", "false"))),
                400,
                "INVALID_ARGUMENT");
        assertThat(http.get("/api/v1/tables/" + catalog + ".s.ict_off").statusCode())
                .isEqualTo(404);
        assertThat(Files.exists(
                        Path.of(java.net.URI.create(staged.getStagingLocation().replace("file:/", "file:///")))
                                .resolve("_delta_log/00000000000000000000.json")))
                .isFalse();

        // the staging is still the client's: registered again with what the table can keep
        assertThat(tables.createTable(managed("ict_off", staged, Map.of())).getName())
                .isEqualTo("ict_off");
        assertThat(get("/api/v1/tables/" + catalog + ".s.ict_off")
                        .path("version")
                        .asLong())
                .isZero();
    }

    /** The table's latest snapshot, as Kernel's catalog-managed client loads it through the catalog. */
    private static Snapshot latest(UCCatalogManagedClient kernel, StagingTableInfo staged, UCTableIdentifier name) {
        return kernel.loadSnapshot(
                KernelReader.ENGINE,
                staged.getId(),
                staged.getStagingLocation(),
                name,
                Optional.empty(),
                Optional.empty());
    }

    private StagingTableInfo stage(String name) throws Exception {
        return tables.createStagingTable(
                new CreateStagingTable().catalogName(catalog).schemaName("s").name(name));
    }

    private CreateTable managed(String name, StagingTableInfo staged, Map<String, String> extra) {
        Map<String, String> properties = new java.util.HashMap<>(extra);
        properties.put("io.unitycatalog.tableId", staged.getId());
        return new CreateTable()
                .name(name)
                .catalogName(catalog)
                .schemaName("s")
                .tableType(TableType.MANAGED)
                .dataSourceFormat(DataSourceFormat.DELTA)
                .storageLocation(staged.getStagingLocation())
                .properties(properties)
                .columns(List.of(
                        column("id", "long", ColumnTypeName.LONG, 0),
                        column("note", "string", ColumnTypeName.STRING, 1),
                        column("day", "string", ColumnTypeName.STRING, 2).partitionIndex(0)));
    }

    private static ColumnInfo column(String name, String type, ColumnTypeName typeName, int position) {
        return new ColumnInfo()
                .name(name)
                .typeName(typeName)
                .typeText(type.equals("long") ? "bigint" : type)
                .typeJson(FIELD.formatted(name, type))
                .nullable(true)
                .position(position);
    }
}
