package io.deltaplane.metadata.maintenance;

import static org.assertj.core.api.Assertions.assertThat;

import io.deltaplane.metadata.deltalog.DeltaLogCheckpointWriter;
import io.deltaplane.storage.StoragePaths;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Deletion vectors as engines write them (Spark's DELETE, UPDATE and MERGE): a file's rows deleted
 * by a vector stored in a file next to the data, then by a vector inline in the log. The platform
 * stores, serves, publishes and checkpoints the descriptors; Delta Kernel, reading the published
 * log (and its checkpoint), applies them at every version; VACUUM keeps the vector files that
 * retained versions need; an import of the table brings them back; on S3 a reader outside gets the
 * vector's file through a signed URL.
 */
class DeletionVectorsTest extends MaintenanceTestBase {

    @Autowired
    DeltaLogCheckpointWriter checkpoints;

    @Test
    void rowsDeletedByVectorsReadAsDeletedAtEveryVersionAndVacuumKeepsTheirFiles() throws Exception {
        String table = newTable(Map.of("delta.enableDeletionVectors", "true", "delta.checkpointInterval", "3"), "day");
        Lake lake = local(table);
        assertThat(protocol(table).toString()).contains("\"deletionVectors\"");
        String path = append(lake, "2026-11-01", 0, 10); // version 1
        ObjectNode added = liveAdd(table, path);

        Path dvFile = StoragePaths.toPath(lake.location()).resolve("ab/deletion_vector_" + UUID.randomUUID() + ".bin");
        ObjectNode onDisk = onDisk(dvFile, 1, 3);
        ok(commit(table, 1, remove(added), add(added, onDisk)), 201); // version 2
        ObjectNode inline = inline(1, 3, 5);
        ok(commit(table, 2, remove(added.deepCopy().set("deletionVector", onDisk)), add(added, inline)), 201);
        awaitPublished(table, 3);
        // the publisher's checkpointer is off in these tests: its writer, run as it runs it
        UUID tableId = UUID.fromString(
                get("/api/v1/tables/" + table + "/publish").get("table_id").asString());
        assertThat(checkpoints.write(tableId, lake.location(), 3)).isPresent();
        Path checkpoint =
                StoragePaths.toPath(lake.location()).resolve("_delta_log/00000000000000000003.checkpoint.parquet");
        assertThat(tombstones(checkpoint))
                .as("a tombstone per vector the file had, as Delta keys files by path and vector")
                .containsExactlyInAnyOrder(path + " none", path + " u");

        assertThat(ids(lake, 1)).containsExactly(0, 1, 2, 3, 4, 5, 6, 7, 8, 9);
        assertThat(ids(lake, 2)).containsExactly(0, 2, 4, 5, 6, 7, 8, 9);
        assertThat(ids(lake, 3)).as("read from the checkpoint of version 3").containsExactly(0, 2, 4, 6, 7, 8, 9);
        JsonNode file =
                get("/api/v1/tables/" + table + "/snapshot/files").get("files").get(0);
        assertThat(file.toString()).contains(inline.get("pathOrInlineDv").asString());

        // the vector's file and the data file written a month ago: VACUUM keeps both (version 2 needs them)
        FileTime monthAgo = FileTime.from(Instant.now().minus(Duration.ofDays(30)));
        Files.setLastModifiedTime(dvFile, monthAgo);
        Files.setLastModifiedTime(StoragePaths.toPath(lake.location()).resolve(path), monthAgo);
        Path stray = Files.writeString(
                StoragePaths.toPath(lake.location()).resolve("ab/deletion_vector_" + UUID.randomUUID() + ".bin"), "x");
        Files.setLastModifiedTime(stray, monthAgo);
        JsonNode vacuum = ok(http.post("/api/v1/tables/" + table + "/vacuum", "{}"), 200);
        assertThat(vacuum.get("file_count").asLong())
                .as("the stray vector file only")
                .isEqualTo(1);
        assertThat(stray).doesNotExist();
        assertThat(dvFile).exists();
        assertThat(ids(lake, 2)).containsExactly(0, 2, 4, 5, 6, 7, 8, 9);

        // dropped (its files kept) and imported again: the vectors come back with the log
        assertThat(http.delete("/api/v1/tables/" + table).statusCode()).isEqualTo(204);
        String catalog = newCatalogWithSchemaS();
        ok(
                http.post(
                        "/api/v1/tables/import",
                        JSON.writeValueAsString(Map.of(
                                "catalog_name",
                                catalog,
                                "schema_name",
                                "s",
                                "name",
                                "t",
                                "location",
                                lake.location()))),
                201);
        assertThat(version(catalog + ".s.t")).isEqualTo(3);
        assertThat(get("/api/v1/tables/" + catalog + ".s.t/snapshot/files").toString())
                .contains(inline.get("pathOrInlineDv").asString());
    }

    @Test
    void onS3TheVectorsFileIsSignedWithItsDataFileAndKernelAppliesIt() throws Exception {
        String catalog = newCatalogWithSchemaS();
        String location = S3_ROOT + "/" + catalog + "/t";
        ok(
                http.post(
                        "/api/v1/tables",
                        "{\"catalog_name\":\"" + catalog + "\",\"schema_name\":\"s\",\"name\":\"t\",\"schema\":"
                                + JSON.readTree(SCHEMA) + ",\"partition_columns\":[\"day\"],\"location\":\""
                                + location + "\",\"properties\":{\"delta.enableDeletionVectors\":\"true\"}}"),
                201);
        Lake lake =
                new Lake(catalog + ".s.t", location, io.deltaplane.metadata.deltalog.DeltaKernelEngines.over(s3), s3);
        String path = append(lake, "2026-11-01", 0, 10);
        ObjectNode added = liveAdd(lake.table(), path);
        Path local = Files.createTempDirectory("dv").resolve("zz/deletion_vector_" + UUID.randomUUID() + ".bin");
        ObjectNode onDisk = onDisk(local, 0, 9);
        byte[] stored = Files.readAllBytes(local);
        s3.putIfAbsent(s3.resolve(location, "zz/" + local.getFileName()), stored);
        ok(commit(lake.table(), version(lake.table()), remove(added), add(added, onDisk)), 201);
        awaitPublished(lake.table(), version(lake.table()));

        assertThat(ids(lake, version(lake.table()))).containsExactly(1, 2, 3, 4, 5, 6, 7, 8);
        JsonNode signed = get("/api/v1/tables/" + lake.table() + "/snapshot/signed-files")
                .get("files")
                .get(0);
        assertThat(signed.at("/deletion_vector/storage_type").asString()).isEqualTo("u");
        assertThat(signed.at("/deletion_vector/cardinality").asLong()).isEqualTo(2);
        var client = java.net.http.HttpClient.newHttpClient();
        var vector = client.send(
                java.net.http.HttpRequest.newBuilder(java.net.URI.create(
                                signed.get("deletion_vector_url").asString()))
                        .build(),
                java.net.http.HttpResponse.BodyHandlers.ofByteArray());
        assertThat(vector.statusCode()).isEqualTo(200);
        assertThat(vector.body())
                .as("the vector's file, read with the signed URL")
                .isEqualTo(stored);
    }

    @Test
    void vectorsNeedTheFeatureAndAWellFormedDescriptor() {
        String table = newTable("day");
        Lake lake = local(table);
        String path = append(lake, "2026-11-01", 0, 10);
        ObjectNode added = liveAdd(table, path);
        long version = version(table);

        var refused = commit(table, version, remove(added), add(added, inline(1)));
        assertThat(refused.statusCode()).isEqualTo(400);
        assertThat(refused.body()).contains("deletionVectors feature");
        var enabling = commit(
                table,
                version,
                "{\"metaData\":"
                        + get("/api/v1/tables/" + table + "/snapshot")
                                .get("metadata")
                                .toString()
                                .replace(
                                        "\"configuration\":{",
                                        "\"configuration\":{\"delta.enableDeletionVectors\":\"true\",")
                        + "}");
        assertThat(enabling.statusCode()).isEqualTo(400);
        assertThat(enabling.body()).contains("delta.enableDeletionVectors=true needs");

        String withFeature = newTable(Map.of("delta.enableDeletionVectors", "true"), "day");
        Lake other = local(withFeature);
        ObjectNode otherAdd = liveAdd(withFeature, append(other, "2026-11-01", 0, 10));
        long otherVersion = version(withFeature);
        for (String bad : List.of(
                "{\"storageType\":\"x\",\"pathOrInlineDv\":\"abc\",\"sizeInBytes\":1,\"cardinality\":1}",
                "{\"storageType\":\"u\",\"pathOrInlineDv\":\"../../etc/passwd0000000000000000000\",\"sizeInBytes\":1,"
                        + "\"cardinality\":1}",
                "{\"storageType\":\"p\",\"pathOrInlineDv\":\"file:///etc/passwd\",\"offset\":1,\"sizeInBytes\":1,"
                        + "\"cardinality\":1}",
                "{\"storageType\":\"i\",\"pathOrInlineDv\":\"wi5b=000010000siXQKl0rr91000f55c8Xg0@@D72lkbi5=-{L\","
                        + "\"offset\":1,\"sizeInBytes\":36,\"cardinality\":2}",
                "{\"storageType\":\"i\",\"pathOrInlineDv\":\"wi5b=000010000siXQKl0rr91000f55c8Xg0@@D72lkbi5=-{L\","
                        + "\"sizeInBytes\":36,\"cardinality\":-2}")) {
            var answer =
                    commit(withFeature, otherVersion, remove(otherAdd), add(otherAdd, (ObjectNode) JSON.readTree(bad)));
            assertThat(answer.statusCode()).as(bad).isEqualTo(400);
            assertThat(answer.body()).as(bad).contains("deletionVector");
        }
        assertThat(version(withFeature)).isEqualTo(otherVersion);
        assertThat(version(table)).isEqualTo(version);
    }

    /** The checkpoint's remove rows, as path and vector storage type. */
    private static List<String> tombstones(Path checkpoint) throws Exception {
        List<String> rows = new java.util.ArrayList<>();
        try (var duckdb = java.sql.DriverManager.getConnection("jdbc:duckdb:");
                var sql = duckdb.createStatement();
                var result = sql.executeQuery("SELECT remove.path, coalesce(remove.deletionVector.storageType, 'none')"
                        + " FROM read_parquet('" + checkpoint + "') WHERE remove IS NOT NULL")) {
            while (result.next()) {
                rows.add(result.getString(1) + " " + result.getString(2));
            }
        }
        return rows;
    }

    private JsonNode protocol(String table) {
        return get("/api/v1/tables/" + table + "/snapshot").get("protocol");
    }

    private ObjectNode liveAdd(String table, String path) {
        return DeletionVectorFixtures.liveAdd(get("/api/v1/tables/" + table + "/snapshot/files"), path);
    }

    private static String add(ObjectNode add, ObjectNode vector) {
        return DeletionVectorFixtures.addWith(add, vector);
    }

    private static String remove(JsonNode add) {
        return DeletionVectorFixtures.removeOf(add);
    }

    /** The ids of the rows Kernel reads at {@code version}. */
    private static List<Integer> ids(Lake lake, long version) {
        return TableRows.read(lake.location(), version, lake.engine()).stream()
                .map(row -> Integer.parseInt(row.substring(0, row.indexOf('|'))))
                .sorted()
                .toList();
    }

    private static ObjectNode inline(int... rows) {
        return DeletionVectorFixtures.inline(rows);
    }

    private static ObjectNode onDisk(Path file, int... rows) throws IOException {
        return DeletionVectorFixtures.onDisk(file, rows);
    }
}
