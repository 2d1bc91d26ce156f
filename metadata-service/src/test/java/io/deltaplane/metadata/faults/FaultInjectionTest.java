package io.deltaplane.metadata.faults;

import static org.assertj.core.api.Assertions.assertThat;

import io.deltaplane.metadata.MetadataServiceApplication;
import io.deltaplane.metadata.faults.CommitHistory.Operation;
import io.deltaplane.metadata.faults.CommitHistory.Outcome;
import io.deltaplane.metadata.publish.DeltaLogJson;
import io.deltaplane.testing.FaultyConnections;
import io.deltaplane.testing.S3ProxyServer;
import io.deltaplane.testing.ServiceProcess;
import io.deltaplane.testing.TestDatabase;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * metadata-service under faults, judged by its history. Writers commit to two tables (plain commits,
 * several writers racing per table, and multi-table transactions) against the service in a JVM of
 * its own, reaching Postgres through a TCP proxy, while faults are injected on a schedule: Postgres
 * unreachable for seconds (every connection reset, new ones refused), the service killed with
 * {@code kill -9} mid-work and started again, the object store unreachable and then slow (every
 * request hanging unanswered), a short blip of cut connections. Every operation is
 * recorded with its outcome; afterwards the checker proves that every acknowledged commit is in the
 * table exactly once at the version it was told, that nothing refused is there, that no path is
 * there twice, that versions are contiguous, that no caller ever saw a 500, and that {@code
 * _delta_log} holds, byte for byte, what Postgres renders for every version. It prints the figures
 * docs/reliability.md keeps. {@code -Dfaults.rounds=N} repeats the schedule N times
 * ({@code tools/soak} runs 30); the default is one round, about a minute.
 */
class FaultInjectionTest {

    private static final String KEY = "faults-admin-key-0001";
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final List<String> TABLES = List.of("f.s.a", "f.s.b");
    private static final int WRITERS_PER_TABLE = 2;

    private final TestDatabase db = TestDatabase.createAnother();
    private final FaultyConnections postgres = FaultyConnections.inFrontOf(5432);
    // The warehouse on an S3 server (S3Proxy) reached through a proxy that can cut it off.
    private final S3ProxyServer s3 = S3ProxyServer.start();
    private final FaultyConnections objectStore = FaultyConnections.inFrontOf(s3.port());
    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final CommitHistory history = new CommitHistory();
    private final Map<String, FaultFigures> figures = new LinkedHashMap<>();
    private volatile ServiceProcess service;

    /** What one kind of fault did to the callers. */
    private static final class FaultFigures {
        int injected;
        long longestUnavailableMillis;
        long longestRecoveryMillis;
        long publishCatchUpMillis = -1;
        final Map<Outcome, Integer> duringFault = new java.util.EnumMap<>(Outcome.class);
    }

    @AfterEach
    void stop() {
        if (service != null) {
            service.close();
        }
        postgres.close();
        objectStore.close();
        s3.close();
    }

