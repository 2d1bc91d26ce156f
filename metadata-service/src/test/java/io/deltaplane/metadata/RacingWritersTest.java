package io.deltaplane.metadata;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

class RacingWritersTest extends MetadataTestBase {

    static final int WRITERS = 16;
    static final int ROUNDS = 15;

    @Test
    void exactlyOneOfSixteenRacingWritersWinsEachVersion() throws Exception {
        String table = newTable();
        CyclicBarrier start = new CyclicBarrier(WRITERS);
        ExecutorService pool = Executors.newFixedThreadPool(WRITERS);
        Set<String> winners = new HashSet<>();
        Set<String> losers = new HashSet<>();
        try {
            for (int round = 0; round < ROUNDS; round++) {
                long expected = round;
                List<Future<HttpResponse<String>>> attempts = new ArrayList<>();
                for (int w = 0; w < WRITERS; w++) {
                    String path = "r" + round + "-w" + w + ".parquet";
                    attempts.add(pool.submit(() -> {
                        start.await(10, TimeUnit.SECONDS);
                        return commit(table, expected, add(path, 10), add(path + ".extra", 1));
                    }));
                }
                int won = 0;
                for (int w = 0; w < WRITERS; w++) {
                    HttpResponse<String> response = attempts.get(w).get(60, TimeUnit.SECONDS);
                    String path = "r" + round + "-w" + w + ".parquet";
                    if (response.statusCode() == 201) {
                        won++;
                        winners.add(path);
                        assertThat(JSON.readTree(response.body()).get("version").asLong())
                                .isEqualTo(expected + 1);
                    } else {
                        assertProblem(response, 409, "VERSION_CONFLICT");
                        assertThat(JSON.readTree(response.body())
                                        .get("current_version")
                                        .asLong())
                                .isEqualTo(expected + 1);
                        losers.add(path);
                    }
                }
                assertThat(won).as("winners of round %d", round).isEqualTo(1);
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(version(table)).isEqualTo(ROUNDS);
        JsonNode history = get("/api/v1/tables/" + table + "/history?max_results=1000");
        assertThat(CommitTest.versions(history.get("commits")))
                .containsExactlyElementsOf(java.util.stream.LongStream.rangeClosed(0, ROUNDS)
                        .map(v -> ROUNDS - v)
                        .boxed()
                        .toList());
        List<String> live = livePaths(table, null, 1000);
        assertThat(live).hasSize(2 * ROUNDS);
        assertThat(live).containsAll(winners);
        assertThat(live).doesNotContainAnyElementsOf(losers);
    }
}
