package io.deltaplane.metadata;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * Random add/remove sequences; the snapshot at every version must equal an independent replay of
 * the actions committed up to it, computed here.
 */
class TimeTravelTest extends MetadataTestBase {

    @Test
    void everyVersionEqualsTheReplayOfItsActions() {
        long seed = System.nanoTime();
        Random random = new Random(seed);
        String table = newTable("day");
        // replay model: the live files (path -> size) after each version
        List<TreeMap<String, Long>> states = new ArrayList<>();
        states.add(new TreeMap<>());
        Map<String, Integer> generation = new HashMap<>();
        int versions = 30;
        for (int v = 1; v <= versions; v++) {
            TreeMap<String, Long> next = new TreeMap<>(states.get(v - 1));
            List<String> actions = new ArrayList<>();
            List<String> live = new ArrayList<>(next.keySet());
            int removes = live.isEmpty() ? 0 : random.nextInt(Math.min(3, live.size()) + 1);
            for (int r = 0; r < removes; r++) {
                String path = live.remove(random.nextInt(live.size()));
                actions.add(remove(path));
                next.remove(path);
            }
            int adds = random.nextInt(5);
            for (int a = 0; a < adds; a++) {
                // re-add a previously removed path sometimes, so paths have several lifetimes
                String day = "d" + random.nextInt(3);
                String path = "day=" + day + "/f" + random.nextInt(40) + ".parquet";
                if (next.containsKey(path)) {
                    continue;
                }
                long size = random.nextInt(1000);
                generation.merge(path, 1, Integer::sum);
                actions.add(add(path, size, Map.of("day", day)));
                next.put(path, size);
            }
            ok(http.post("/api/v1/tables/" + table + "/commits", commitBody(v - 1, actions)), 201);
            states.add(next);
        }
        for (int v = 0; v <= versions; v++) {
            TreeMap<String, Long> expected = states.get(v);
            String why = "version " + v + " (seed " + seed + ")";
            assertThat(livePaths(table, (long) v, 1 + random.nextInt(6)))
                    .as(why)
                    .containsExactlyElementsOf(expected.keySet());
            HttpResponse<String> stream = http.get(
                    "/api/v1/tables/" + table + "/snapshot/files?version=" + v, "Accept", "application/x-ndjson");
            TreeSet<String> streamed = new TreeSet<>();
            Stream.of(stream.body().split("\n"))
                    .filter(line -> !line.isEmpty())
                    .forEach(
                            line -> streamed.add(JSON.readTree(line).get("path").asString()));
            assertThat(streamed).as(why).containsExactlyElementsOf(expected.keySet());
            JsonNode snapshot = get("/api/v1/tables/" + table + "/snapshot?version=" + v);
            assertThat(snapshot.get("num_files").asLong()).as(why).isEqualTo(expected.size());
            assertThat(snapshot.get("size_bytes").asLong())
                    .as(why)
                    .isEqualTo(expected.values().stream()
                            .mapToLong(Long::longValue)
                            .sum());
        }
    }
}
