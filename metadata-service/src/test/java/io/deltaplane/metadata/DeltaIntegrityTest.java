package io.deltaplane.metadata;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.node.ObjectNode;

/**
 * Delta protocol rules a reader relies on, enforced at commit: append-only tables, partition
 * columns fixed while files are live, and features the platform does not implement refused with a
 * 400 that says so (nothing stored).
 */
class DeltaIntegrityTest extends MetadataTestBase {

    @Test
    void anAppendOnlyTableTakesNoRemoveThatChangesData() {
        String table = newTable(Map.of("delta.appendOnly", "true"));
        ok(commit(table, 0, add("a.parquet", 10), add("b.parquet", 10)), 201);
        assertProblem(commit(table, 1, remove("a.parquet")), 400, "INVALID_ACTION");
        assertThat(version(table)).isEqualTo(1);
        // compaction (dataChange false) is allowed
        String compaction = "{\"remove\":{\"path\":\"a.parquet\",\"dataChange\":false}}";
        ok(commit(table, 1, compaction, add("c.parquet", 10)), 201);
        assertThat(livePaths(table, null, 100)).containsExactlyInAnyOrder("b.parquet", "c.parquet");
    }

    @Test
    void partitionColumnsChangeOnlyWithoutLiveFiles() {
        String table = newTable("day");
        ok(commit(table, 0, add("day=1/a.parquet", 10, Map.of("day", "1"))), 201);
        ObjectNode metadata = (ObjectNode)
                get("/api/v1/tables/" + table + "/snapshot").get("metadata").deepCopy();
        metadata.putArray("partitionColumns");
        String unpartition = JSON.writeValueAsString(Map.of("metaData", metadata));
        var refused = commit(table, 1, unpartition);
        assertProblem(refused, 400, "INVALID_ACTION");
        assertThat(refused.body()).contains("partition columns");
        assertThat(version(table)).isEqualTo(1);
        // removing every live file in the same commit makes it a clean repartitioning
        ok(commit(table, 1, unpartition, remove("day=1/a.parquet")), 201);
        assertThat(get("/api/v1/tables/" + table + "/snapshot")
                        .get("metadata")
                        .get("partitionColumns")
                        .isEmpty())
                .isTrue();
    }

    @Test
    void anAddWithADeletionVectorIsRefusedWithoutTheFeature() {
        String table = newTable();
        String add = "{\"add\":{\"path\":\"a.parquet\",\"partitionValues\":{},\"size\":10,\"modificationTime\":1,"
                + "\"dataChange\":true,\"deletionVector\":{\"storageType\":\"i\",\"pathOrInlineDv\":\"wi5b=000010000siXQKl0rr91000f55c8Xg0@@D72lkbi5=-{L\","
                + "\"sizeInBytes\":40,\"cardinality\":6}}}";
        var refused = commit(table, 0, add);
        assertProblem(refused, 400, "INVALID_ACTION");
        assertThat(refused.body()).contains("deletionVectors feature");
        assertThat(version(table)).isZero();
    }

    /**
     * Features Delta 4.4 writers put on tables that the platform does not implement are refused
     * with a 400 naming the feature (as reader and writer feature where the protocol lists them
     * both, as writer feature otherwise), and nothing is committed.
     */
    @Test
    void unimplementedFeaturesAreRefused() {
        String table = newTable();
        List<String> readerAndWriter = List.of("typeWidening", "variantType", "collations-preview");
        List<String> writerOnly =
                List.of("clustering", "identityColumns", "checkConstraints", "generatedColumns", "allowColumnDefaults");
        // each feature, and what its protocol was answered
        Map<String, String> answered = new LinkedHashMap<>();
        for (String feature : readerAndWriter) {
            String protocol = "{\"protocol\":{\"minReaderVersion\":3,\"minWriterVersion\":7," + "\"readerFeatures\":[\""
                    + feature + "\"],\"writerFeatures\":[\"" + feature + "\"]}}";
            answered.put(feature, refusal(commit(table, 0, protocol), feature));
        }
        for (String feature : writerOnly) {
            String protocol = "{\"protocol\":{\"minReaderVersion\":1,\"minWriterVersion\":7,"
                    + "\"writerFeatures\":[\"appendOnly\",\"invariants\",\"inCommitTimestamp\",\"" + feature + "\"]}}";
            answered.put(feature, refusal(commit(table, 0, protocol), feature));
        }
        Map<String, String> refusedByName = new LinkedHashMap<>();
        readerAndWriter.forEach(f -> refusedByName.put(f, "400 INVALID_ACTION naming " + f));
        writerOnly.forEach(f -> refusedByName.put(f, "400 INVALID_ACTION naming " + f));
        assertThat(answered).containsExactlyEntriesOf(refusedByName);
        assertThat(version(table)).isZero();
        // a protocol of the same shape with features the platform implements is taken
        ok(
                commit(
                        table,
                        0,
                        "{\"protocol\":{\"minReaderVersion\":1,\"minWriterVersion\":7,\"writerFeatures\":"
                                + "[\"appendOnly\",\"invariants\",\"inCommitTimestamp\",\"domainMetadata\"]}}"),
                201);
        assertThat(version(table)).isEqualTo(1);
    }

