package io.deltaplane.metadata.iceberg;

import static org.assertj.core.api.Assertions.assertThat;

import io.deltaplane.metadata.iceberg.DeltaTypes.Array;
import io.deltaplane.metadata.iceberg.DeltaTypes.Field;
import io.deltaplane.metadata.iceberg.DeltaTypes.Primitive;
import io.deltaplane.metadata.maintenance.MaintenanceTestBase;
import io.deltaplane.metadata.maintenance.TableRows;
import io.deltaplane.storage.StoragePaths;
import io.deltaplane.testing.IcebergReader;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.rest.RESTCatalog;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * A column-mapped table with a list column, whose files carry Parquet field ids on their columns
 * and none on the list's elements — as Spark writes a table with column mapping and without
 * IcebergCompatV2. Iceberg's reader reads a file that carries any field id by its ids alone, and the
 * element's id (one the conversion gave it: Delta gave none) is in no file: reading any row threw
 * {@code IllegalArgumentException: [col-…, list, element] … is not in the store} after a 200 load,
 * where Kernel reads the rows. The load is now refused by name; the same file without field ids
 * (read through the name mapping) reads as Kernel reads it.
 */
class IcebergFieldIdsTest extends MaintenanceTestBase {

    @Test
    void aFileWithFieldIdsButNoneOnAListsElementsIsRefusedByNameWhereTheSameFileWithoutIdsReads() throws Exception {
        String withoutIds = tableWithOneFile(false);
        try (RESTCatalog client = IcebergReader.catalog(port, catalogOf(withoutIds), ADMIN_KEY)) {
            Table table = client.loadTable(TableIdentifier.of("s", "t"));
            long snapshot = IcebergReader.snapshotsByVersion(table).get(1L);
            assertThat(IcebergReader.rows(table, snapshot, IcebergFieldIdsTest::everyColumn))
                    .isEqualTo(TableRows.readEveryColumn(
                            local(withoutIds).location(), 1, local(withoutIds).engine()))
                    .hasSize(1);
        }

        String withIds = tableWithOneFile(true);
        HttpResponse<String> refused =
                http.get(IcebergRestController.BASE + "/v1/catalogs/" + catalogOf(withIds) + "/namespaces/s/tables/t");
        assertThat(refused.statusCode()).as(refused.body()).isEqualTo(422);
        JsonNode error = JSON.readTree(refused.body()).get("error");
        assertThat(error.get("error_code").asString()).isEqualTo("ICEBERG_NOT_SERVED");
        assertThat(error.get("message").asString())
                .contains("part-00000-ids.parquet")
                .contains(".list.element")
                .contains("delta.columnMapping.nested.ids");
        // Delta readers read the table as ever
        assertThat(TableRows.readEveryColumn(
                        local(withIds).location(), 1, local(withIds).engine()))
                .hasSize(1);
    }

    /** A column-mapped table {@code id long, c array<long>} and one file of the row {@code (1, [7, null])}. */
    private String tableWithOneFile(boolean fieldIds) throws Exception {
        String catalog = newCatalogWithSchemaS();
        List<Field> declared = List.of(
                new Field("id", Primitive.of("long"), true, 0, "id"),
                new Field("c", new Array(Primitive.of("long"), true), true, 0, "c"));
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("catalog_name", catalog);
        body.put("schema_name", "s");
        body.put("name", "t");
        body.put("schema", DeltaTypes.structJson(declared, false));
        body.put("partition_columns", List.of());
        body.put("properties", Map.of("delta.columnMapping.mode", "name"));
        ok(http.post("/api/v1/tables", JSON.writeValueAsString(body)), 201);
        String table = catalog + ".s.t";
        JsonNode created = get("/api/v1/tables/" + table);
        List<Field> columns = DeltaTypes.parse(created.get("schema")); // with the catalog's ids and physical names
        String name = fieldIds ? "part-00000-ids.parquet" : "part-00000-plain.parquet";
        Path file = StoragePaths.toPath(created.get("location").asString()).resolve(name);
        java.util.ArrayList<Object> list = new java.util.ArrayList<>();
        list.add(7L);
        list.add(null);
        SparkParquet.write(file, columns, List.<Object[]>of(new Object[] {1L, list}), false, fieldIds);
        if (fieldIds) {
            assertThat(SparkParquet.schema(columns, false, true).toString())
                    .as("the file carries its columns' ids")
                    .contains("= " + columns.get(0).id());
        }
        Map<String, Object> add = new LinkedHashMap<>();
        add.put("path", name);
        add.put("partitionValues", Map.of());
        add.put("size", Files.size(file));
        add.put("modificationTime", 1);
        add.put("dataChange", true);
        ok(commit(table, 0, JSON.writeValueAsString(Map.of("add", add))), 201);
        awaitPublished(table, 1);
        return table;
    }

    private static String catalogOf(String table) {
        return table.substring(0, table.indexOf('.'));
    }

    private static String everyColumn(org.apache.iceberg.data.Record record) {
        StringJoiner row = new StringJoiner("|");
        for (int f = 0; f < record.size(); f++) {
            // Iceberg renders a list as Java does ("[7, null]"), Kernel's rows without the space
            row.add(IcebergReader.render(record.get(f)).replace(", ", ","));
        }
        return row.toString();
    }
}
