package io.deltaplane.metadata;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;

class CommitTest extends MetadataTestBase {

    @Autowired
    JdbcClient jdbc;

    @Test
    void commitsAdvanceTheVersionAndTheSnapshot() {
        String table = newTable();
        JsonNode first = ok(commit(table, 0, add("a.parquet", 100), add("b.parquet", 200)), 201);
        assertThat(first.get("version").asLong()).isEqualTo(1);
        assertThat(first.has("committed_at")).isTrue();
        JsonNode second = ok(commit(table, 1, remove("a.parquet"), add("c.parquet", 50)), 201);
        assertThat(second.get("version").asLong()).isEqualTo(2);

        JsonNode snapshot = get("/api/v1/tables/" + table + "/snapshot");
        assertThat(snapshot.get("version").asLong()).isEqualTo(2);
        assertThat(snapshot.get("num_files").asLong()).isEqualTo(2);
        assertThat(snapshot.get("size_bytes").asLong()).isEqualTo(250);
        assertThat(snapshot.get("protocol").get("minWriterVersion").asInt()).isEqualTo(7);
        assertThat(snapshot.get("protocol").get("writerFeatures").toString()).contains("inCommitTimestamp");
        assertThat(snapshot.get("metadata").get("id").asString())
                .isEqualTo(get("/api/v1/tables/" + table).get("table_id").asString());
        assertThat(livePaths(table, null, 100)).containsExactly("b.parquet", "c.parquet");
        assertThat(livePaths(table, 1L, 1)).containsExactly("a.parquet", "b.parquet");

        JsonNode v1 = get("/api/v1/tables/" + table + "/snapshot?version=1");
        assertThat(v1.get("num_files").asLong()).isEqualTo(2);
        assertThat(v1.get("size_bytes").asLong()).isEqualTo(300);
        assertProblem(http.get("/api/v1/tables/" + table + "/snapshot?version=3"), 404, "VERSION_NOT_FOUND");

        // the stored add keeps the Delta field names and values
        JsonNode files = get("/api/v1/tables/" + table + "/snapshot/files");
        JsonNode b = files.get("files").get(0);
        assertThat(b.get("partitionValues").isObject()).isTrue();
        assertThat(b.get("dataChange").asBoolean()).isTrue();
        assertThat(b.get("modificationTime").asLong()).isEqualTo(1_700_000_000_000L);
        assertThat(b.get("stats").asString()).isEqualTo("{\"numRecords\":20}");
    }

    @Test
    void staleExpectedVersionIsAConflictWithTheCurrentVersion() {
        String table = newTable();
        ok(commit(table, 0, add("a.parquet", 1)), 201);
        HttpResponse<String> stale = commit(table, 0, add("b.parquet", 1));
        assertProblem(stale, 409, "VERSION_CONFLICT");
        assertThat(JSON.readTree(stale.body()).get("current_version").asLong()).isEqualTo(1);
        HttpResponse<String> future = commit(table, 5, add("b.parquet", 1));
        assertProblem(future, 409, "VERSION_CONFLICT");
        assertThat(livePaths(table, null, 100)).containsExactly("a.parquet");
    }

    @Test
    void historyIsNewestFirstAndPaged() {
        String table = newTable();
        for (int v = 0; v < 4; v++) {
            ok(
                    http.post(
                            "/api/v1/tables/" + table + "/commits",
                            "{\"expected_version\":" + v + ",\"operation\":\"OP" + v + "\",\"actions\":["
                                    + add("f" + v + ".parquet", 1)
                                    + ",{\"commitInfo\":{\"engineInfo\":\"test-engine\",\"custom\":" + v + "}}]}"),
                    201);
        }
        JsonNode page = get("/api/v1/tables/" + table + "/history?max_results=3");
        assertThat(versions(page.get("commits"))).containsExactly(4L, 3L, 2L);
        JsonNode newest = page.get("commits").get(0);
        assertThat(newest.get("operation").asString()).isEqualTo("OP3");
        assertThat(newest.get("commit_info").get("engineInfo").asString()).isEqualTo("test-engine");
        assertThat(newest.get("commit_info").get("custom").asInt()).isEqualTo(3);
        assertThat(newest.get("commit_info").get("inCommitTimestamp").asLong())
                .isEqualTo(Instant.parse(newest.get("timestamp").asString()).toEpochMilli());
        JsonNode rest = get("/api/v1/tables/" + table + "/history?max_results=3&page_token="
                + page.get("next_page_token").asString());
        assertThat(versions(rest.get("commits"))).containsExactly(1L, 0L);
        assertThat(rest.get("next_page_token").isNull()).isTrue();
        assertThat(rest.get("commits").get(1).get("operation").asString()).isEqualTo("CREATE TABLE");
    }

