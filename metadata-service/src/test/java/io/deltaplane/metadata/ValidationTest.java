package io.deltaplane.metadata;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Every rule of API.md: 400 INVALID_ACTION, and the table is exactly as it was (read back); and next
 * to each rule's refusals, a commit that keeps the rule is taken.
 */
class ValidationTest extends MetadataTestBase {

    String table;

    @BeforeEach
    void tableWithOneFile() {
        table = newTable("day");
        ok(commit(table, 0, add("day=a/live.parquet", 10, Map.of("day", "a"))), 201);
    }

    void rejected(String... actions) {
        HttpResponse<String> response = commit(table, 1, actions);
        assertProblem(response, 400, "INVALID_ACTION");
        assertThat(version(table)).isEqualTo(1);
        assertThat(livePaths(table, null, 100)).containsExactly("day=a/live.parquet");
        assertThat(get("/api/v1/tables/" + table + "/history").get("commits").size())
                .isEqualTo(2);
    }

    static String dayA(String path) {
        return add(path, 1, Map.of("day", "a"));
    }

    @Test
    void pathsMustStayInsideTheTableLocation() {
        rejected(dayA("../escape.parquet"));
        rejected(dayA("day=a/../../escape.parquet"));
        rejected(dayA("%2E%2E/escape.parquet"));
        rejected(dayA("/etc/passwd"));
        rejected(dayA("file:/somewhere/else/x.parquet"));
        rejected(dayA("s3://bucket/x.parquet"));
        rejected(dayA(""));
        rejected(remove("../live.parquet"));
        // an absolute URI under the table location is fine
        String location = get("/api/v1/tables/" + table).get("location").asString();
        ok(commit(table, 1, dayA(location + "/day=a/absolute.parquet")), 201);
    }

    @Test
    void sizesMustNotBeNegative() {
        rejected(add("day=a/neg.parquet", -1, Map.of("day", "a")));
        taken(add("day=a/empty.parquet", 0, Map.of("day", "a")));
        assertThat(livePaths(table, null, 10)).containsExactlyInAnyOrder("day=a/live.parquet", "day=a/empty.parquet");
    }

    /** The commit is taken as version 2, on top of the table's one file. */
    void taken(String... actions) {
        ok(commit(table, 1, actions), 201);
        assertThat(version(table)).isEqualTo(2);
    }

    @Test
    void partitionValuesMustMatchThePartitionColumns() {
        rejected(add("day=a/x.parquet", 1, Map.of()));
        rejected(add("day=a/x.parquet", 1, Map.of("day", "a", "other", "b")));
        rejected(add("day=a/x.parquet", 1, Map.of("month", "a")));
        rejected("{\"add\":{\"path\":\"x.parquet\",\"partitionValues\":{\"day\":5},\"size\":1,"
                + "\"modificationTime\":1,\"dataChange\":true}}");
        taken(add("day=b/x.parquet", 1, Map.of("day", "b")));
        assertThat(livePaths(table, null, 10)).contains("day=b/x.parquet");
    }

    @Test
    void theSamePathCannotBeAddedTwice() {
        rejected(dayA("day=a/dup.parquet"), dayA("day=a/dup.parquet"));
        rejected(dayA("day=a/live.parquet"));
        // replacing it (remove + add in one commit) is fine
        ok(commit(table, 1, remove("day=a/live.parquet"), dayA("day=a/live.parquet")), 201);
        assertThat(livePaths(table, null, 10)).containsExactly("day=a/live.parquet");
    }

    @Test
    void onlyActiveFilesCanBeRemoved() {
        rejected(remove("day=a/never.parquet"));
        rejected(remove("day=a/live.parquet"), remove("day=a/live.parquet"));
        rejected(remove("day=a/live.parquet"), remove("day=a/never.parquet"), dayA("day=a/new.parquet"));
        ok(commit(table, 1, remove("day=a/live.parquet")), 201);
        assertProblem(commit(table, 2, remove("day=a/live.parquet")), 400, "INVALID_ACTION");
        assertThat(version(table)).isEqualTo(2);
    }