    @Test
    void nothingAcknowledgedIsLostOrDuplicatedUnderFaults() throws Exception {
        bucket().createBucket(b -> b.bucket("lake"));
        service = start();
        for (String statement : List.of("{\"name\":\"f\"}", "{\"catalog_name\":\"f\",\"name\":\"s\"}")) {
            assertThat(send(
                                    "POST",
                                    statement.contains("catalog_name") ? "/api/v1/schemas" : "/api/v1/catalogs",
                                    statement)
                            .statusCode())
                    .isEqualTo(201);
        }
        for (String table : TABLES) {
            String[] name = table.split("\\.");
            String body = "{\"catalog_name\":\"f\",\"schema_name\":\"s\",\"name\":\"" + name[2]
                    + "\",\"schema\":{\"type\":\"struct\",\"fields\":[{\"name\":\"id\",\"type\":\"long\","
                    + "\"nullable\":true,\"metadata\":{}}]}}";
            assertThat(send("POST", "/api/v1/tables", body).statusCode()).isEqualTo(201);
        }

        AtomicBoolean running = new AtomicBoolean(true);
        int writers = TABLES.size() * WRITERS_PER_TABLE + 1;
        ExecutorService pool = Executors.newFixedThreadPool(writers);
        AtomicInteger sequence = new AtomicInteger();
        Map<String, Long> known = new ConcurrentHashMap<>();
        TABLES.forEach(t -> known.put(t, 0L));
        for (String table : TABLES) {
            for (int w = 0; w < WRITERS_PER_TABLE; w++) {
                pool.submit(() -> {
                    while (running.get()) {
                        commit(table, "p" + sequence.incrementAndGet() + ".parquet", known);
                    }
                    return null;
                });
            }
        }
        pool.submit(() -> {
            while (running.get()) {
                transaction(sequence.incrementAndGet(), known);
            }
            return null;
        });

        int rounds = Integer.getInteger("faults.rounds", 1);
        long started = System.nanoTime();
        for (int round = 0; round < rounds; round++) {
            pause(Duration.ofSeconds(3));
            inject("postgres unreachable 4 s", () -> {
                postgres.unreachable();
                pause(Duration.ofSeconds(4));
                postgres.heal();
                return System.nanoTime();
            });
            pause(Duration.ofSeconds(3));
            inject("kill -9 metadata-service, restart", () -> {
                service.kill();
                long killed = System.nanoTime();
                service = start();
                return killed;
            });
            pause(Duration.ofSeconds(3));
            injectStoreFault("object store unreachable 10 s", objectStore::unreachable, known);
            pause(Duration.ofSeconds(3));
            // every request hangs unanswered
            injectStoreFault(
                    "object store slow 10 s (requests hang)",
                    () -> objectStore.stallAfter(0, Integer.MAX_VALUE),
                    known);
            pause(Duration.ofSeconds(3));
            inject("postgres connections cut (200 ms blip)", () -> {
                postgres.unreachable();
                pause(Duration.ofMillis(200));
                postgres.heal();
                return System.nanoTime();
            });
            pause(Duration.ofSeconds(3));
        }
        running.set(false);
        pool.shutdown();
        assertThat(pool.awaitTermination(60, TimeUnit.SECONDS)).isTrue();
        long seconds = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - started);

        Map<String, Long> current = awaitPublished();
        Check check = check(current);
        print(seconds, check);

