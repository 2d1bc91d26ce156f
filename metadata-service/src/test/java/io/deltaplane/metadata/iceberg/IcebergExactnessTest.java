package io.deltaplane.metadata.iceberg;

import static org.assertj.core.api.Assertions.assertThat;

import io.deltaplane.metadata.maintenance.DeletionVectorFixtures;
import io.deltaplane.metadata.maintenance.MaintenanceTestBase;
import io.deltaplane.metadata.maintenance.TableRows;
import io.deltaplane.testing.IcebergReader;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.apache.iceberg.PartitionField;
import org.apache.iceberg.PartitionSpec;
import org.apache.iceberg.Partitioning;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.rest.RESTCatalog;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * What Iceberg's Java client reads is what Delta Kernel reads, version by version, where the
 * conversion used to hand readers wrong rows with a 200: files removed in the version that changes
 * the partition columns (they were added under the earlier spec), a spec on another column (its
 * partition field ids unique across specs), OPTIMIZE (Iceberg's {@code replace}, not an
 * overwrite), and a conversion that cannot succeed (refused by name, never older metadata).
 */
class IcebergExactnessTest extends MaintenanceTestBase {

    private RESTCatalog iceberg(String table) {
        return IcebergReader.catalog(port, table.substring(0, table.indexOf('.')), ADMIN_KEY);
    }

    /** Every version's rows as Iceberg's client reads its snapshot and as Kernel reads the version. */
    private void assertEveryVersionReadsAsKernel(Lake lake, Table table, long latest) {
        Map<Long, Long> snapshots = IcebergReader.snapshotsByVersion(table);
        Map<Long, List<String>> iceberg = new TreeMap<>();
        Map<Long, List<String>> kernel = new TreeMap<>();
        for (long v = 0; v <= latest; v++) {
            assertThat(snapshots).as("a snapshot for version %d", v).containsKey(v);
            iceberg.put(
                    v,
                    IcebergReader.rows(
                            table,
                            snapshots.get(v),
                            record -> String.format(
                                    "%08d|%s|%s",
                                    (Long) record.getField("id"),
                                    record.getField("day"),
                                    IcebergReader.render(record.getField("amount")))));
            kernel.put(v, TableRows.read(lake.location(), v, lake.engine()));
        }
        assertThat(iceberg).isEqualTo(kernel);
    }

    @Test
    void filesRemovedWhereThePartitionColumnsChangeAreGoneForIcebergToo() throws Exception {
        Lake lake = lake("local");
        String first = append(lake, "2026-11-01", 0, 10);
        String second = append(lake, "2026-11-02", 100, 5);
        // version 3 is unpartitioned and removes every file, which were added under the day spec
        ok(
                commit(
                        lake.table(),
                        2,
                        metaDataAction(lake.table(), null, List.of(), Map.of()),
                        remove(first),
                        remove(second)),
                201);
        // version 4 partitions by id: a new spec on another column
        ok(commit(lake.table(), 3, metaDataAction(lake.table(), null, List.of("id"), Map.of())), 201);
        // version 5 a one-row file in its id partition, version 6 removes it again
        var file = TableRows.write(lake.engine(), lake.location() + "/id=500", 500, 1);
        String path = "id=500/" + file.getPath().substring(file.getPath().lastIndexOf('/') + 1);
        Map<String, Object> add = new LinkedHashMap<>();
        add.put("path", path);
        add.put("partitionValues", Map.of("id", "500"));
        add.put("size", file.getSize());
        add.put("modificationTime", file.getModificationTime());
        add.put("dataChange", true);
        add.put("stats", file.getStatistics().orElseThrow().serializeAsJson(TableRows.DATA));
        ok(commit(lake.table(), 4, JSON.writeValueAsString(Map.of("add", add))), 201);
        ok(commit(lake.table(), 5, remove(path)), 201);
        awaitPublished(lake.table(), 6);

        try (RESTCatalog client = iceberg(lake.table())) {
            Table table = client.loadTable(TableIdentifier.of("s", "t"));
            assertEveryVersionReadsAsKernel(lake, table, 6);
            assertThat(TableRows.read(lake.location(), 3, lake.engine())).isEmpty();

            // partition field ids: one per source column and transform, never reused for another
            Map<Integer, String> fieldSources = new java.util.HashMap<>();
            for (PartitionSpec spec : table.specs().values()) {
                for (PartitionField field : spec.fields()) {
                    String source = field.sourceId() + "/" + field.transform();
                    assertThat(fieldSources.putIfAbsent(field.fieldId(), source))
                            .as("partition field id %d", field.fieldId())
                            .isIn(null, source);
                }
            }
            assertThat(fieldSources).hasSize(2);
            // what Iceberg's partitions metadata table and Spark's _partition column build on
            assertThat(Partitioning.partitionType(table).fields()).hasSize(2);
        }
    }

