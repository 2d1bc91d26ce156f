package io.deltaplane.metadata;

import static org.assertj.core.api.Assertions.assertThat;

import io.delta.kernel.TableManager;
import io.delta.kernel.data.ColumnVector;
import io.delta.kernel.data.ColumnarBatch;
import io.delta.kernel.data.FilteredColumnarBatch;
import io.delta.kernel.defaults.internal.data.DefaultColumnarBatch;
import io.delta.kernel.defaults.internal.data.vector.DefaultGenericVector;
import io.delta.kernel.expressions.Column;
import io.delta.kernel.internal.util.Utils;
import io.delta.kernel.types.DecimalType;
import io.delta.kernel.types.LongType;
import io.delta.kernel.types.StructType;
import io.delta.kernel.utils.CloseableIterator;
import io.delta.kernel.utils.DataFileStatus;
import io.deltaplane.metadata.publish.KernelReader;
import io.deltaplane.testing.DeltaScan;
import io.deltaplane.testing.IcebergReader;
import java.math.BigDecimal;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.iceberg.Schema;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.rest.RESTCatalog;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Delta column mapping end to end: a table created with {@code delta.columnMapping.mode=name} gets
 * column ids and physical names; files written under the physical names (by Delta Kernel's Parquet
 * writer) are read back by Delta Kernel from the published log under the logical names — after a
 * rename of a data column, a rename of the partition column (its files keep their partition
 * values) and a drop; an existing table is upgraded from {@code none} to {@code name}; and what
 * would make a reader misread data is refused with 400.
 */
class ColumnMappingTest extends MetadataTestBase {