        assertThat(history.operations().stream().filter(o -> o.outcome() == Outcome.SERVER_ERROR))
                .as("answers other than 201, 4xx or 503")
                .isEmpty();
        assertThat(check.lost())
                .as("acknowledged commits missing or at another version")
                .isEmpty();
        assertThat(check.duplicated()).as("paths in more than one version").isEmpty();
        assertThat(check.refusedButPresent())
                .as("commits refused with a 4xx that are there")
                .isEmpty();
        assertThat(check.gaps()).as("tables whose versions are not contiguous").isEmpty();
        assertThat(check.logMismatches())
                .as("_delta_log files that differ from Postgres")
                .isEmpty();
        assertThat(history.count(Outcome.ACKNOWLEDGED))
                .as("commits acknowledged")
                .isPositive();
    }

    // --- the workload ---

    private void commit(String table, String path, Map<String, Long> known) {
        long expected = known.get(table);
        String body = "{\"expected_version\":" + expected + ",\"actions\":[" + add(path) + "]}";
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

    private void transaction(int sequence, Map<String, Long> known) {
        Map<String, String> paths = new LinkedHashMap<>();
        List<String> commits = new ArrayList<>();
        for (String table : TABLES) {
            String path = "t" + sequence + "-" + table.substring(table.length() - 1) + ".parquet";
            paths.put(table, path);
            commits.add("{\"table\":\"" + table + "\",\"expected_version\":" + known.get(table) + ",\"actions\":["
                    + add(path) + "]}");
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
            // A conflict names one table's version; read both again.
            for (String table : TABLES) {
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

    private static String add(String path) {
        return "{\"add\":{\"path\":\"" + path + "\",\"partitionValues\":{},\"size\":10,"
                + "\"modificationTime\":1700000000000,\"dataChange\":true}}";
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

    private record Answer(int status, String text) {
        JsonNode json() {
            return JSON.readTree(text);
        }
    }

    private Answer call(String method, String path, String body) {
        try {
            HttpResponse<String> response = send(method, path, body);
            return new Answer(response.statusCode(), response.body());
        } catch (IOException e) {
            return new Answer(-1, e.toString()); // the service was killed, or is starting again
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Answer(-1, e.toString());
        }
    }

    private HttpResponse<String> send(String method, String path, String body)
            throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(service.baseUrl() + path))
                .timeout(Duration.ofSeconds(10))
                .header("Authorization", "Bearer " + KEY)
                .header("Content-Type", "application/json");
        request.method(
                method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    // --- the faults ---

    private ServiceProcess start() throws Exception {
        return ServiceProcess.start(
                "metadata-faults",
                ServiceProcess.Launch.mainClass(MetadataServiceApplication.class.getName()),
                "-Xms256m -Xmx256m -XX:+UseSerialGC",
                db,
                db.url().replaceFirst("//[^/]+/", "//127.0.0.1:" + postgres.port() + "/"),
                KEY,
                Map.ofEntries(
                        Map.entry("deltaplane.warehouse.uri", "s3://lake/warehouse"),
                        Map.entry("AWS_ENDPOINT_URL_S3", "http://127.0.0.1:" + objectStore.port()),
                        Map.entry("AWS_REGION", "us-east-1"),
                        Map.entry("AWS_ACCESS_KEY_ID", s3.environment().get("AWS_ACCESS_KEY_ID")),
                        Map.entry("AWS_SECRET_ACCESS_KEY", s3.secretKey()),
                        Map.entry("deltaplane.db.connect-timeout", "1s"),
                        Map.entry("deltaplane.lineage.enabled", "false"),
                        Map.entry("deltaplane.publish.checkpoint-interval", "10"),
                        Map.entry("deltaplane.publish.checkpoint-min-interval", "0s")));
    }

    /** Runs a fault (which returns when it ended), then measures what callers saw of it. */
    private void inject(String kind, FaultAction fault) throws Exception {
        long began = System.nanoTime();
        long ended = fault.run();
        long recovered = awaitAcknowledgedAfter(ended);
        FaultFigures f = figures.computeIfAbsent(kind, k -> new FaultFigures());
        f.injected++;
        f.longestRecoveryMillis = Math.max(f.longestRecoveryMillis, (recovered - ended) / 1_000_000);
        // The longest time without an acknowledged commit, from the last one before the fault to
        // the first one after it (commits acknowledged during the fault split the gap).
        List<Long> acks = history.acknowledgedAt();
        long previous =
                acks.stream().filter(t -> t <= began).reduce((a, b) -> b).orElse(began);
        long longestGap = 0;
        for (long t : acks) {
            if (t > previous && t <= recovered) {
                longestGap = Math.max(longestGap, t - previous);
                previous = t;
            }
        }
        f.longestUnavailableMillis = Math.max(f.longestUnavailableMillis, longestGap / 1_000_000);
        for (Operation op : history.operations()) {
            if (op.completedNanos() >= began && op.completedNanos() <= ended) {
                f.duringFault.merge(op.outcome(), 1, Integer::sum);
            }
        }
    }

    /**
     * The object store out of service for 10 s ({@code arm} says how), then healed; measured as
     * {@link #inject} does, and by when {@code _delta_log} again holds what was committed before.
     */
    private void injectStoreFault(String kind, Runnable arm, Map<String, Long> known) throws Exception {
        Map<String, Long> before = new LinkedHashMap<>(known);
        inject(kind, () -> {
            arm.run();
            pause(Duration.ofSeconds(10));
            objectStore.heal();
            return System.nanoTime();
        });
        long healed = System.nanoTime();
        awaitPublishedTo(before);
        FaultFigures f = figures.get(kind);
        f.publishCatchUpMillis = Math.max(f.publishCatchUpMillis, (System.nanoTime() - healed) / 1_000_000);
    }

    @FunctionalInterface
    private interface FaultAction {
        long run() throws Exception;
    }

    private long awaitAcknowledgedAfter(long nanos) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (true) {
            for (long t : history.acknowledgedAt()) {
                if (t > nanos) {
                    return t;
                }
            }
            assertThat(System.nanoTime())
                    .as("a commit is acknowledged again without a manual step")
                    .isLessThan(deadline);
            pause(Duration.ofMillis(20));
        }
    }

    private static void pause(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Waits until each table's _delta_log holds at least the versions committed before the outage. */
    private void awaitPublishedTo(Map<String, Long> versions) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
        for (var entry : versions.entrySet()) {
            while (call("GET", "/api/v1/tables/" + entry.getKey() + "/publish", null)
                            .json()
                            .path("published_version")
                            .asLong(-1)
                    < entry.getValue()) {
                assertThat(System.nanoTime())
                        .as("%s published again after the store came back", entry.getKey())
                        .isLessThan(deadline);
                pause(Duration.ofMillis(50));
            }
        }
    }

    private software.amazon.awssdk.services.s3.S3Client bucket() {
        return io.deltaplane.storage.S3Storage.fromEnvironment(s3.environment()).client();
    }

    // --- the checker ---

    /** Every table's version once publishing caught up (it recovers on its own after the faults). */
    private Map<String, Long> awaitPublished() {
        Map<String, Long> current = new LinkedHashMap<>();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
        for (String table : TABLES) {
            Supplier<JsonNode> status = () ->
                    call("GET", "/api/v1/tables/" + table + "/publish", null).json();
            JsonNode s = status.get();
            while (s.path("published_version").asLong(-1)
                    < s.path("table_version").asLong()) {
                assertThat(System.nanoTime()).as("%s published: %s", table, s).isLessThan(deadline);
                pause(Duration.ofMillis(100));
                s = status.get();
            }
            current.put(table, s.path("table_version").asLong());
        }
        return current;
    }

    private record Check(
            List<String> lost,
            List<String> duplicated,
            List<String> refusedButPresent,
            List<String> gaps,
            List<String> logMismatches,
            long indeterminatePresent) {}

    private Check check(Map<String, Long> current) throws SQLException, IOException {
        List<String> lost = new ArrayList<>();
        List<String> duplicated = new ArrayList<>();
        List<String> refusedButPresent = new ArrayList<>();
        List<String> gaps = new ArrayList<>();
        List<String> mismatches = new ArrayList<>();
        long indeterminatePresent = 0;
        try (Connection c = db.connect()) {
            for (Operation op : history.operations()) {
                for (var entry : op.paths().entrySet()) {
                    List<Long> at = addedAt(c, entry.getKey(), entry.getValue());
                    if (at.size() > 1) {
                        duplicated.add(entry + " at " + at);
                    }
                    switch (op.outcome()) {
                        case ACKNOWLEDGED -> {
                            Long told = op.versions().get(entry.getKey());
                            if (at.size() != 1 || !at.get(0).equals(told)) {
                                lost.add(entry + " told version " + told + ", found at " + at);
                            }
                        }
                        case REFUSED -> {
                            if (!at.isEmpty()) {
                                refusedButPresent.add(entry + " (" + op.status() + ") at " + at);
                            }
                        }
                        case INDETERMINATE -> indeterminatePresent += at.isEmpty() ? 0 : 1;
                        case SERVER_ERROR -> {}
                    }
                }
            }
            for (String table : TABLES) {
                List<Long> versions = versions(c, table);
                for (int v = 0; v < versions.size(); v++) {
                    if (versions.get(v) != v) {
                        gaps.add(table + ": " + versions);
                        break;
                    }
                }
                URI location = URI.create(location(c, table));
                String prefix = location.getPath().substring(1) + "/_delta_log/";
                var client = bucket();
                for (long v = 0; v <= current.get(table); v++) {
                    String key = prefix + "%020d.json".formatted(v);
                    byte[] expected = DeltaLogJson.render(actions(c, table, v));
                    byte[] published;
                    try {
                        published = client.getObjectAsBytes(
                                        o -> o.bucket(location.getHost()).key(key))
                                .asByteArray();
                    } catch (software.amazon.awssdk.services.s3.model.NoSuchKeyException e) {
                        published = null;
                    }
                    if (published == null || !java.util.Arrays.equals(published, expected)) {
                        mismatches.add(location + " " + key);
                    }
                }
            }
        }
        return new Check(lost, duplicated, refusedButPresent, gaps, mismatches, indeterminatePresent);
    }

    private static final String ADDED_AT = "SELECT f.added_version FROM metadata.files f"
            + " JOIN metadata.tables t ON t.id = f.table_id"
            + " WHERE t.catalog || '.' || t.schema || '.' || t.name = ? AND f.path = ?";
    private static final String VERSIONS = "SELECT c.version FROM metadata.commits c"
            + " JOIN metadata.tables t ON t.id = c.table_id"
            + " WHERE t.catalog || '.' || t.schema || '.' || t.name = ? ORDER BY c.version";
    private static final String ACTIONS = "SELECT c.actions::text FROM metadata.commits c"
            + " JOIN metadata.tables t ON t.id = c.table_id"
            + " WHERE t.catalog || '.' || t.schema || '.' || t.name = ? AND c.version = ?";
    private static final String LOCATION =
            "SELECT location FROM metadata.tables t WHERE t.catalog || '.' || t.schema || '.' || t.name = ?";

    private static List<Long> addedAt(Connection c, String table, String path) throws SQLException {
        return longs(c, ADDED_AT, table, path);
    }

    private static List<Long> versions(Connection c, String table) throws SQLException {
        return longs(c, VERSIONS, table, null);
    }

    private static String actions(Connection c, String table, long version) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(ACTIONS)) {
            s.setString(1, table);
            s.setLong(2, version);
            try (ResultSet rs = s.executeQuery()) {
                assertThat(rs.next()).as("version %d of %s", version, table).isTrue();
                return rs.getString(1);
            }
        }
    }

    private static String location(Connection c, String table) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(LOCATION)) {
            s.setString(1, table);
            try (ResultSet rs = s.executeQuery()) {
                assertThat(rs.next()).isTrue();
                return rs.getString(1);
            }
        }
    }

    private static List<Long> longs(Connection c, String sql, String first, String second) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(sql)) {
            s.setString(1, first);
            if (second != null) {
                s.setString(2, second);
            }
            List<Long> values = new ArrayList<>();
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    values.add(rs.getLong(1));
                }
            }
            return values;
        }
    }

    private void print(long seconds, Check check) {
        System.out.printf(
                Locale.ROOT,
                "fault injection: %d s, %d operations: %d acknowledged, %d refused (409), %d indeterminate"
                        + " (503 or connection lost; %d of them took effect), %d server errors;"
                        + " lost %d, duplicated %d, refused-but-present %d, version gaps %d, _delta_log mismatches %d%n",
                seconds,
                history.operations().size(),
                history.count(Outcome.ACKNOWLEDGED),
                history.count(Outcome.REFUSED),
                history.count(Outcome.INDETERMINATE),
                check.indeterminatePresent(),
                history.count(Outcome.SERVER_ERROR),
                check.lost().size(),
                check.duplicated().size(),
                check.refusedButPresent().size(),
                check.gaps().size(),
                check.logMismatches().size());
        System.out.println("| fault | injected | longest unavailability of commits (ms) | commits again after the"
                + " fault ended (ms) | _delta_log caught up after the fault ended (ms) | answers during the fault |");
        System.out.println("| --- | --- | --- | --- | --- | --- |");
        figures.forEach((kind, f) -> System.out.printf(
                Locale.ROOT,
                "| %s | %d | %d | %d | %s | %s |%n",
                kind,
                f.injected,
                f.longestUnavailableMillis,
                f.longestRecoveryMillis,
                f.publishCatchUpMillis < 0 ? "-" : Long.toString(f.publishCatchUpMillis),
                f.duringFault));
    }
}
