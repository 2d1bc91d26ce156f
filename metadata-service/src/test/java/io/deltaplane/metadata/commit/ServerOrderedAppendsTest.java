package io.deltaplane.metadata.commit;

import static org.assertj.core.api.Assertions.assertThat;

import io.deltaplane.metadata.MetadataTestBase;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import tools.jackson.databind.JsonNode;

/**
 * Appends the platform places ({@code expected_version} omitted): racing appenders to one table
 * all land at first attempt, at contiguous versions; what committed since a writer's {@code
 * read_version} conflicts only where Delta's rules say so (a metaData change, a txn of the same
 * application); anything but a blind append must name its version; row ids stay unique; racing
 * appends share Postgres transactions (group commit).
 */
class ServerOrderedAppendsTest extends MetadataTestBase {

    @Autowired
    MeterRegistry meters;

    private static final int WRITERS = 16;
    private static final int EACH = 10;

    @Test
    void racingAppendersAllLandOnceAtContiguousVersions() throws Exception {
        String table = newTable(Map.of("delta.enableRowTracking", "true"));
        DistributionSummary groups =
                meters.get("deltaplane.metadata.commit.group.size").summary();
        long groupsBefore = groups.count();
        double membersBefore = groups.totalAmount();
        ExecutorService pool = Executors.newFixedThreadPool(WRITERS);
        List<Future<List<HttpResponse<String>>>> writers = new ArrayList<>();
        for (int w = 0; w < WRITERS; w++) {
            int writer = w;
            writers.add(pool.submit(() -> {
                List<HttpResponse<String>> answers = new ArrayList<>();
                for (int i = 0; i < EACH; i++) {
                    answers.add(append(table, null, add("w" + writer + "-" + i + ".parquet", 10 * (i + 1))));
                }
                return answers;
            }));
        }
        List<Long> versions = new ArrayList<>();
        for (Future<List<HttpResponse<String>>> writer : writers) {
            for (HttpResponse<String> answer : writer.get()) {
                assertThat(answer.statusCode()).as(answer.body()).isEqualTo(201);
                versions.add(JSON.readTree(answer.body()).get("version").asLong());
            }
        }
        pool.shutdown();
        assertThat(versions).hasSize(WRITERS * EACH).doesNotHaveDuplicates();
        assertThat(versions.stream().mapToLong(Long::longValue).min().orElseThrow())
                .isEqualTo(1);
        assertThat(versions.stream().mapToLong(Long::longValue).max().orElseThrow())
                .isEqualTo(WRITERS * EACH);
        assertThat(version(table)).isEqualTo(WRITERS * EACH);
        // racing appends queue behind the transaction in flight and share the next one
        assertThat(groups.totalAmount() - membersBefore)
                .as("appends written in groups")
                .isEqualTo(WRITERS * EACH);
        assertThat(groups.count() - groupsBefore)
                .as("transactions that wrote them (fewer: some groups held several appends of the table)")
                .isLessThan(WRITERS * EACH);

        // every file kept; row ids assigned under the lock: ranges never overlap and leave no gap
        TreeMap<Long, Long> ranges = new TreeMap<>();
        for (JsonNode file : get("/api/v1/tables/" + table + "/snapshot/files?max_results=1000")
                .get("files")) {
            long rows = JSON.readTree(file.get("stats").asString())
                    .get("numRecords")
                    .asLong();
            ranges.put(file.get("baseRowId").asLong(), rows);
        }
        assertThat(ranges).hasSize(WRITERS * EACH);
        long next = 0;
        for (Map.Entry<Long, Long> range : ranges.entrySet()) {
            assertThat(range.getKey()).isEqualTo(next);
            next += range.getValue();
        }
    }

    @Test
    void onlyWhatDeltaCallsAConflictIsOne() {
        String table = newTable();
        ok(append(table, null, add("a.parquet", 10)), 201);
        // appends since the read version are no conflict
        ok(append(table, 0L, add("b.parquet", 10)), 201);
        // a metaData change since is one: 409 naming it, nothing written
        JsonNode created = get("/api/v1/tables/" + table);
        String metaData = "{\"metaData\":{\"id\":\"" + created.get("table_id").asString() + "\",\"schemaString\":"
                + JSON.writeValueAsString(SCHEMA) + ",\"partitionColumns\":[],\"configuration\":"
                + "{\"delta.enableInCommitTimestamps\":\"true\",\"comment\":\"x\"}}}";
        ok(commit(table, 2, metaData), 201);
        HttpResponse<String> conflict = append(table, 2L, add("c.parquet", 10));
        assertProblem(conflict, 409, "VERSION_CONFLICT");
        assertThat(JSON.readTree(conflict.body()).get("conflicting_version").asLong())
                .isEqualTo(3);
        assertThat(version(table)).isEqualTo(3);
        ok(append(table, 3L, add("c.parquet", 10)), 201);

        // a txn of the same application since the read version is one; another application's is not
        String txnA = "{\"txn\":{\"appId\":\"ingest-a\",\"version\":7}}";
        ok(append(table, 4L, add("d.parquet", 10), txnA), 201);
        assertProblem(
                append(table, 4L, add("e.parquet", 10), "{\"txn\":{\"appId\":\"ingest-a\",\"version\":8}}"),
                409,
                "VERSION_CONFLICT");
        ok(append(table, 4L, add("e.parquet", 10), "{\"txn\":{\"appId\":\"ingest-b\",\"version\":1}}"), 201);

        // anything but a blind append names its version
        assertProblem(append(table, null, remove("a.parquet")), 400, "INVALID_ACTION");
        assertProblem(append(table, null, metaData), 400, "INVALID_ACTION");
        assertProblem(append(table, 99L, add("f.parquet", 10)), 400, "VALIDATION_FAILED");
        assertThat(version(table)).isEqualTo(6);
    }

    private HttpResponse<String> append(String table, Long readVersion, String... actions) {
        return http.post(
                "/api/v1/tables/" + table + "/commits",
                "{" + (readVersion == null ? "" : "\"read_version\":" + readVersion + ",") + "\"actions\":["
                        + String.join(",", actions) + "]}");
    }
}
