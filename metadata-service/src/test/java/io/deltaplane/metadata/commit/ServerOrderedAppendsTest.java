package io.deltaplane.metadata.commit;

import static org.assertj.core.api.Assertions.assertThat;

import io.deltaplane.metadata.MetadataTestBase;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
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

    @Autowired
    CommitPipeline pipeline;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    DataSource dataSource;

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

    @Test
    void aRefusedAppendInAGroupLeavesNothingAndTheOthersLandTogether() throws Exception {
        String table = newTable();
        ok(append(table, null, add("a.parquet", 10)), 201); // version 1
        String holder = newTable();
        ExecutorService pool = Executors.newCachedThreadPool();
        try (Connection lock = dataSource.getConnection()) {
            // The group in flight: an append to another table, blocked on that table's row lock,
            // which this connection holds. Whatever arrives meanwhile queues as the next group.
            lock.setAutoCommit(false);
            try (PreparedStatement rowLock =
                    lock.prepareStatement("SELECT 1 FROM tables WHERE id = ? FOR NO KEY UPDATE")) {
                rowLock.setObject(1, tableId(holder));
                rowLock.execute();
            }
            Future<HttpResponse<String>> held = pool.submit(() -> append(holder, null, add("h.parquet", 10)));
            awaitLockWaiters(1);
            // queued one after another, so the group writes them in this order (one table: arrival order)
            List<Future<HttpResponse<String>>> members = new ArrayList<>();
            String[][] bodies = {
                {"1", add("b1.parquet", 10), "{\"txn\":{\"appId\":\"ingest\",\"version\":1}}"},
                // read version 1, but b1's version, in this very transaction, recorded a txn of its app
                {"1", add("r409.parquet", 10), "{\"txn\":{\"appId\":\"ingest\",\"version\":2}}"},
                {null, add("b2.parquet", 10)},
                // an ordered append may not remove a file
                {null, remove("a.parquet"), add("r400.parquet", 10)},
                {null, add("b3.parquet", 10)},
            };
            for (String[] body : bodies) {
                Long read = body[0] == null ? null : Long.valueOf(body[0]);
                String[] actions = Arrays.copyOfRange(body, 1, body.length);
                members.add(pool.submit(() -> append(table, read, actions)));
                awaitQueued(members.size());
            }
            lock.commit(); // the held group commits; the five queued form the next one

            ok(held.get(10, TimeUnit.SECONDS), 201);
            List<HttpResponse<String>> answers = new ArrayList<>();
            for (Future<HttpResponse<String>> member : members) {
                answers.add(member.get(10, TimeUnit.SECONDS));
            }
            assertThat(ok(answers.get(0), 201).get("version").asLong()).isEqualTo(2);
            assertProblem(answers.get(1), 409, "VERSION_CONFLICT");
            assertThat(JSON.readTree(answers.get(1).body())
                            .get("conflicting_version")
                            .asLong())
                    .isEqualTo(2);
            assertThat(ok(answers.get(2), 201).get("version").asLong()).isEqualTo(3);
            assertProblem(answers.get(3), 400, "INVALID_ACTION");
            assertThat(ok(answers.get(4), 201).get("version").asLong()).isEqualTo(4);
        } finally {
            pool.shutdownNow();
        }

        // each landed once, the refused ones left nothing: no version, file or txn
        assertThat(version(table)).isEqualTo(4);
        List<Long> history = new ArrayList<>();
        get("/api/v1/tables/" + table + "/history?max_results=100")
                .get("commits")
                .forEach(c -> history.add(c.get("version").asLong()));
        assertThat(history).containsExactly(4L, 3L, 2L, 1L, 0L);
        assertThat(livePaths(table, null, 100))
                .containsExactlyInAnyOrder("a.parquet", "b1.parquet", "b2.parquet", "b3.parquet");
        UUID id = tableId(table);
        assertThat(jdbc.sql("SELECT count(*) FROM files WHERE table_id = ? AND path LIKE 'r4%'")
                        .param(id)
                        .query(Long.class)
                        .single())
                .isZero();
        assertThat(jdbc.sql("SELECT txn_version FROM app_txns WHERE table_id = ? AND app_id = 'ingest'")
                        .param(id)
                        .query(Long.class)
                        .list())
                .containsExactly(1L);
        // and they were written together: the three versions share one Postgres transaction
        List<Long> transactions = jdbc.sql(
                        "SELECT xmin::text::bigint FROM commits WHERE table_id = ? AND version >= 1 ORDER BY version")
                .param(id)
                .query(Long.class)
                .list();
        assertThat(transactions).hasSize(4);
        assertThat(transactions.subList(1, 4)).containsOnly(transactions.get(1));
        assertThat(transactions.get(0)).isNotEqualTo(transactions.get(1));
    }

    private UUID tableId(String table) {
        return UUID.fromString(get("/api/v1/tables/" + table).get("table_id").asString());
    }

    /** Polls for a state no signal announces: requests waiting in the pipeline's next group. */
    private void awaitQueued(int members) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (pipeline.queuedCommits() < members) {
            assertThat(System.nanoTime()).as("appends queued").isLessThan(deadline);
            Thread.sleep(1);
        }
    }

    /** Polls Postgres for sessions waiting on a row lock (the held group's append). */
    private void awaitLockWaiters(int sessions) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (jdbc.sql("SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock'"
                                + " AND query LIKE '%FOR NO KEY UPDATE%' AND datname = current_database()")
                        .query(Long.class)
                        .single()
                < sessions) {
            assertThat(System.nanoTime()).as("append waiting on the row lock").isLessThan(deadline);
            Thread.sleep(1);
        }
    }

    private HttpResponse<String> append(String table, Long readVersion, String... actions) {
        return http.post(
                "/api/v1/tables/" + table + "/commits",
                "{" + (readVersion == null ? "" : "\"read_version\":" + readVersion + ",") + "\"actions\":["
                        + String.join(",", actions) + "]}");
    }
}
