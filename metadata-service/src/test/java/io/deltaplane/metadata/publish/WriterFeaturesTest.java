package io.deltaplane.metadata.publish;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.hadoop.ParquetReader;
import org.apache.parquet.hadoop.example.GroupReadSupport;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * The table features Delta 4.4 writers put on a managed table, through {@code /api/v1}: row tracking
 * (row ids assigned for the platform's writers from the high-water mark, checked for an engine's)
 * and V2 checkpoints (V2-spec classic checkpoints, read by Delta Kernel with the JSON commits
 * before them gone). A property that enables a feature brings the feature.
 */
class WriterFeaturesTest extends PublishTestBase {

    @Test
    void rowIdsAreAssignedFromTheHighWaterMarkAndCheckedWhenAWriterGivesThem() throws Exception {
        String table = newTable(Map.of("delta.enableRowTracking", "true"));
        JsonNode created = get("/api/v1/tables/" + table + "/snapshot");
        assertThat(features(created.get("protocol"), "writerFeatures")).contains("rowTracking", "domainMetadata");
        JsonNode configuration = created.get("metadata").get("configuration");
        assertThat(configuration
                        .get("delta.rowTracking.materializedRowIdColumnName")
                        .asString())
                .startsWith("_row-id-col-");
        assertThat(configuration
                        .get("delta.rowTracking.materializedRowCommitVersionColumnName")
                        .asString())
                .startsWith("_row-commit-version-col-");

        // the platform's writers send no ids: each file gets the next ones, as many as its rows
        ok(commit(table, 0, add("a.parquet", 50), add("b.parquet", 30)), 201); // 5 and 3 rows
        ok(commit(table, 1, add("c.parquet", 20)), 201); // 2 rows
        Map<String, JsonNode> files = files(table);
        assertThat(ids(files.get("a.parquet"))).containsExactly(0L, 1L);
        assertThat(ids(files.get("b.parquet"))).containsExactly(5L, 1L);
        assertThat(ids(files.get("c.parquet"))).containsExactly(8L, 2L);
        assertThat(highWaterMark(table)).isEqualTo(9);

        // what the catalog refuses, the table unchanged
        String noStats = "{\"add\":{\"path\":\"n.parquet\",\"partitionValues\":{},\"size\":1,"
                + "\"modificationTime\":1,\"dataChange\":true}}";
        var refused = commit(table, 2, noStats);
        assertProblem(refused, 400, "INVALID_ACTION");
        assertThat(refused.body()).contains("numRecords");
        var reused = commit(table, 2, withIds("r.parquet", 4, 9, 3), mark(20));
        assertProblem(reused, 400, "INVALID_ACTION");
        assertThat(reused.body()).contains("at or below");
        var lowered = commit(table, 2, mark(5));
        assertProblem(lowered, 400, "INVALID_ACTION");
        assertThat(lowered.body()).contains("never goes down");
        var uncovered = commit(table, 2, withIds("u.parquet", 4, 10, 3));
        assertProblem(uncovered, 400, "INVALID_ACTION");
        assertThat(uncovered.body()).contains("rowIdHighWaterMark");
        assertThat(version(table)).isEqualTo(2);

        // an engine's own ids, above the mark and covered by its domainMetadata, are kept as given
        ok(commit(table, 2, withIds("d.parquet", 4, 10, 3), mark(13)), 201);
        assertThat(ids(files(table).get("d.parquet"))).containsExactly(10L, 3L);
        assertThat(highWaterMark(table)).isEqualTo(13);

        // the published log carries the ids, and Kernel reads the table
        awaitPublished(table);
        assertThat(Files.readString(logDir(table).resolve(String.format("%020d.json", 1))))
                .contains("\"baseRowId\":5")
                .contains("\"rowIdHighWaterMark\\\":7");
        assertThat(KernelReader.read(location(table), null).livePaths())
                .containsExactlyInAnyOrder("a.parquet", "b.parquet", "c.parquet", "d.parquet");

        // a file recommitted in the commit that removes it keeps its ids
        ok(commit(table, 3, remove("a.parquet"), add("a.parquet", 50)), 201);
        assertThat(ids(files(table).get("a.parquet"))).containsExactly(0L, 1L);
        assertThat(highWaterMark(table)).isEqualTo(13);

        // OPTIMIZE would give rewritten rows new stable ids: refused while row tracking is enabled
        assertProblem(http.post("/api/v1/tables/" + table + "/optimize", "{}"), 422, "UNSUPPORTED_DELTA_PROTOCOL");
    }