    /**
     * A legacy protocol implies features by its writer version alone (3: check constraints, 4:
     * generated columns, 6: identity columns; Spark's {@code ADD CONSTRAINT} writes 1/3), so a
     * metaData that uses one is refused by what it uses: a constraint property, a generation
     * expression, an identity column, a column default — each a 400 naming the feature.
     */
    @Test
    void aMetaDataThatUsesAnUnimplementedFeatureIsRefusedWhateverTheProtocol() {
        String table = newTable(Map.of("delta.enableInCommitTimestamps", "false")); // protocol 1/2
        ok(commit(table, 0, "{\"protocol\":{\"minReaderVersion\":1,\"minWriterVersion\":6}}"), 201);
        Map<String, String> fieldMetadata = Map.of(
                "generatedColumns", "{\"delta.generationExpression\":\"id * 2\"}",
                "identityColumns", "{\"delta.identity.start\":1,\"delta.identity.step\":1}",
                "allowColumnDefaults", "{\"CURRENT_DEFAULT\":\"0\"}");
        // each feature, and what the metaData that uses it was answered
        Map<String, String> answered = new java.util.TreeMap<>();
        for (Map.Entry<String, String> use : fieldMetadata.entrySet()) {
            answered.put(use.getKey(), refusal(commit(table, 1, metaData(use.getValue(), "{}")), use.getKey()));
        }
        answered.put(
                "checkConstraints",
                refusal(
                        commit(table, 1, metaData("{}", "{\"delta.constraints.positive\":\"id > 0\"}")),
                        "checkConstraints"));
        Map<String, String> refusedByName = new java.util.TreeMap<>();
        for (String feature :
                List.of("generatedColumns", "identityColumns", "allowColumnDefaults", "checkConstraints")) {
            refusedByName.put(feature, "400 INVALID_ACTION naming " + feature);
        }
        assertThat(answered).isEqualTo(refusedByName);
        assertThat(version(table)).isEqualTo(1);
        // the same columns and properties without those uses commit
        ok(commit(table, 1, metaData("{}", "{}")), 201);
    }

    private static String metaData(String idMetadata, String configuration) {
        String schema = "{\"type\":\"struct\",\"fields\":[{\"name\":\"id\",\"type\":\"long\",\"nullable\":true,"
                + "\"metadata\":" + idMetadata + "}]}";
        return "{\"metaData\":{\"schemaString\":"
                + JSON.createObjectNode().put("s", schema).get("s") + ",\"partitionColumns\":[],\"configuration\":"
                + configuration + "}}";
    }

    @Test
    void propertiesThatNeedAnUnimplementedFeatureAreRefusedAtCreate() {
        for (Map<String, String> properties :
                List.of(Map.of("delta.enableTypeWidening", "true"), Map.of("delta.columnMapping.mode", "bogus"))) {
            String name = newCatalogWithSchemaS();
            var refused = http.post("/api/v1/tables", tableBody(name, properties));
            assertProblem(refused, 400, "INVALID_ACTION");
            assertThat(refused.body()).contains(properties.keySet().iterator().next());
            assertThat(http.get("/api/v1/tables/" + name + ".s.t").statusCode()).isEqualTo(404);
        }
    }
}