    @Test
    void changesListEachVersionsActionsWithCommitInfoFirst() {
        String table = newTable();
        ok(commit(table, 0, add("a.parquet", 10)), 201);
        ok(commit(table, 1, remove("a.parquet"), add("b.parquet", 20)), 201);
        JsonNode changes = get("/api/v1/tables/" + table + "/changes?from_version=1&to_version=2");
        assertThat(versions(changes.get("changes"))).containsExactly(1L, 2L);
        JsonNode v2 = changes.get("changes").get(1).get("actions");
        assertThat(v2.size()).isEqualTo(3);
        assertThat(v2.get(0).get("commitInfo").get("operation").asString()).isEqualTo("WRITE");
        assertThat(v2.get(1).get("remove").get("path").asString()).isEqualTo("a.parquet");
        assertThat(v2.get(2).get("add").get("path").asString()).isEqualTo("b.parquet");
        assertProblem(http.get("/api/v1/tables/" + table + "/changes?from_version=2&to_version=1"), 400, "BAD_REQUEST");
        assertProblem(
                http.get("/api/v1/tables/" + table + "/changes?from_version=0&to_version=9"), 404, "VERSION_NOT_FOUND");
    }

    @Test
    void timestampsStrictlyIncreaseAndTimeTravelByTimestamp() {
        String table = newTable();
        List<Instant> times = new ArrayList<>();
        times.add(Instant.parse(
                get("/api/v1/tables/" + table + "/snapshot").get("timestamp").asString()));
        for (int v = 0; v < 5; v++) {
            JsonNode c = ok(commit(table, v, add("t" + v + ".parquet", 1)), 201);
            times.add(Instant.parse(c.get("committed_at").asString()));
        }
        for (int v = 1; v < times.size(); v++) {
            assertThat(times.get(v)).isAfter(times.get(v - 1));
        }
        for (int v = 0; v < times.size(); v++) {
            JsonNode at = get("/api/v1/tables/" + table + "/snapshot?timestamp=" + times.get(v));
            assertThat(at.get("version").asLong()).isEqualTo(v);
            assertThat(at.get("num_files").asLong()).isEqualTo(v);
        }
        assertProblem(
                http.get("/api/v1/tables/" + table + "/snapshot?timestamp="
                        + times.get(0).minusSeconds(1)),
                404,
                "VERSION_NOT_FOUND");
        assertProblem(http.get("/api/v1/tables/" + table + "/snapshot?timestamp=yesterday"), 400, "BAD_REQUEST");
    }

    @Test
    void ndjsonStreamsTheWholeFileList() {
        String table = newTable("day");
        List<String> actions = new ArrayList<>();
        for (int i = 0; i < 250; i++) {
            actions.add(add("day=d" + (i % 3) + "/f" + i + ".parquet", i, Map.of("day", "d" + (i % 3))));
        }
        ok(http.post("/api/v1/tables/" + table + "/commits", commitBody(0, actions)), 201);
        ok(commit(table, 1, remove("day=d0/f0.parquet")), 201);
        HttpResponse<String> stream =
                http.get("/api/v1/tables/" + table + "/snapshot/files", "Accept", "application/x-ndjson");
        assertThat(stream.statusCode()).isEqualTo(200);
        assertThat(stream.headers().firstValue("Content-Type"))
                .hasValueSatisfying(t -> assertThat(t).startsWith("application/x-ndjson"));
        List<String> lines = Arrays.asList(stream.body().split("\n"));
        assertThat(lines).hasSize(249);
        assertThat(lines.stream().map(l -> JSON.readTree(l).get("path").asString()))
                .doesNotContain("day=d0/f0.parquet")
                .contains("day=d1/f1.parquet");
        HttpResponse<String> atV1 =
                http.get("/api/v1/tables/" + table + "/snapshot/files?version=1", "Accept", "application/x-ndjson");
        assertThat(atV1.body().split("\n")).hasSize(250);
        assertThat(livePaths(table, null, 7)).hasSize(249).isSorted().doesNotHaveDuplicates();
    }