    @Test
    void optimizeIsAReplaceThatLeavesNoFileLiveTwice() throws Exception {
        Lake lake = lake("local");
        append(lake, "2026-11-01", 0, 10);
        append(lake, "2026-11-01", 100, 10);
        append(lake, "2026-11-02", 200, 5);
        JsonNode optimized = ok(http.post("/api/v1/tables/" + lake.table() + "/optimize", "{}"), 200);
        assertThat(optimized.get("partitions_optimized").asInt()).isEqualTo(1);
        long latest = version(lake.table());
        assertThat(latest).isEqualTo(4);
        append(lake, "2026-11-01", 300, 3);
        awaitPublished(lake.table(), latest + 1);

        try (RESTCatalog client = iceberg(lake.table())) {
            Table table = client.loadTable(TableIdentifier.of("s", "t"));
            assertEveryVersionReadsAsKernel(lake, table, latest + 1);
            Map<Long, Long> snapshots = IcebergReader.snapshotsByVersion(table);
            // incremental readers (Spark streaming, Flink) skip a replace, as they skip Iceberg's compactions
            assertThat(table.snapshot(snapshots.get(latest)).operation()).isEqualTo("replace");
            assertThat(table.snapshot(snapshots.get(latest + 1)).operation()).isEqualTo("append");
            Set<String> live = new HashSet<>();
            List<String> planned = new ArrayList<>();
            try (var tasks = table.newScan().planFiles()) {
                tasks.forEach(task -> planned.add(task.file().location()));
            }
            live.addAll(planned);
            assertThat(planned).hasSize(live.size()).hasSize(3);
        }
    }

    @Test
    void aRewriteOfAFileWithADeletionVectorIsAReplaceThatTakesTheVectorAlong() throws Exception {
        String name = newTable(Map.of("delta.enableDeletionVectors", "true"), "day");
        Lake lake = local(name);
        String path = append(lake, "2026-11-01", 0, 10); // version 1
        ObjectNode added = DeletionVectorFixtures.liveAdd(get("/api/v1/tables/" + name + "/snapshot/files"), path);
        ObjectNode vector = DeletionVectorFixtures.inline(7, 8, 9);
        ok(commit(name, 1, DeletionVectorFixtures.removeOf(added), DeletionVectorFixtures.addWith(added, vector)), 201);
        // version 3: the file and its vector rewritten as one file of the rows left (a purge, as
        // Spark's REORG ... APPLY (PURGE) commits it): dataChange false on both sides
        var file = TableRows.write(lake.engine(), lake.location() + "/day=2026-11-01", 0, 7);
        Map<String, Object> add = new LinkedHashMap<>();
        add.put(
                "path",
                "day=2026-11-01/" + file.getPath().substring(file.getPath().lastIndexOf('/') + 1));
        add.put("partitionValues", Map.of("day", "2026-11-01"));
        add.put("size", file.getSize());
        add.put("modificationTime", file.getModificationTime());
        add.put("dataChange", false);
        add.put("stats", file.getStatistics().orElseThrow().serializeAsJson(TableRows.DATA));
        String purge = DeletionVectorFixtures.removeOf(added.deepCopy().set("deletionVector", vector))
                .replace("\"dataChange\":true", "\"dataChange\":false");
        ok(commit(name, 2, purge, JSON.writeValueAsString(Map.of("add", add))), 201);
        awaitPublished(name, 3);

        try (RESTCatalog client = iceberg(name)) {
            Table table = client.loadTable(TableIdentifier.of("s", "t"));
            assertEveryVersionReadsAsKernel(lake, table, 3);
            long purged = IcebergReader.snapshotsByVersion(table).get(3L);
            assertThat(table.snapshot(purged).operation()).isEqualTo("replace");
            try (var tasks = table.newScan().useSnapshot(purged).planFiles()) {
                List<Integer> deletes = new ArrayList<>();
                tasks.forEach(task -> deletes.add(task.deletes().size()));
                assertThat(deletes)
                        .as("one file, its vector gone with the file it deleted from")
                        .containsExactly(0);
            }
        }
    }

