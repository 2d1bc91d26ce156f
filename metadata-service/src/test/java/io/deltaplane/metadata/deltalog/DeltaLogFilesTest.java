package io.deltaplane.metadata.deltalog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** The names and bytes of the files written to {@code _delta_log}. */
class DeltaLogFilesTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    @Test
    void commitAndCheckpointFilesAreNamedByTheirVersionInTwentyDigits() {
        assertThat(DeltaLogNames.commitFile(0)).isEqualTo("_delta_log/00000000000000000000.json");
        assertThat(DeltaLogNames.commitFile(7)).isEqualTo("_delta_log/00000000000000000007.json");
        assertThat(DeltaLogNames.commitFile(Long.MAX_VALUE)).isEqualTo("_delta_log/09223372036854775807.json");
        assertThat(DeltaLogNames.checkpointFile(120)).isEqualTo("_delta_log/00000000000000000120.checkpoint.parquet");
        assertThat(DeltaLogNames.commitVersion("00000000000000000120.json")).hasValue(120);
        assertThatThrownBy(() -> DeltaLogNames.commitFile(-1)).isInstanceOf(IllegalArgumentException.class);
    }

    /**
     * Files published by an earlier release are compared byte for byte with a new rendering (a
     * re-publish after a crash, a reconcile that checks content): the streamed rendering must give
     * exactly the bytes of the tree-based one it replaced, as Postgres returns the stored jsonb.
     */
    @Test
    void aVersionRendersAsTheTreeBasedRenderingDid() {
        List<String> stored = List.of(
                "[{\"commitInfo\": {\"timestamp\": 1700000000123, \"operation\": \"WRITE\", \"inCommitTimestamp\":"
                        + " 1700000000123}}, {\"add\": {\"path\": \"part-0.parquet\", \"size\": 1000, \"stats\":"
                        + " \"{\\\"numRecords\\\":100,\\\"minValues\\\":{\\\"id\\\":1.5e-7}}\", \"dataChange\": true,"
                        + " \"partitionValues\": {\"d\": null}, \"modificationTime\": 1700000000000}}]",
                "[{\"commitInfo\": {\"x\": 1.0, \"y\": -0.000001, \"z\": 12345678901234567890123, \"w\": 1e300}},"
                        + " {\"metaData\": {\"id\": \"\\u00e9t\\u00e9 \\\"q\\\" \\\\ \\t\\n\", \"format\":"
                        + " {\"provider\": \"parquet\", \"options\": {}}, \"configuration\": {}, \"partitionColumns\": []}}]",
                "[{\"remove\": {\"path\": \"a b%20c/\u00fc.parquet\", \"dataChange\": false,"
                        + " \"deletionTimestamp\": 9223372036854775807}}, {\"txn\": {\"appId\": \"app\", \"version\": 3}},"
                        + " {\"domainMetadata\": {\"domain\": \"d\", \"configuration\": \"{}\", \"removed\": false}},"
                        + " {\"protocol\": {\"minReaderVersion\": 3, \"minWriterVersion\": 7, \"readerFeatures\": [],"
                        + " \"writerFeatures\": [\"inCommitTimestamp\", \"appendOnly\"]}}]");
        for (String actions : stored) {
            assertThat(new String(DeltaLogJson.render(actions), StandardCharsets.UTF_8))
                    .isEqualTo(new String(treeRendering(actions), StandardCharsets.UTF_8));
        }
    }

    @Test
    void storedActionsThatAreNotANonEmptyArrayAreRefused() {
        for (String bad : List.of("[]", "{}", "[{\"add\": {}}")) {
            assertThatThrownBy(() -> DeltaLogJson.render(bad)).isInstanceOf(RuntimeException.class);
        }
    }

    /** The rendering before streaming: every action read into a tree, then written compactly. */
    private static byte[] treeRendering(String actionsJson) {
        JsonNode actions = JSON.readTree(actionsJson);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (JsonNode action : actions) {
            out.writeBytes(JSON.writeValueAsBytes(action));
            out.write('\n');
        }
        return out.toByteArray();
    }
}