    @Test
    void renamedAndDroppedColumnsReadBackByKernelFromThePublishedLog() throws Exception {
        String table = newTable(Map.of("delta.columnMapping.mode", "name"), "day");
        JsonNode created = get("/api/v1/tables/" + table);
        Map<String, String> physical = physicalNames(created.get("schema"));
        assertThat(physical.keySet()).containsExactly("id", "day", "amount");
        assertThat(physical.values()).allMatch(name -> name.startsWith("col-"));
        assertThat(JSON.readTree(created.get("properties").toString())
                        .get("delta.columnMapping.maxColumnId")
                        .asString())
                .isEqualTo("3");
        JsonNode protocol = protocolAt(table, 0);
        assertThat(protocol.get("readerFeatures").toString()).contains("columnMapping");
        assertThat(protocol.get("writerFeatures").toString()).contains("columnMapping");

        String location = created.get("location").asString();
        // partitionValues are keyed by the partition column's physical name
        assertProblem(
                commit(
                        table,
                        0,
                        write(location, physical.get("id"), physical.get("amount"), 1, 5, Map.of("day", "2026-11-01"))),
                400,
                "INVALID_ACTION");
        ok(
                commit(
                        table,
                        0,
                        write(
                                location,
                                physical.get("id"),
                                physical.get("amount"),
                                1,
                                5,
                                Map.of(physical.get("day"), "2026-11-01"))),
                201);
        awaitPublished(table, 1);
        assertThat(rows(location, 1, "id", "day", "amount"))
                .containsExactly(
                        "1|2026-11-01|0.07",
                        "2|2026-11-01|0.14",
                        "3|2026-11-01|0.21",
                        "4|2026-11-01|0.28",
                        "5|2026-11-01|0.35");

        // rename the data column and the partition column: the files keep their physical names
        ObjectNode schema = (ObjectNode) created.get("schema").deepCopy();
        field(schema, "amount").put("name", "total");
        field(schema, "day").put("name", "sale_day");
        ok(commit(table, 1, metaData(created, schema, List.of("sale_day"), Map.of())), 201);
        awaitPublished(table, 2);
        assertThat(rows(location, 2, "id", "sale_day", "total"))
                .contains("3|2026-11-01|0.21")
                .hasSize(5);
        assertThat(get("/api/v1/tables/" + table).get("partition_columns").toString())
                .isEqualTo("[\"sale_day\"]");
        // still keyed by the physical name after the rename
        ok(
                commit(
                        table,
                        2,
                        write(
                                location,
                                physical.get("id"),
                                physical.get("amount"),
                                6,
                                1,
                                Map.of(physical.get("day"), "2026-11-02"))),
                201);

        // what a reader would misread is refused
        ObjectNode reused = schema.deepCopy();
        ((ObjectNode) field(reused, "total").get("metadata"))
                .put("delta.columnMapping.physicalName", physical.get("id"));
        assertProblem(
                commit(table, 3, metaData(created, reused, List.of("sale_day"), Map.of())), 400, "INVALID_ACTION");
        ObjectNode renamedPhysical = schema.deepCopy();
        ((ObjectNode) field(renamedPhysical, "total").get("metadata"))
                .put("delta.columnMapping.physicalName", "col-other");
        assertProblem(
                commit(table, 3, metaData(created, renamedPhysical, List.of("sale_day"), Map.of())),
                400,
                "INVALID_ACTION");
        assertProblem(
                commit(
                        table,
                        3,
                        metaData(created, schema, List.of("sale_day"), Map.of("delta.columnMapping.maxColumnId", "2"))),
                400,
                "INVALID_ACTION");
        assertProblem(
                commit(
                        table,
                        3,
                        metaData(created, schema, List.of("sale_day"), Map.of("delta.columnMapping.mode", "id"))),
                400,
                "INVALID_ACTION");
        ObjectNode duplicateId = schema.deepCopy();
        ((ArrayNode) duplicateId.get("fields"))
                .addObject()
                .put("name", "extra")
                .put("type", "long")
                .put("nullable", true)
                .putObject("metadata")
                .put("delta.columnMapping.id", 1)
                .put("delta.columnMapping.physicalName", "col-extra");
        assertProblem(
                commit(table, 3, metaData(created, duplicateId, List.of("sale_day"), Map.of())), 400, "INVALID_ACTION");
        assertThat(version(table)).isEqualTo(3);

        // drop the renamed column: readers no longer see it, the other columns read as before
        ObjectNode dropped = schema.deepCopy();
        ArrayNode fields = (ArrayNode) dropped.get("fields");
        for (int i = 0; i < fields.size(); i++) {
            if (fields.get(i).get("name").asString().equals("total")) {
                fields.remove(i);
                break;
            }
        }
        ok(commit(table, 3, metaData(created, dropped, List.of("sale_day"), Map.of())), 201);
        awaitPublished(table, 4);
        assertThat(rows(location, 4, "id", "sale_day"))
                .containsExactly(
                        "1|2026-11-01", "2|2026-11-01", "3|2026-11-01", "4|2026-11-01", "5|2026-11-01", "6|2026-11-02");
        assertThat(TableManager.loadSnapshot(location)
                        .atVersion(4)
                        .build(KernelReader.ENGINE)
                        .getSchema()
                        .fieldNames())
                .containsExactly("id", "sale_day");

        // Iceberg readers see the same rows at every version: field ids are Delta's column ids, the
        // name mapping finds the physical names in the files, a rename or drop is a new schema
        String catalog = table.substring(0, table.indexOf('.'));
        try (RESTCatalog iceberg = IcebergReader.catalog(port, catalog, ADMIN_KEY)) {
            Table loaded = iceberg.loadTable(TableIdentifier.of("s", table.substring(table.lastIndexOf('.') + 1)));
            Map<Long, Long> snapshots = IcebergReader.snapshotsByVersion(loaded);
            assertThat(IcebergReader.rows(loaded, snapshots.get(1L), "id", "day", "amount"))
                    .isEqualTo(rows(location, 1, "id", "day", "amount"));
            for (long v = 2; v <= 3; v++) {
                assertThat(IcebergReader.rows(loaded, snapshots.get(v), "id", "sale_day", "total"))
                        .as("version %d", v)
                        .isEqualTo(rows(location, v, "id", "sale_day", "total"));
            }
            assertThat(IcebergReader.rows(loaded, snapshots.get(4L), "id", "sale_day"))
                    .isEqualTo(rows(location, 4, "id", "sale_day"));
            Schema renamed =
                    loaded.schemas().get(loaded.snapshot(snapshots.get(2L)).schemaId());
            assertThat(renamed.findField("total").fieldId()).isEqualTo(3);
            assertThat(renamed.findField("sale_day").fieldId()).isEqualTo(2);
            assertThat(loaded.schema().columns()).extracting(c -> c.name()).containsExactly("id", "sale_day");
            assertThat(((org.apache.iceberg.BaseTable) loaded)
                            .operations()
                            .current()
                            .lastColumnId())
                    .isEqualTo(3);
        }
    }