    @Test
    void aColumnMappedTableWhosePartitionColumnIsRenamedThenOptimizedReadsAsKernel() throws Exception {
        String name = newTable(Map.of("delta.columnMapping.mode", "name"), "day");
        Lake lake = local(name);
        JsonNode created = get("/api/v1/tables/" + name);
        Map<String, String> physical = new LinkedHashMap<>();
        for (JsonNode field : created.get("schema").get("fields")) {
            physical.put(
                    field.get("name").asString(),
                    field.get("metadata")
                            .get("delta.columnMapping.physicalName")
                            .asString());
        }
        appendMapped(lake, physical, "2026-11-01", 0, 4); // versions 1-3
        appendMapped(lake, physical, "2026-11-01", 10, 3);
        appendMapped(lake, physical, "2026-11-02", 20, 2);
        // version 4: the partition column renamed; its files keep their physical name and values
        tools.jackson.databind.node.ObjectNode schema =
                (tools.jackson.databind.node.ObjectNode) created.get("schema").deepCopy();
        for (JsonNode field : schema.get("fields")) {
            if (field.get("name").asString().equals("day")) {
                ((tools.jackson.databind.node.ObjectNode) field).put("name", "sale_day");
            }
        }
        ok(commit(name, 3, metaDataAction(name, schema.toString(), List.of("sale_day"), Map.of())), 201);
        // version 5: OPTIMIZE compacts the two files of 2026-11-01
        ok(http.post("/api/v1/tables/" + name + "/optimize", "{}"), 200);
        assertThat(version(name)).isEqualTo(5);
        awaitPublished(name, 5);

        try (RESTCatalog client = iceberg(name)) {
            Table table = client.loadTable(TableIdentifier.of("s", "t"));
            Map<Long, Long> snapshots = IcebergReader.snapshotsByVersion(table);
            for (long v = 1; v <= 5; v++) {
                List<String> iceberg = IcebergReader.rows(table, snapshots.get(v), record -> {
                    java.util.StringJoiner row = new java.util.StringJoiner("|");
                    for (int f = 0; f < record.size(); f++) {
                        row.add(IcebergReader.render(record.get(f)));
                    }
                    return row.toString();
                });
                assertThat(iceberg)
                        .as("version %d", v)
                        .isEqualTo(TableRows.readEveryColumn(lake.location(), v, lake.engine()));
            }
            assertThat(IcebergReader.rows(table, snapshots.get(5L), "id")).hasSize(9);
            assertThat(table.snapshot(snapshots.get(5L)).operation()).isEqualTo("replace");
            assertThat(table.specs())
                    .as("a renamed partition column is the same spec")
                    .hasSize(1);
        }
    }

    private void appendMapped(Lake lake, Map<String, String> physical, String day, long first, int count) {
        var file = TableRows.write(
                lake.engine(), lake.location(), first, count, physical.get("id"), physical.get("amount"));
        Map<String, Object> add = new LinkedHashMap<>();
        add.put("path", file.getPath().substring(file.getPath().lastIndexOf('/') + 1));
        add.put("partitionValues", Map.of(physical.get("day"), day));
        add.put("size", file.getSize());
        add.put("modificationTime", file.getModificationTime());
        add.put("dataChange", true);
        ok(commit(lake.table(), version(lake.table()), JSON.writeValueAsString(Map.of("add", add))), 201);
    }

