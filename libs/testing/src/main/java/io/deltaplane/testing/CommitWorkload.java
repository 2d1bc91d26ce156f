package io.deltaplane.testing;

import static org.assertj.core.api.Assertions.assertThat;

import io.deltaplane.testing.CommitHistory.Operation;
import io.deltaplane.testing.CommitHistory.Outcome;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Writers committing to a few tables of one catalog through the REST API, every operation recorded
 * in a {@link CommitHistory}: per table some racing writers (plain commits), and one writer of
 * multi-table transactions over all of them. Each file path is unique, so the checker finds each
 * operation's version by its path; each add's size, modification time, stats and tags are its own,
 * and a plain commit carries a txn of its writer's application id, so a log that holds other fields
 * than Postgres shows. Which replica each request goes to is {@code baseUrl}'s choice.
 */
public final class CommitWorkload {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final String key;
    private final List<String> tables;
    private final Supplier<String> baseUrl;
    private final CommitHistory history;
    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final Map<String, Long> known = new ConcurrentHashMap<>();
    private final AtomicInteger sequence = new AtomicInteger();
    private final AtomicBoolean running = new AtomicBoolean();
    private ExecutorService pool;
    private volatile Duration pace = Duration.ZERO;

    /** {@code tables} are {@code catalog.schema.table} names of one catalog and schema. */
    public CommitWorkload(String key, List<String> tables, Supplier<String> baseUrl, CommitHistory history) {
        this.key = key;
        this.tables = List.copyOf(tables);
        this.baseUrl = baseUrl;
        this.history = history;
        tables.forEach(t -> known.put(t, 0L));
    }

    /** An answer: its status (-1 when the connection failed) and body. */
    public record Answer(int status, String text) {
        public JsonNode json() {
            return JSON.readTree(text);
        }
    }

    /** Creates the catalog, the schema and the tables (each at version 0). */
    public void createTables() {
        String[] first = tables.get(0).split("\\.");
        assertThat(call("POST", "/api/v1/catalogs", "{\"name\":\"" + first[0] + "\"}")
                        .status())
                .isEqualTo(201);
        assertThat(call(
                                "POST",
                                "/api/v1/schemas",
                                "{\"catalog_name\":\"" + first[0] + "\",\"name\":\"" + first[1] + "\"}")
                        .status())
                .isEqualTo(201);
        for (String table : tables) {
            String[] name = table.split("\\.");
            String body = "{\"catalog_name\":\"" + name[0] + "\",\"schema_name\":\"" + name[1] + "\",\"name\":\""
                    + name[2] + "\",\"schema\":{\"type\":\"struct\",\"fields\":[{\"name\":\"id\",\"type\":\"long\","
                    + "\"nullable\":true,\"metadata\":{}}]}}";
            assertThat(call("POST", "/api/v1/tables", body).status()).isEqualTo(201);
        }
    }

    /** Starts {@code writersPerTable} committers per table and one of multi-table transactions. */
    public void start(int writersPerTable) {
        start(writersPerTable, Duration.ZERO);
    }

    /**
     * The same, each writer pausing {@code pace} after each of its operations (a load that leaves the
     * machine room for what else a test runs).
     */
    public void start(int writersPerTable, Duration pace) {
        this.pace = pace;
        running.set(true);
        pool = Executors.newFixedThreadPool(tables.size() * writersPerTable + 1);
        for (String table : tables) {
            for (int w = 0; w < writersPerTable; w++) {
                String app = table + "/writer-" + w;
                pool.submit(() -> {
                    while (running.get()) {
                        commit(table, app, sequence.incrementAndGet());
                        pause(pace);
                    }
                    return null;
                });
            }
        }
        pool.submit(() -> {
            while (running.get()) {
                transaction(sequence.incrementAndGet());
                pause(pace);
            }
            return null;
        });
    }

    /** Stops the writers once their requests in flight are answered. */
    public void stop() throws InterruptedException {
        running.set(false);
        if (pool == null) {
            return; // never started
        }
        pool.shutdown();
        assertThat(pool.awaitTermination(60, TimeUnit.SECONDS)).isTrue();
    }

    /** The newest version each table is known to have, from the answers so far. */
    public Map<String, Long> known() {
        return new LinkedHashMap<>(known);
    }

    /**
     * Every table's version once publishing caught up with it (it recovers on its own after
     * faults), waiting up to 90 s.
     */
    public Map<String, Long> awaitPublished() {
        Map<String, Long> current = new LinkedHashMap<>();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
        for (String table : tables) {
            JsonNode s = publishStatus(table);
            while (s == null
                    || s.path("published_version").asLong(-1)
                            < s.path("table_version").asLong()) {
                assertThat(System.nanoTime()).as("%s published: %s", table, s).isLessThan(deadline);
                pause(Duration.ofMillis(100));
                s = publishStatus(table);
            }
            current.put(table, s.path("table_version").asLong());
        }
        return current;
    }