    @Test
    void aTableWithoutColumnMappingIsUpgradedToNameMode() throws Exception {
        String table = newTable("day");
        JsonNode created = get("/api/v1/tables/" + table);
        String location = created.get("location").asString();
        ok(commit(table, 0, write(location, "id", "amount", 1, 3, Map.of("day", "2026-11-01"))), 201);

        // without the feature in the protocol, column mapping is refused
        ObjectNode mapped = (ObjectNode) created.get("schema").deepCopy();
        int id = 0;
        for (JsonNode f : mapped.get("fields")) {
            ((ObjectNode) f.get("metadata"))
                    .put("delta.columnMapping.id", ++id)
                    .put("delta.columnMapping.physicalName", f.get("name").asString());
        }
        Map<String, String> nameMode =
                Map.of("delta.columnMapping.mode", "name", "delta.columnMapping.maxColumnId", "3");
        assertProblem(commit(table, 1, metaData(created, mapped, List.of("day"), nameMode)), 400, "INVALID_ACTION");
        // an existing column must keep its name as its physical name
        ObjectNode wrong = mapped.deepCopy();
        ((ObjectNode) field(wrong, "amount").get("metadata")).put("delta.columnMapping.physicalName", "col-x");
        String upgrade = "{\"protocol\":{\"minReaderVersion\":3,\"minWriterVersion\":7,\"readerFeatures\":"
                + "[\"columnMapping\"],\"writerFeatures\":[\"appendOnly\",\"invariants\",\"inCommitTimestamp\","
                + "\"columnMapping\"]}}";
        assertProblem(
                commit(table, 1, upgrade, metaData(created, wrong, List.of("day"), nameMode)), 400, "INVALID_ACTION");

        // reader version 1 supports no column mapping, whatever the writer features say
        String readerOne = "{\"protocol\":{\"minReaderVersion\":1,\"minWriterVersion\":7,\"writerFeatures\":"
                + "[\"appendOnly\",\"invariants\",\"inCommitTimestamp\",\"columnMapping\"]}}";
        assertProblem(
                commit(table, 1, readerOne, metaData(created, mapped, List.of("day"), nameMode)),
                400,
                "INVALID_ACTION");
        // Spark's form: reader version 2 implies column mapping (reader features are listed from 3 on)
        String sparks = readerOne.replace("\"minReaderVersion\":1", "\"minReaderVersion\":2");
        ok(commit(table, 1, sparks, metaData(created, mapped, List.of("day"), nameMode)), 201);
        ObjectNode renamed = mapped.deepCopy();
        field(renamed, "amount").put("name", "total");
        ok(commit(table, 2, metaData(created, renamed, List.of("day"), nameMode)), 201);
        awaitPublished(table, 3);
        assertThat(rows(location, 3, "id", "day", "total"))
                .containsExactly("1|2026-11-01|0.07", "2|2026-11-01|0.14", "3|2026-11-01|0.21");
    }