    @Test
    void aTableBehindByManyVersionsIsBroughtCurrentInOnePassWithEveryVersionInItsHistory() throws Exception {
        Lake lake = lake("local");
        int versions = 12;
        for (int i = 0; i < versions; i++) {
            append(lake, "2026-11-0" + (1 + i % 3), i * 10L, 2);
        }
        awaitPublished(lake.table(), versions);
        Map<Long, Long> committedAt = new java.util.HashMap<>();
        for (JsonNode commit :
                get("/api/v1/tables/" + lake.table() + "/history").get("commits")) {
            committedAt.put(
                    commit.get("version").asLong(),
                    java.time.Instant.parse(commit.get("timestamp").asString()).toEpochMilli());
        }
        // the first load converts versions 0..12: the backfill, then one pass
        try (RESTCatalog client = iceberg(lake.table())) {
            Table table = client.loadTable(TableIdentifier.of("s", "t"));
            var metadata =
                    ((org.apache.iceberg.HasTableOperations) table).operations().current();
            assertThat(metadata.previousFiles())
                    .as("metadata files written: made, backfilled, then one for the %d versions", versions)
                    .hasSize(2);
            assertThat(metadata.snapshotLog())
                    .as("every version was current once")
                    .hasSize(versions + 1);
            assertEveryVersionReadsAsKernel(lake, table, versions);
            Map<Long, Long> snapshots = IcebergReader.snapshotsByVersion(table);
            for (long v = 0; v <= versions; v++) {
                assertThat(table.snapshot(snapshots.get(v)).timestampMillis()).isEqualTo(committedAt.get(v));
                long asOf = org.apache.iceberg.util.SnapshotUtil.snapshotIdAsOfTime(table, committedAt.get(v));
                long found = Long.parseLong(table.snapshot(asOf).summary().get("deltaplane.delta-version"));
                assertThat(committedAt.get(found))
                        .as("version %d by its time", v)
                        .isEqualTo(committedAt.get(v));
            }
        }
    }

    @Test
    void aConversionThatCannotSucceedIsRefusedByNameNeverAnsweredWithOlderMetadata() {
        Lake lake = lake("local");
        append(lake, "2026-11-01", 0, 3);
        String path = IcebergRestController.BASE + "/v1/catalogs/"
                + lake.table().substring(0, lake.table().indexOf('.')) + "/namespaces/s/tables/t";
        assertThat(http.get(path).statusCode()).isEqualTo(200);
        // a partition value that is no date of a string column would pass; this one is no long
        String table = newTable("id");
        ok(
                commit(
                        table,
                        0,
                        "{\"add\":{\"path\":\"id=twelve/part-0.parquet\",\"partitionValues\":{\"id\":\"twelve\"},"
                                + "\"size\":10,\"modificationTime\":1,\"dataChange\":true,"
                                + "\"stats\":\"{\\\"numRecords\\\":1}\"}}"),
                201);
        String broken = IcebergRestController.BASE + "/v1/catalogs/" + table.substring(0, table.indexOf('.'))
                + "/namespaces/s/tables/" + table.substring(table.lastIndexOf('.') + 1);
        HttpResponse<String> refused = http.get(broken);
        assertThat(refused.statusCode()).as(refused.body()).isEqualTo(500);
        JsonNode error = JSON.readTree(refused.body()).get("error");
        assertThat(error.get("error_code").asString()).isEqualTo("ICEBERG_CONVERSION_FAILED");
        assertThat(error.get("type").asString()).isEqualTo("ServiceFailureException");
        assertThat(error.get("message").asString()).contains("Delta version 1").contains("'twelve'");
        // and again: the failure is the table's, not the moment's
        assertThat(http.get(broken).statusCode()).isEqualTo(500);
        JsonNode status = get("/api/v1/tables/" + table + "/publish").get("iceberg");
        assertThat(status.get("last_error").asString()).contains("twelve");
    }
}