    @Test
    void aTableWithV2CheckpointsGetsV2SpecCheckpointsKernelReadsWithoutTheJsonBeforeThem() throws Exception {
        String table = newTable(Map.of("delta.checkpointPolicy", "v2"));
        JsonNode protocol = get("/api/v1/tables/" + table + "/snapshot").get("protocol");
        assertThat(protocol.get("minReaderVersion").asInt()).isEqualTo(3);
        assertThat(features(protocol, "readerFeatures")).contains("v2Checkpoint");
        assertThat(features(protocol, "writerFeatures")).contains("v2Checkpoint");
        for (long v = 0; v < 11; v++) {
            ok(commit(table, v, add("f" + (v + 1) + ".parquet", 10)), 201);
        }
        awaitCheckpoint(table, 10);
        awaitPublished(table);

        Path checkpoint = logDir(table).resolve(String.format("%020d.checkpoint.parquet", 10));
        List<Long> checkpointVersions = new ArrayList<>();
        try (ParquetReader<Group> reader = ParquetReader.builder(
                        new GroupReadSupport(), new org.apache.hadoop.fs.Path(checkpoint.toUri()))
                .withConf(new Configuration(false))
                .build()) {
            for (Group row = reader.read(); row != null; row = reader.read()) {
                if (row.getFieldRepetitionCount("checkpointMetadata") > 0) {
                    checkpointVersions.add(row.getGroup("checkpointMetadata", 0).getLong("version", 0));
                }
            }
        }
        assertThat(checkpointVersions).as("the checkpoint's checkpointMetadata").containsExactly(10L);

        // with versions 0-9 gone from the log (as log cleanup leaves it), a reader can only start
        // from the checkpoint
        for (long v = 0; v <= 9; v++) {
            Files.delete(logDir(table).resolve(String.format("%020d.json", v)));
        }
        KernelReader.View read = KernelReader.read(location(table), null);
        assertThat(read.version()).isEqualTo(11);
        assertThat(read.livePaths()).hasSize(11);

        // the policy names a checkpoint kind, and v2 needs the feature
        String plain = newTable();
        JsonNode metadata = get("/api/v1/tables/" + plain + "/snapshot").get("metadata");
        for (String policy : List.of("v2", "v3")) {
            ((tools.jackson.databind.node.ObjectNode) metadata.get("configuration"))
                    .put("delta.checkpointPolicy", policy);
            var refused = commit(plain, 0, JSON.writeValueAsString(Map.of("metaData", metadata)));
            assertProblem(refused, 400, "INVALID_ACTION");
            assertThat(refused.body()).contains("delta.checkpointPolicy");
        }
        assertThat(version(plain)).isZero();
    }

    private static List<String> features(JsonNode protocol, String list) {
        List<String> features = new ArrayList<>();
        protocol.path(list).forEach(f -> features.add(f.asString()));
        return features;
    }

    /** The live adds by path, as the platform serves them. */
    private Map<String, JsonNode> files(String table) {
        Map<String, JsonNode> files = new HashMap<>();
        get("/api/v1/tables/" + table + "/snapshot/files?max_results=1000")
                .get("files")
                .forEach(f -> files.put(f.get("path").asString(), f));
        return files;
    }

    private static List<Long> ids(JsonNode add) {
        return List.of(
                add.get("baseRowId").asLong(),
                add.get("defaultRowCommitVersion").asLong());
    }

    private long highWaterMark(String table) {
        for (JsonNode domain : get("/api/v1/tables/" + table + "/snapshot").get("domain_metadata")) {
            if (domain.get("domain").asString().equals("delta.rowTracking")) {
                return JSON.readTree(domain.get("configuration").asString())
                        .get("rowIdHighWaterMark")
                        .asLong();
            }
        }
        return -1;
    }

    private static String withIds(String path, long rows, long baseRowId, long commitVersion) {
        return "{\"add\":{\"path\":\"" + path + "\",\"partitionValues\":{},\"size\":10,\"modificationTime\":1,"
                + "\"dataChange\":true,\"stats\":\"{\\\"numRecords\\\":" + rows + "}\",\"baseRowId\":" + baseRowId
                + ",\"defaultRowCommitVersion\":" + commitVersion + "}}";
    }

    private static String mark(long highWaterMark) {
        return "{\"domainMetadata\":{\"domain\":\"delta.rowTracking\",\"configuration\":"
                + "\"{\\\"rowIdHighWaterMark\\\":" + highWaterMark + "}\",\"removed\":false}}";
    }
}