    @Test
    void optimizeKeepsPhysicalNamesInNameModeAndIsRefusedInIdMode() throws Exception {
        String table = newTable(Map.of("delta.columnMapping.mode", "name"), "day");
        JsonNode created = get("/api/v1/tables/" + table);
        Map<String, String> physical = physicalNames(created.get("schema"));
        String location = created.get("location").asString();
        Map<String, String> day = Map.of(physical.get("day"), "2026-11-01");
        ok(commit(table, 0, write(location, physical.get("id"), physical.get("amount"), 1, 3, day)), 201);
        ok(commit(table, 1, write(location, physical.get("id"), physical.get("amount"), 4, 2, day)), 201);
        JsonNode optimized = ok(http.post("/api/v1/tables/" + table + "/optimize", "{}"), 200);
        assertThat(optimized.get("files_removed").asLong()).isEqualTo(2);
        // the new file's statistics are keyed by physical names, as readers look them up
        JsonNode stats = JSON.readTree(get("/api/v1/tables/" + table + "/snapshot/files")
                .get("files")
                .get(0)
                .get("stats")
                .asString());
        assertThat(stats.get("minValues").has(physical.get("id"))).isTrue();
        assertThat(stats.get("minValues").get(physical.get("id")).asLong()).isEqualTo(1);
        ObjectNode schema = (ObjectNode) created.get("schema").deepCopy();
        field(schema, "amount").put("name", "total");
        ok(commit(table, 3, metaData(created, schema, List.of("day"), Map.of())), 201);
        awaitPublished(table, 4);
        assertThat(livePaths(table, 4L, 10)).hasSize(1);
        assertThat(rows(location, 4, "id", "day", "total"))
                .containsExactly(
                        "1|2026-11-01|0.07",
                        "2|2026-11-01|0.14",
                        "3|2026-11-01|0.21",
                        "4|2026-11-01|0.28",
                        "5|2026-11-01|0.35");

        String byId = newCatalogWithSchemaS();
        ok(http.post("/api/v1/tables", tableBody(byId, Map.of("delta.columnMapping.mode", "id"), "day")), 201);
        assertProblem(http.post("/api/v1/tables/" + byId + ".s.t/optimize", "{}"), 422, "UNSUPPORTED_DELTA_PROTOCOL");
    }

    private static io.delta.kernel.types.FieldMetadata fieldId(Long id) {
        return id == null
                ? io.delta.kernel.types.FieldMetadata.empty()
                : io.delta.kernel.types.FieldMetadata.builder()
                        .putLong("parquet.field.id", id)
                        .build();
    }

    /**
     * Column mapping mode id: Delta readers find a file's columns by their Parquet field ids, so a
     * file written without them is refused by name at the commit (it would read as nulls); the same
     * rows written with the schema's ids are taken, and Kernel reads them.
     */
    @Test
    void anIdModeTableRefusesAFileWithoutFieldIdsAndTakesOneWithThem() throws Exception {
        String table = newTable(Map.of("delta.columnMapping.mode", "id"), "day");
        JsonNode created = get("/api/v1/tables/" + table);
        Map<String, String> physical = physicalNames(created.get("schema"));
        String location = created.get("location").asString();
        Map<String, String> day = Map.of(physical.get("day"), "2026-11-01");

        HttpResponse<String> refused =
                commit(table, 0, write(location, physical.get("id"), physical.get("amount"), 1, 3, day));
        assertProblem(refused, 400, "INVALID_ACTION");
        assertThat(JSON.readTree(refused.body()).get("detail").asString())
                .contains("column mapping mode is id")
                .contains("no Parquet field id");
        assertThat(version(table)).isZero();

        long idId = field((ObjectNode) created.get("schema"), "id")
                .get("metadata")
                .get("delta.columnMapping.id")
                .asLong();
        long amountId = field((ObjectNode) created.get("schema"), "amount")
                .get("metadata")
                .get("delta.columnMapping.id")
                .asLong();
        ok(
                commit(
                        table,
                        0,
                        write(location, physical.get("id"), physical.get("amount"), 1, 3, day, idId, amountId)),
                201);
        awaitPublished(table, 1);
        assertThat(rows(location, 1, "id", "day", "amount"))
                .containsExactly("1|2026-11-01|0.07", "2|2026-11-01|0.14", "3|2026-11-01|0.21");

        // every other way a file reaches the table is refused alike: a commit on the cached state, an
        // append the platform places, a transaction's part
        String withoutIds = write(location, physical.get("id"), physical.get("amount"), 4, 2, day);
        assertProblem(commit(table, 1, withoutIds), 400, "INVALID_ACTION");
        assertProblem(
                http.post("/api/v1/tables/" + table + "/commits", "{\"actions\":[" + withoutIds + "]}"),
                400,
                "INVALID_ACTION");
        assertProblem(
                http.post(
                        "/api/v1/transactions",
                        "{\"commits\":[{\"table\":\"" + table + "\",\"expected_version\":1,\"actions\":[" + withoutIds
                                + "]}]}"),
                400,
                "INVALID_ACTION");
        assertThat(version(table)).isEqualTo(1);
    }

