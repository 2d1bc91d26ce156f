package io.deltaplane.metadata;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

class TransactionTest extends MetadataTestBase {

    static String part(String table, long expected, String... actions) {
        return "{\"table\":\"" + table + "\",\"expected_version\":" + expected + ",\"actions\":["
                + String.join(",", actions) + "]}";
    }

    static String transaction(String... parts) {
        return "{\"commits\":[" + String.join(",", parts) + "]}";
    }

    @Test
    void allTablesAdvanceTogether() {
        String a = newTable();
        String b = newTable();
        JsonNode result = ok(
                http.post(
                        "/api/v1/transactions",
                        transaction(part(a, 0, add("a1.parquet", 1)), part(b, 0, add("b1.parquet", 2)))),
                201);
        assertThat(result.get("versions").get(a).asLong()).isEqualTo(1);
        assertThat(result.get("versions").get(b).asLong()).isEqualTo(1);
        assertThat(livePaths(a, null, 10)).containsExactly("a1.parquet");
        assertThat(livePaths(b, null, 10)).containsExactly("b1.parquet");
        // each table's version went to the publish queue with the commit: both reach _delta_log
        for (String table : List.of(a, b)) {
            long deadline = System.nanoTime() + 30_000_000_000L;
            while (get("/api/v1/tables/" + table + "/publish")
                            .get("published_version")
                            .asLong()
                    < 1) {
                assertThat(System.nanoTime()).as("%s published", table).isLessThan(deadline);
                Thread.onSpinWait();
            }
        }
    }

    @Test
    void oneStaleTableMeansNothingIsApplied() {
        String a = newTable();
        String b = newTable();
        String c = newTable();
        ok(commit(b, 0, add("b-first.parquet", 1)), 201);
        HttpResponse<String> response = http.post(
                "/api/v1/transactions",
                transaction(
                        part(a, 0, add("a.parquet", 1)),
                        part(b, 0, add("b-stale.parquet", 1)),
                        part(c, 0, add("c.parquet", 1))));
        assertProblem(response, 409, "VERSION_CONFLICT");
        assertThat(JSON.readTree(response.body()).get("current_version").asLong())
                .isEqualTo(1);
        assertThat(JSON.readTree(response.body()).get("table").asString()).isEqualTo(b);
        assertThat(version(a)).isZero();
        assertThat(version(b)).isEqualTo(1);
        assertThat(version(c)).isZero();
        assertThat(livePaths(a, null, 10)).isEmpty();
        assertThat(livePaths(b, null, 10)).containsExactly("b-first.parquet");
        assertThat(livePaths(c, null, 10)).isEmpty();
        assertThat(get("/api/v1/tables/" + a + "/publish").get("table_version").asLong())
                .isZero();
    }

    @Test
    void oneInvalidPartMeansNothingIsApplied() {
        String a = newTable();
        String b = newTable();
        ok(commit(b, 0, add("live.parquet", 1)), 201);
        // b's remove names a file that is not active: detected inside the transaction, after a's writes
        assertProblem(
                http.post(
                        "/api/v1/transactions",
                        transaction(part(a, 0, add("a.parquet", 1)), part(b, 1, remove("ghost.parquet")))),
                400,
                "INVALID_ACTION");
        assertThat(version(a)).isZero();
        assertThat(version(b)).isEqualTo(1);
        assertThat(livePaths(a, null, 10)).isEmpty();
        assertProblem(http.post("/api/v1/transactions", transaction(part(a, 0), part(a, 0))), 400, "INVALID_ACTION");
        assertProblem(
                http.post("/api/v1/transactions", transaction(part(a, 0), part("no.such.table", 0))),
                404,
                "TABLE_NOT_FOUND");
        assertThat(version(a)).isZero();
    }

    @Test
    void opposingLockOrdersDoNotDeadlock() throws Exception {
        String a = newTable();
        String b = newTable();
        int perThread = 15;
        ExecutorService pool = Executors.newFixedThreadPool(4);
        // every transaction taken, by any thread: its file and the versions it was answered
        List<String> taken = new ArrayList<>();
        try {
            List<Future<List<String>>> futures = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                boolean reversed = t % 2 == 1;
                int thread = t;
                futures.add(pool.submit(() -> {
                    List<String> mine = new ArrayList<>();
                    while (mine.size() < perThread) {
                        long va = version(a);
                        long vb = version(b);
                        String file = "t" + thread + "-" + mine.size() + ".parquet";
                        String pa = part(a, va, add(file, 1));
                        String pb = part(b, vb, add(file, 1));
                        HttpResponse<String> r =
                                http.post("/api/v1/transactions", reversed ? transaction(pb, pa) : transaction(pa, pb));
                        if (r.statusCode() == 201) {
                            JsonNode versions = JSON.readTree(r.body()).get("versions");
                            mine.add(file + " a@" + versions.get(a).asLong() + " b@"
                                    + versions.get(b).asLong());
                        } else {
                            assertProblem(r, 409, "VERSION_CONFLICT");
                        }
                    }
                    return mine;
                }));
            }
            for (Future<List<String>> f : futures) {
                taken.addAll(f.get(120, TimeUnit.SECONDS));
            }
        } finally {
            pool.shutdownNow();
        }
        // each transaction took both tables to one new version, its own: the versions 1..60 of
        // each, once each, and a's and b's the same in every answer
        List<String> files = new ArrayList<>();
        java.util.Set<Long> versions = new java.util.TreeSet<>();
        for (String transaction : taken) {
            String[] parts = transaction.split(" ");
            files.add(parts[0]);
            assertThat(parts[1].substring(2)).as(transaction).isEqualTo(parts[2].substring(2));
            versions.add(Long.parseLong(parts[1].substring(2)));
        }
        assertThat(taken).hasSize(4 * perThread);
        assertThat(versions)
                .containsExactlyElementsOf(java.util.stream.LongStream.rangeClosed(1, 4L * perThread)
                        .boxed()
                        .toList());
        assertThat(version(a)).isEqualTo(4L * perThread);
        assertThat(version(b)).isEqualTo(4L * perThread);
        assertThat(livePaths(a, null, 1000)).containsExactlyInAnyOrderElementsOf(files);
        assertThat(livePaths(b, null, 1000)).containsExactlyInAnyOrderElementsOf(files);
    }
}