    @Test
    void txnAndDomainMetadataAreKeptPerVersion() {
        String table = newTable();
        ok(commit(table, 0, add("a.parquet", 1), "{\"txn\":{\"appId\":\"stream-1\",\"version\":7}}"), 201);
        ok(
                commit(
                        table,
                        1,
                        "{\"txn\":{\"appId\":\"stream-1\",\"version\":8,\"lastUpdated\":1700000000000}}",
                        "{\"txn\":{\"appId\":\"stream-2\",\"version\":1}}",
                        "{\"domainMetadata\":{\"domain\":\"delta.clustering\",\"configuration\":\"{}\",\"removed\":false}}"),
                201);
        ok(
                commit(
                        table,
                        2,
                        "{\"domainMetadata\":{\"domain\":\"delta.clustering\",\"configuration\":\"{}\","
                                + "\"removed\":true}}"),
                201);
        JsonNode v1 = get("/api/v1/tables/" + table + "/snapshot?version=1");
        assertThat(v1.get("app_versions").get("stream-1").asLong()).isEqualTo(7);
        assertThat(v1.get("app_versions").has("stream-2")).isFalse();
        JsonNode v2 = get("/api/v1/tables/" + table + "/snapshot?version=2");
        assertThat(v2.get("app_versions").get("stream-1").asLong()).isEqualTo(8);
        assertThat(v2.get("app_versions").get("stream-2").asLong()).isEqualTo(1);
        assertThat(v2.get("domain_metadata").get(0).get("domain").asString()).isEqualTo("delta.clustering");
        JsonNode v3 = get("/api/v1/tables/" + table + "/snapshot");
        assertThat(v3.get("domain_metadata").size()).isZero();
    }

    @Test
    void metadataAndProtocolChangesAreVersioned() {
        String table = newTable();
        ok(commit(table, 0, add("a.parquet", 1)), 201);
        String newSchema = SCHEMA.replace(
                "]}", ",{\"name\":\"note\",\"type\":\"string\",\"nullable\":true," + "\"metadata\":{}}]}");
        String metaData = JSON.writeValueAsString(Map.of(
                "metaData",
                Map.of(
                        "schemaString",
                        newSchema,
                        "partitionColumns",
                        List.of(),
                        "configuration",
                        Map.of("delta.appendOnly", "false"))));
        String upgrade = "{\"protocol\":{\"minReaderVersion\":1,\"minWriterVersion\":7,\"writerFeatures\":"
                + "[\"appendOnly\",\"invariants\",\"inCommitTimestamp\",\"domainMetadata\"]}}";
        ok(commit(table, 1, metaData, upgrade), 201);
        JsonNode latest = get("/api/v1/tables/" + table);
        assertThat(latest.get("schema").get("fields").size()).isEqualTo(4);
        assertThat(latest.get("properties").get("delta.appendOnly").asString()).isEqualTo("false");
        JsonNode v2 = get("/api/v1/tables/" + table + "/snapshot");
        assertThat(v2.get("protocol").get("writerFeatures").toString()).contains("domainMetadata");
        assertThat(v2.get("metadata").get("id").asString())
                .isEqualTo(latest.get("table_id").asString());
        assertThat(v2.get("metadata").get("format").get("provider").asString()).isEqualTo("parquet");
        JsonNode v1 = get("/api/v1/tables/" + table + "/snapshot?version=1");
        assertThat(v1.get("protocol").get("writerFeatures").toString()).doesNotContain("domainMetadata");
        assertThat(JSON.readTree(v1.get("metadata").get("schemaString").asString())
                        .get("fields")
                        .size())
                .isEqualTo(3);
    }

    @Test
    void partitioningChangedByATransactionAppliesToTheNextCommit() {
        String table = newTable();
        ok(commit(table, 0, add("a.parquet", 1)), 201);
        ok(commit(table, 1, add("b.parquet", 1)), 201);
        String repartition = JSON.writeValueAsString(
                Map.of("metaData", Map.of("schemaString", SCHEMA, "partitionColumns", List.of("day"))));
        ok(
                http.post(
                        "/api/v1/transactions",
                        "{\"commits\":[{\"table\":\"" + table + "\",\"expected_version\":2,\"actions\":["
                                + remove("a.parquet") + "," + remove("b.parquet") + "," + repartition + "]}]}"),
                201);
        // unpartitioned adds are now wrong, partitioned ones right
        assertProblem(commit(table, 3, add("c.parquet", 1)), 400, "INVALID_ACTION");
        ok(commit(table, 3, add("day=x/c.parquet", 1, Map.of("day", "x"))), 201);
        assertProblem(commit(table, 4, add("d.parquet", 1)), 400, "INVALID_ACTION");
        assertThat(livePaths(table, null, 10)).containsExactly("day=x/c.parquet");
        assertThat(get("/api/v1/tables/" + table)
                        .get("partition_columns")
                        .get(0)
                        .asString())
                .isEqualTo("day");
    }