    /** A metaData action for the table with {@code schema}, its properties overridden by {@code changed}. */
    private static String metaData(
            JsonNode table, JsonNode schema, List<String> partitionColumns, Map<String, String> changed)
            throws Exception {
        Map<String, String> configuration = new LinkedHashMap<>();
        JSON.readTree(table.get("properties").toString())
                .properties()
                .forEach(e -> configuration.put(e.getKey(), e.getValue().asString()));
        configuration.putAll(changed);
        Map<String, Object> metadata = new LinkedHashMap<>();
        metadata.put("id", table.get("table_id").asString());
        metadata.put("format", Map.of("provider", "parquet", "options", Map.of()));
        metadata.put("schemaString", schema.toString());
        metadata.put("partitionColumns", partitionColumns);
        metadata.put("configuration", configuration);
        return JSON.writeValueAsString(Map.of("metaData", metadata));
    }

    private static ObjectNode field(JsonNode schema, String name) {
        for (JsonNode f : schema.get("fields")) {
            if (f.get("name").asString().equals(name)) {
                return (ObjectNode) f;
            }
        }
        throw new IllegalArgumentException("no field " + name);
    }

    private static Map<String, String> physicalNames(JsonNode schema) {
        Map<String, String> names = new LinkedHashMap<>();
        for (JsonNode f : schema.get("fields")) {
            names.put(
                    f.get("name").asString(),
                    f.get("metadata").get("delta.columnMapping.physicalName").asString());
        }
        return names;
    }

    /**
     * Writes rows {@code first … first+count-1} (id, amount) as one Parquet file whose columns are
     * named {@code idColumn} and {@code amountColumn}; its add action with {@code partitionValues}.
     */
    private static String write(
            String location,
            String idColumn,
            String amountColumn,
            long first,
            int count,
            Map<String, String> partitionValues)
            throws Exception {
        return write(location, idColumn, amountColumn, first, count, partitionValues, null, null);
    }

    /** As above, each column carrying {@code idFieldId} / {@code amountFieldId} as its Parquet field id (when not null). */
    private static String write(
            String location,
            String idColumn,
            String amountColumn,
            long first,
            int count,
            Map<String, String> partitionValues,
            Long idFieldId,
            Long amountFieldId)
            throws Exception {
        StructType schema = new StructType()
                .add(idColumn, LongType.LONG, false, fieldId(idFieldId))
                .add(amountColumn, new DecimalType(10, 2), true, fieldId(amountFieldId));
        Object[] ids = new Object[count];
        Object[] amounts = new Object[count];
        for (int i = 0; i < count; i++) {
            ids[i] = first + i;
            amounts[i] = BigDecimal.valueOf((first + i) * 7, 2);
        }
        ColumnarBatch batch = new DefaultColumnarBatch(count, schema, new ColumnVector[] {
            DefaultGenericVector.fromArray(LongType.LONG, ids),
            DefaultGenericVector.fromArray(new DecimalType(10, 2), amounts)
        });
        try (CloseableIterator<DataFileStatus> written = KernelReader.ENGINE
                .getParquetHandler()
                .writeParquetFiles(
                        location,
                        Utils.singletonCloseableIterator(new FilteredColumnarBatch(batch, Optional.empty())),
                        List.of(new Column(idColumn)))) {
            DataFileStatus status = written.next();
            String path = status.getPath();
            return add(path.substring(path.lastIndexOf('/') + 1), status.getSize(), partitionValues);
        }
    }

    /** Every row Delta Kernel reads at {@code version} from the published log, the columns joined by |, sorted. */
    private static List<String> rows(String location, long version, String... columns) {
        List<String> rows = new ArrayList<>();
        DeltaScan.forEachRow(
                TableManager.loadSnapshot(location).atVersion(version).build(KernelReader.ENGINE),
                KernelReader.ENGINE,
                row -> {
                    List<String> values = new ArrayList<>();
                    for (String column : columns) {
                        ColumnVector vector = row.column(column);
                        int i = row.index();
                        values.add(
                                vector.isNullAt(i)
                                        ? "null"
                                        : vector.getDataType() instanceof LongType
                                                ? Long.toString(vector.getLong(i))
                                                : vector.getDataType() instanceof DecimalType
                                                        ? vector.getDecimal(i).toPlainString()
                                                        : vector.getString(i));
                    }
                    rows.add(String.join("|", values));
                });
        rows.sort(null);
        return rows;
    }
}
