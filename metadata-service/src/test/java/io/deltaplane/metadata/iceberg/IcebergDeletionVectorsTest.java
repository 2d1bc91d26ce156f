package io.deltaplane.metadata.iceberg;

import static org.assertj.core.api.Assertions.assertThat;

import io.deltaplane.metadata.maintenance.DeletionVectorFixtures;
import io.deltaplane.metadata.maintenance.MaintenanceTestBase;
import io.deltaplane.metadata.maintenance.TableRows;
import io.deltaplane.storage.StoragePaths;
import io.deltaplane.testing.IcebergReader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.iceberg.FileScanTask;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.io.CloseableIterable;
import org.apache.iceberg.rest.RESTCatalog;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.node.ObjectNode;

/**
 * Delta deletion vectors as Iceberg v3 deletion vectors: rows a vector deletes (in a file of Delta's
 * format, then inline in the log) are deleted for Iceberg readers at every version as for Delta
 * Kernel; a file's vector replaced by a newer one leaves one vector on the file; a file removed takes
 * its vector along; tables converted before (a backfill from a version with vectors) read the same.
 */
class IcebergDeletionVectorsTest extends MaintenanceTestBase {

    @Test
    void rowsDeletedByVectorsAreDeletedForIcebergReadersAtEveryVersion() throws Exception {
        String name = newTable(Map.of("delta.enableDeletionVectors", "true"), "day");
        Lake lake = local(name);
        String path = append(lake, "2026-11-01", 0, 10); // version 1
        append(lake, "2026-11-02", 100, 5); // version 2: a file without a vector throughout
        ObjectNode added = DeletionVectorFixtures.liveAdd(get("/api/v1/tables/" + name + "/snapshot/files"), path);

        Path vectorFile =
                StoragePaths.toPath(lake.location()).resolve("ab/deletion_vector_" + UUID.randomUUID() + ".bin");
        ObjectNode onDisk = DeletionVectorFixtures.onDisk(vectorFile, 1, 3);
        ok(
                commit(name, 2, DeletionVectorFixtures.removeOf(added), DeletionVectorFixtures.addWith(added, onDisk)),
                201); // version 3
        ObjectNode inline = DeletionVectorFixtures.inline(1, 3, 5);
        ok(
                commit(
                        name,
                        3,
                        DeletionVectorFixtures.removeOf(added.deepCopy().set("deletionVector", onDisk)),
                        DeletionVectorFixtures.addWith(added, inline)),
                201); // version 4
        ok(commit(name, 4, DeletionVectorFixtures.removeOf(added.deepCopy().set("deletionVector", inline))), 201);
        awaitPublished(name, 5);

        String catalog = name.substring(0, name.indexOf('.'));
        try (RESTCatalog client = IcebergReader.catalog(port, catalog, ADMIN_KEY)) {
            Table table = client.loadTable(TableIdentifier.of("s", "t"));
            assertThat(((org.apache.iceberg.HasTableOperations) table)
                            .operations()
                            .current()
                            .formatVersion())
                    .isEqualTo(3);
            Map<Long, Long> snapshots = IcebergReader.snapshotsByVersion(table);
            for (long v = 1; v <= 5; v++) {
                assertThat(snapshots).as("an Iceberg snapshot of version %d", v).containsKey(v);
                assertThat(IcebergReader.rows(table, snapshots.get(v), "id"))
                        .as("version %d", v)
                        .isEqualTo(kernelIds(lake, v));
            }
            assertThat(IcebergReader.rows(table, snapshots.get(4L), "id"))
                    .as("rows 1, 3 and 5 of the first file deleted by the inline vector")
                    .hasSize(10 - 3 + 5)
                    .doesNotContain("1", "3", "5");
            // one vector per data file at each version: the replaced one is gone
            assertThat(deletesOf(table, snapshots.get(3L))).containsExactly(1L);
            assertThat(deletesOf(table, snapshots.get(4L))).containsExactly(1L);
            assertThat(deletesOf(table, snapshots.get(5L))).isEmpty();
            // read from the delete manifests themselves, which planning (above) cannot show: a vector
            // left live after its data file was removed would be listed here
            assertThat(liveDeleteFiles(table, snapshots.get(3L))).hasSize(1);
            assertThat(liveDeleteFiles(table, snapshots.get(4L))).hasSize(1);
            assertThat(liveDeleteFiles(table, snapshots.get(5L)))
                    .as("the removed file's vector went with it")
                    .isEmpty();
        }

        // a table first converted at a version with a vector (a backfill) reads the same
        String again = newTable(Map.of("delta.enableDeletionVectors", "true"), "day");
        Lake second = local(again);
        String file = append(second, "2026-11-01", 0, 10);
        ObjectNode live = DeletionVectorFixtures.liveAdd(get("/api/v1/tables/" + again + "/snapshot/files"), file);
        ok(
                commit(
                        again,
                        1,
                        DeletionVectorFixtures.removeOf(live),
                        DeletionVectorFixtures.addWith(live, DeletionVectorFixtures.inline(0, 9))),
                201);
        awaitPublished(again, 2);
        try (RESTCatalog client = IcebergReader.catalog(port, again.substring(0, again.indexOf('.')), ADMIN_KEY)) {
            Table table = client.loadTable(TableIdentifier.of("s", "t"));
            assertThat(IcebergReader.rows(table, table.currentSnapshot().snapshotId(), "id"))
                    .isEqualTo(kernelIds(second, 2))
                    .hasSize(8);
        }
    }

    /** The ids Kernel reads at {@code version}, rendered as {@link IcebergReader#rows} renders them. */
    private static List<String> kernelIds(Lake lake, long version) {
        return TableRows.read(lake.location(), version, lake.engine()).stream()
                .map(row -> Long.toString(Long.parseLong(row.substring(0, row.indexOf('|')))))
                .sorted()
                .toList();
    }

    /** Every live entry of the snapshot's delete manifests (ADDED or EXISTING), by location. */
    private static List<String> liveDeleteFiles(Table table, long snapshotId) throws java.io.IOException {
        List<String> live = new ArrayList<>();
        for (org.apache.iceberg.ManifestFile manifest :
                table.snapshot(snapshotId).deleteManifests(table.io())) {
            try (org.apache.iceberg.ManifestReader<org.apache.iceberg.DeleteFile> reader =
                    org.apache.iceberg.ManifestFiles.readDeleteManifest(manifest, table.io(), table.specs())) {
                for (org.apache.iceberg.DeleteFile file : reader) {
                    live.add(file.location());
                }
            }
        }
        return live;
    }

    /** The number of delete files on each planned data file that has any. */
    private static List<Long> deletesOf(Table table, long snapshotId) throws java.io.IOException {
        List<Long> counts = new ArrayList<>();
        try (CloseableIterable<FileScanTask> tasks =
                table.newScan().useSnapshot(snapshotId).planFiles()) {
            for (FileScanTask task : tasks) {
                if (!task.deletes().isEmpty()) {
                    counts.add((long) task.deletes().size());
                }
            }
        }
        return counts;
    }
}