    @Test
    void protocolCannotBeDowngraded() {
        rejected("{\"protocol\":{\"minReaderVersion\":1,\"minWriterVersion\":1}}");
        rejected("{\"protocol\":{\"minReaderVersion\":0,\"minWriterVersion\":2}}");
        rejected("{\"protocol\":{\"minReaderVersion\":1,\"minWriterVersion\":9}}");
        // a table the platform creates has table features (writer 7): dropping one is a downgrade
        rejected("{\"protocol\":{\"minReaderVersion\":1,\"minWriterVersion\":7,"
                + "\"writerFeatures\":[\"appendOnly\",\"invariants\"]}}");
        ok(
                commit(
                        table,
                        1,
                        "{\"protocol\":{\"minReaderVersion\":1,\"minWriterVersion\":7,\"writerFeatures\":"
                                + "[\"appendOnly\",\"invariants\",\"inCommitTimestamp\",\"domainMetadata\"]}}"),
                201);
        assertProblem(
                commit(table, 2, "{\"protocol\":{\"minReaderVersion\":1,\"minWriterVersion\":4}}"),
                400,
                "INVALID_ACTION");
        assertThat(version(table)).isEqualTo(2);
    }

    @Test
    void metadataNeedsAValidDeltaSchema() {
        rejected(metaData("not json"));
        rejected(metaData("{\"type\":\"struct\"}"));
        rejected(metaData("{\"type\":\"struct\",\"fields\":[{\"name\":\"x\",\"type\":\"nope\",\"nullable\":true}]}"));
        rejected(metaData("{\"type\":\"struct\",\"fields\":[{\"name\":\"x\",\"type\":\"long\"}]}"));
        rejected(metaData("{\"type\":\"struct\",\"fields\":[{\"name\":\"x\",\"type\":\"long\",\"nullable\":true},"
                + "{\"name\":\"X\",\"type\":\"long\",\"nullable\":true}]}"));
        // partition column missing from the schema
        rejected(metaData("{\"type\":\"struct\",\"fields\":[{\"name\":\"x\",\"type\":\"long\",\"nullable\":true}]}"));
        // another table's id
        rejected("{\"metaData\":{\"id\":\"00000000-0000-0000-0000-000000000000\",\"schemaString\":"
                + JSON.writeValueAsString(SCHEMA) + ",\"partitionColumns\":[\"day\"]}}");
        // a valid schema with one more column is taken
        String wider =
                SCHEMA.replace("]}", ",{\"name\":\"note\",\"type\":\"string\",\"nullable\":true,\"metadata\":{}}]}");
        taken(metaData(wider));
        assertThat(get("/api/v1/tables/" + table + "/snapshot")
                        .get("metadata")
                        .get("schemaString")
                        .asString())
                .contains("\"note\"");
    }

    @Test
    void atMostOneMetadataAndOneProtocolPerCommit() {
        rejected(metaData(SCHEMA), metaData(SCHEMA));
        rejected(
                "{\"protocol\":{\"minReaderVersion\":1,\"minWriterVersion\":3}}",
                "{\"protocol\":{\"minReaderVersion\":1,\"minWriterVersion\":4}}");
        // one of each is taken
        taken(
                metaData(SCHEMA),
                "{\"protocol\":{\"minReaderVersion\":1,\"minWriterVersion\":7,\"writerFeatures\":"
                        + "[\"appendOnly\",\"invariants\",\"inCommitTimestamp\",\"domainMetadata\"]}}");
    }

    @Test
    void malformedActionsAreRejected() {
        rejected("{\"add\":{\"path\":\"x.parquet\"}}");
        rejected("{\"unknown\":{}}");
        rejected("{\"add\":{},\"remove\":{}}");
        rejected("{\"txn\":{\"appId\":\"a\",\"version\":1}}", "{\"txn\":{\"appId\":\"a\",\"version\":2}}");
        rejected("{\"domainMetadata\":{\"domain\":\"d\",\"configuration\":\"{}\"}}");
        rejected("\"add\"");
        assertProblem(http.post("/api/v1/tables/" + table + "/commits", "{\"actions\":[]}"), 400, "VALIDATION_FAILED");
        assertProblem(
                http.post("/api/v1/tables/" + table + "/commits", "{\"expected_version\":1,"), 400, "MALFORMED_JSON");
        assertThat(version(table)).isEqualTo(1);
        // well-formed, the same kinds of action are taken: an add, one txn, a domainMetadata
        taken(
                dayA("day=a/formed.parquet"),
                "{\"txn\":{\"appId\":\"a\",\"version\":1}}",
                "{\"domainMetadata\":{\"domain\":\"d\",\"configuration\":\"{}\",\"removed\":false}}");
        assertThat(livePaths(table, null, 10)).contains("day=a/formed.parquet");
    }

    static String metaData(String schemaString) {
        return JSON.writeValueAsString(
                Map.of("metaData", Map.of("schemaString", schemaString, "partitionColumns", List.of("day"))));
    }
}
