package io.deltaplane.metadata.delta;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.deltaplane.metadata.delta.ActionParser.TableState;
import io.deltaplane.support.problem.ApiException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/** The Delta rules a commit's actions are held to before anything is stored, without a database. */
class ActionParserTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final UUID TABLE_ID = UUID.fromString("00000000-0000-0000-0000-000000000042");
    private static final String LOCATION = "s3://lake/warehouse/c/s/t";
    private static final TableState BY_DAY = new TableState(TABLE_ID, LOCATION, List.of("day"));
    private static final String SCHEMA =
            "{\"type\":\"struct\",\"fields\":[{\"name\":\"id\",\"type\":\"long\",\"nullable\":false,\"metadata\":{}},"
                    + "{\"name\":\"day\",\"type\":\"date\",\"nullable\":true,\"metadata\":{}}]}";

    private static List<JsonNode> actions(String... json) {
        List<JsonNode> list = new ArrayList<>();
        for (String action : json) {
            list.add(JSON.readTree(action));
        }
        return list;
    }

    private static String add(String path, String day) {
        return "{\"add\":{\"path\":\"" + path + "\",\"partitionValues\":{\"day\":"
                + (day == null ? "null" : "\"" + day + "\"")
                + "},\"size\":10,\"modificationTime\":1,\"dataChange\":true,\"stats\":\"{\\\"numRecords\\\":1}\"}}";
    }

    private static void refused(TableState table, String messagePart, String... json) {
        assertThatThrownBy(() -> ActionParser.parse(actions(json), table))
                .isInstanceOfSatisfying(
                        ApiException.class, e -> assertThat(e.errorCode()).isEqualTo("INVALID_ACTION"))
                .hasMessageContaining(messagePart);
    }

    @Test
    void aValidCommitIsParsedIntoItsActionsInOrderWithCommitInfoApart() {
        CommitActions parsed = ActionParser.parse(
                actions(
                        "{\"commitInfo\":{\"operation\":\"WRITE\"}}",
                        add("day=2026-11-01/a.parquet", "2026-11-01"),
                        "{\"remove\":{\"path\":\"day=2026-10-31/old.parquet\",\"dataChange\":true,\"size\":5}}",
                        "{\"txn\":{\"appId\":\"stream-1\",\"version\":7}}",
                        "{\"domainMetadata\":{\"domain\":\"d\",\"configuration\":\"{}\",\"removed\":false}}",
                        add(LOCATION + "/day=2026-11-02/b.parquet", null)),
                BY_DAY);
        assertThat(parsed.adds())
                .extracting(CommitActions.AddFile::path)
                .containsExactly("day=2026-11-01/a.parquet", LOCATION + "/day=2026-11-02/b.parquet");
        assertThat(parsed.removes()).containsExactly(new CommitActions.RemoveFile("day=2026-10-31/old.parquet", true));
        assertThat(parsed.txns()).containsExactly(new CommitActions.Txn("stream-1", 7, null));
        assertThat(parsed.domains()).containsExactly(new CommitActions.DomainMetadata("d", "{}", false));
        assertThat(parsed.commitInfo().get("operation").asString()).isEqualTo("WRITE");
        // commitInfo is written by the service itself, first: not among the actions in order
        assertThat(parsed.actions()).hasSize(5).noneMatch(a -> a.contains("commitInfo"));
        assertThat(parsed.actions().get(0)).startsWith("{\"add\":");
    }

    @Test
    void filesMustStayUnderTheTablesLocation() {
        refused(BY_DAY, "escapes", add("../other/x.parquet", "d"));
        refused(BY_DAY, "escapes", add("day=1/%2E%2E/%2E%2E/x.parquet", "d"));
        refused(BY_DAY, "absolute", add("/etc/passwd", "d"));
        refused(BY_DAY, "outside the table location", add("s3://lake/warehouse/c/s/other/x.parquet", "d"));
        refused(BY_DAY, "escapes", "{\"remove\":{\"path\":\"a/../../b\",\"dataChange\":true}}");
    }

    @Test
    void anAddIsCheckedAgainstThePartitionColumns() {
        refused(
                BY_DAY,
                "partition columns are [day]",
                "{\"add\":{\"path\":\"x.parquet\",\"partitionValues\":{},\"size\":1,\"modificationTime\":1,\"dataChange\":true}}");
        refused(
                BY_DAY,
                "must be strings or null",
                "{\"add\":{\"path\":\"x.parquet\",\"partitionValues\":{\"day\":3},\"size\":1,\"modificationTime\":1,\"dataChange\":true}}");
        refused(BY_DAY, "negative size", add("x.parquet", "d").replace("\"size\":10", "\"size\":-1"));
        refused(
                BY_DAY,
                "stats must be a JSON-encoded string",
                add("x.parquet", "d").replace("\"stats\":\"{\\\"numRecords\\\":1}\"", "\"stats\":{}"));
        refused(
                BY_DAY,
                "deletionVector.storageType must be a non-empty string",
                add("x.parquet", "d").replace("\"dataChange\":true", "\"dataChange\":true,\"deletionVector\":{}"));
        refused(
                BY_DAY,
                "add.dataChange must be a boolean",
                add("x.parquet", "d").replace("\"dataChange\":true", "\"dataChange\":\"yes\""));
    }

    @Test
    void aMetaDataActionSetsThePartitionColumnsItsAddsAreCheckedAgainst() {
        String unpartitioned =
                "{\"metaData\":{\"schemaString\":" + JSON.writeValueAsString(SCHEMA) + ",\"partitionColumns\":[]}}";
        CommitActions parsed = ActionParser.parse(
                actions(add("x.parquet", "d").replace("{\"day\":\"d\"}", "{}"), unpartitioned), BY_DAY);
        assertThat(parsed.metadata().get("id").asString()).isEqualTo(TABLE_ID.toString());
        assertThat(parsed.metadata().at("/format/provider").asString()).isEqualTo("parquet");
        refused(BY_DAY, "partition columns are []", add("y.parquet", "d"), unpartitioned);
        refused(BY_DAY, "at most one metaData", unpartitioned, unpartitioned);
        refused(
                BY_DAY,
                "metaData.id must be the table id",
                unpartitioned.replace("{\"schemaString\"", "{\"id\":\"another\",\"schemaString\""));
    }

    @Test
    void duplicatesWithinOneCommitAreRefused() {
        refused(BY_DAY, "appears twice", add("a.parquet", "d"), add("a.parquet", "d"));
        refused(
                BY_DAY,
                "remove of r.parquet appears twice",
                "{\"remove\":{\"path\":\"r.parquet\",\"dataChange\":true}}",
                "{\"remove\":{\"path\":\"r.parquet\",\"dataChange\":false}}");
        refused(
                BY_DAY,
                "txn for appId a appears twice",
                "{\"txn\":{\"appId\":\"a\",\"version\":1}}",
                "{\"txn\":{\"appId\":\"a\",\"version\":2}}");
        refused(BY_DAY, "at most one commitInfo", "{\"commitInfo\":{}}", "{\"commitInfo\":{}}");
    }

    @Test
    void onlyDeltasActionKindsEachAnObjectWithOneKey() {
        refused(BY_DAY, "unknown action checkpointMetadata", "{\"checkpointMetadata\":{\"version\":1}}");
        refused(BY_DAY, "must lie under _change_data/", "{\"cdc\":{\"path\":\"x\"}}");
        refused(BY_DAY, "exactly one key", "{\"add\":{},\"remove\":{}}");
        refused(BY_DAY, "exactly one key", "[1]");
        refused(BY_DAY, "remove must be an object", "{\"remove\":\"x.parquet\"}");
        assertThatThrownBy(() -> ActionParser.parse(null, BY_DAY)).hasMessageContaining("actions is required");
    }

    @Test
    void aProtocolMayOnlyNameFeaturesThePlatformImplementsAndNeverGoesBack() {
        refused(BY_DAY, "minReaderVersion 1..3", "{\"protocol\":{\"minReaderVersion\":4,\"minWriterVersion\":7}}");
        refused(BY_DAY, "needs writerFeatures", "{\"protocol\":{\"minReaderVersion\":1,\"minWriterVersion\":7}}");
        refused(
                BY_DAY,
                "does not implement",
                "{\"protocol\":{\"minReaderVersion\":3,\"minWriterVersion\":7,\"readerFeatures\":[\"typeWidening\"],"
                        + "\"writerFeatures\":[\"typeWidening\"]}}");
        CommitActions upgrade =
                ActionParser.parse(actions("{\"protocol\":{\"minReaderVersion\":1,\"minWriterVersion\":3}}"), BY_DAY);
        assertThat(upgrade.protocol().minWriterVersion()).isEqualTo(3);
        assertThatThrownBy(() -> ProtocolRules.checkNoDowngrade(upgrade.protocol(), 1, 4))
                .hasMessageContaining("downgrade");
        ProtocolRules.checkNoDowngrade(upgrade.protocol(), 1, 2);
    }

    @Test
    void tablePropertiesOfFeaturesThePlatformLacksAreRefusedAndItsOwnAreValidated() {
        ObjectNode metadata = ActionParser.newMetadata(
                TABLE_ID, SCHEMA, List.of("day"), Map.of("delta.appendOnly", "true"), "orders", 1L);
        assertThat(metadata.at("/configuration/delta.appendOnly").asString()).isEqualTo("true");
        for (String unsupported : List.of("delta.enableTypeWidening")) {
            assertThatThrownBy(() -> ActionParser.newMetadata(
                            TABLE_ID, SCHEMA, List.of(), Map.of(unsupported, "true"), null, 1L))
                    .as(unsupported)
                    .hasMessageContaining("not supported");
        }
        assertThatThrownBy(() -> ActionParser.newMetadata(
                        TABLE_ID, SCHEMA, List.of(), Map.of("delta.columnMapping.mode", "name"), null, 1L))
                .as("column mapping without ids and physical names")
                .hasMessageContaining("delta.columnMapping.id");
        assertThatThrownBy(() -> ActionParser.newMetadata(
                        TABLE_ID, SCHEMA, List.of(), Map.of("delta.columnMapping.mode", "names"), null, 1L))
                .hasMessageContaining("none, name or id");
        assertThatThrownBy(() -> ActionParser.newMetadata(TABLE_ID, SCHEMA, List.of("nope"), Map.of(), null, 1L))
                .isInstanceOf(ApiException.class);
    }
}