    @Test
    void idempotencyKeyReplaysTheFirstCommit() {
        String table = newTable();
        String body = commitBody(0, List.of(add("once.parquet", 5)));
        HttpResponse<String> first =
                http.post("/api/v1/tables/" + table + "/commits", body, "Idempotency-Key", "commit-once-1");
        HttpResponse<String> again =
                http.post("/api/v1/tables/" + table + "/commits", body, "Idempotency-Key", "commit-once-1");
        assertThat(first.statusCode()).isEqualTo(201);
        assertThat(again.statusCode()).isEqualTo(201);
        assertThat(JSON.readTree(again.body())).isEqualTo(JSON.readTree(first.body()));
        assertThat(version(table)).isEqualTo(1);
        assertProblem(
                http.post(
                        "/api/v1/tables/" + table + "/commits",
                        commitBody(1, List.of(add("other.parquet", 5))),
                        "Idempotency-Key",
                        "commit-once-1"),
                409,
                "IDEMPOTENCY_KEY_REUSED");
        assertThat(livePaths(table, null, 100)).containsExactly("once.parquet");
    }

    @Test
    void theRunACommitInfoNamesGoesToLineageWithTheVersionAndAMalformedOneIsRefused() {
        String table = newTable();
        UUID run = UUID.randomUUID();
        ok(commit(table, 0, add("r.parquet", 1), "{\"commitInfo\":{\"deltaplaneRunId\":\"" + run + "\"}}"), 201);
        ok(commit(table, 1, add("s.parquet", 1)), 201);
        // The lineage outbox row, written by the commit's statement, carries the writer to lineage.
        assertThat(jdbc.sql("SELECT version, run_id FROM lineage_outbox WHERE full_name = ? AND version > 0"
                                + " ORDER BY version")
                        .param(table)
                        .query((rs, n) -> rs.getLong(1) + "=" + rs.getObject(2, UUID.class))
                        .list())
                .containsExactly("1=" + run, "2=null");
        // The run stays in the commitInfo, where every Delta reader sees it.
        JsonNode newest =
                get("/api/v1/tables/" + table + "/history?max_results=2").get("commits");
        assertThat(newest.get(1).get("commit_info").get("deltaplaneRunId").asString())
                .isEqualTo(run.toString());

        for (String bad : List.of("\"not-a-uuid\"", "\"1-1-1-1-1\"", "42", "{\"id\":1}")) {
            assertProblem(
                    commit(table, 2, add("t.parquet", 1), "{\"commitInfo\":{\"deltaplaneRunId\":" + bad + "}}"),
                    400,
                    "INVALID_ACTION");
        }
        assertThat(version(table)).isEqualTo(2);
    }

    @Test
    void metricsCountCommitsAndConflictsWithoutASeriesPerTable() {
        String table = newTable();
        ok(commit(table, 0, add("m.parquet", 1)), 201);
        assertProblem(commit(table, 0, add("n.parquet", 1)), 409, "VERSION_CONFLICT");
        String metrics = http.get("/actuator/prometheus").body();
        assertThat(metrics)
                .contains("deltaplane_metadata_commits_total")
                .contains("deltaplane_metadata_commit_conflicts_total")
                .contains("deltaplane_metadata_commit_latency_seconds_bucket")
                .containsPattern("deltaplane_metadata_commit_fast_path_total\\{[^}]*outcome=\"hit\"[^}]*\\} [1-9]")
                // no series per table: 20,000 tables must not mean 20,000 series
                .doesNotContainPattern("(?m)^deltaplane_metadata_[a-z_]+\\{[^}]*table=");
    }

    static List<Long> versions(JsonNode list) {
        List<Long> versions = new ArrayList<>();
        list.forEach(n -> versions.add(n.get("version").asLong()));
        return versions;
    }
}