    /** Waits until each table's _delta_log holds at least {@code versions}. */
    public void awaitPublishedTo(Map<String, Long> versions) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
        for (var entry : versions.entrySet()) {
            JsonNode s = publishStatus(entry.getKey());
            while (s == null || s.path("published_version").asLong(-1) < entry.getValue()) {
                assertThat(System.nanoTime())
                        .as("%s published again after the fault", entry.getKey())
                        .isLessThan(deadline);
                pause(Duration.ofMillis(50));
                s = publishStatus(entry.getKey());
            }
        }
    }

    private JsonNode publishStatus(String table) {
        Answer answer = call("GET", "/api/v1/tables/" + table + "/publish", null);
        return answer.status() == 200 ? answer.json() : null;
    }

    /** A plain commit of file {@code p<n>.parquet}, with a txn of the writer's application id at {@code n}. */
    private void commit(String table, String app, int n) {
        String path = "p" + n + ".parquet";
        long expected = known.get(table);
        String body = "{\"expected_version\":" + expected + ",\"actions\":[" + add(path, n) + ",{\"txn\":{\"appId\":\""
                + app + "\",\"version\":" + n + ",\"lastUpdated\":" + (1_700_000_000_000L + n) + "}}]}";
        long invoked = System.nanoTime();
        Answer answer = call("POST", "/api/v1/tables/" + table + "/commits", body);
        Map<String, Long> versions = Map.of();
        if (answer.status() == 201) {
            versions = Map.of(table, answer.json().path("version").asLong());
            known.merge(table, versions.get(table), Math::max);
        } else if (answer.status() == 409) {
            known.merge(table, answer.json().path("current_version").asLong(expected), Math::max);
        } else {
            backOff();
        }
        history.record(new Operation(
                "commit",
                Map.of(table, path),
                invoked,
                System.nanoTime(),
                outcome(answer),
                answer.status(),
                versions,
                answer.text()));
    }

    private void transaction(int sequence) {
        Map<String, String> paths = new LinkedHashMap<>();
        List<String> commits = new ArrayList<>();
        for (String table : tables) {
            String path = "t" + sequence + "-" + table.substring(table.lastIndexOf('.') + 1) + ".parquet";
            paths.put(table, path);
            commits.add("{\"table\":\"" + table + "\",\"expected_version\":" + known.get(table) + ",\"actions\":["
                    + add(path, sequence) + "]}");
        }
        long invoked = System.nanoTime();
        Answer answer = call("POST", "/api/v1/transactions", "{\"commits\":[" + String.join(",", commits) + "]}");
        Map<String, Long> versions = new LinkedHashMap<>();
        if (answer.status() == 201) {
            answer.json()
                    .path("versions")
                    .properties()
                    .forEach(v -> versions.put(v.getKey(), v.getValue().asLong()));
            versions.forEach((t, v) -> known.merge(t, v, Math::max));
        } else if (answer.status() == 409) {
            // A conflict names one table's version; read them all again.
            for (String table : tables) {
                Answer state = call("GET", "/api/v1/tables/" + table, null);
                if (state.status() == 200) {
                    known.merge(table, state.json().path("version").asLong(known.get(table)), Math::max);
                }
            }
        } else {
            backOff();
        }
        history.record(new Operation(
                "transaction",
                paths,
                invoked,
                System.nanoTime(),
                outcome(answer),
                answer.status(),
                versions,
                answer.text()));
    }

    /**
     * The paths of {@code table}'s live files at {@code version} (the latest when empty), as the
     * service answers them from Postgres, every page followed.
     */
    public List<String> liveFiles(String table, java.util.OptionalLong version) {
        List<String> paths = new ArrayList<>();
        String token = null;
        do {
            String query = "?max_results=1000"
                    + (version.isPresent() ? "&version=" + version.getAsLong() : "")
                    + (token == null
                            ? ""
                            : "&page_token="
                                    + java.net.URLEncoder.encode(token, java.nio.charset.StandardCharsets.UTF_8));
            Answer page = call("GET", "/api/v1/tables/" + table + "/snapshot/files" + query, null);
            assertThat(page.status())
                    .as("live files of %s: %s", table, page.text())
                    .isEqualTo(200);
            JsonNode answer = page.json();
            answer.path("files").forEach(f -> paths.add(f.path("path").asString()));
            token = answer.path("next_page_token").isString()
                    ? answer.path("next_page_token").asString()
                    : null;
        } while (token != null);
        return paths;
    }

    /** One request to the replica {@code baseUrl} names now; a failed connection is status -1. */
    public Answer call(String method, String path, String body) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(baseUrl.get() + path))
                .timeout(Duration.ofSeconds(10))
                .header("Authorization", "Bearer " + key)
                .header("Content-Type", "application/json");
        request.method(
                method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        try {
            HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
            return new Answer(response.statusCode(), response.body());
        } catch (IOException e) {
            return new Answer(-1, e.toString()); // the service was killed, or is starting again
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Answer(-1, e.toString());
        }
    }

    /**
     * An add of {@code path} whose size, modification time, stats and tags differ from file to file
     * ({@code n} the operation's sequence number), so that a log that holds another file's fields
     * differs from what Postgres recorded.
     */
    private static String add(String path, int n) {
        return "{\"add\":{\"path\":\"" + path + "\",\"partitionValues\":{},\"size\":" + (10 + n % 1000)
                + ",\"modificationTime\":" + (1_700_000_000_000L + n) + ",\"dataChange\":true,"
                + "\"stats\":\"{\\\"numRecords\\\":" + (1 + n % 100) + ",\\\"minValues\\\":{\\\"id\\\":" + n
                + "},\\\"maxValues\\\":{\\\"id\\\":" + (n + n % 100) + "},\\\"nullCount\\\":{\\\"id\\\":0}}\","
                + "\"tags\":{\"sequence\":\"" + n + "\"}}}";
    }

    private static Outcome outcome(Answer answer) {
        if (answer.status() == 201) {
            return Outcome.ACKNOWLEDGED;
        }
        if (answer.status() >= 400 && answer.status() < 500) {
            return Outcome.REFUSED;
        }
        if (answer.status() == 503 || answer.status() < 0) {
            return Outcome.INDETERMINATE;
        }
        return Outcome.SERVER_ERROR;
    }

    private static void backOff() {
        pause(Duration.ofMillis(50));
    }

    public static void pause(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
