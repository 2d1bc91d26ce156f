package io.deltaplane.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import io.deltaplane.testing.CommitChecker;
import io.deltaplane.testing.CommitHistory;
import io.deltaplane.testing.CommitHistory.Outcome;
import io.deltaplane.testing.CommitWorkload;
import io.deltaplane.testing.CommitWorkload.Answer;
import io.deltaplane.testing.FaultyConnections;
import io.deltaplane.testing.PlatformApps;
import io.deltaplane.testing.TestDatabase;
import java.net.URI;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.kafka.test.EmbeddedKafkaKraftBroker;
import tools.jackson.databind.JsonNode;

/**
 * The whole platform under one schedule of faults: the four apps as the build packaged them, each
 * in a JVM of its own (as {@code ./platform up} runs them), an embedded Kafka broker, Postgres
 * reached through a proxy that can cut it off. Throughout, writers commit to two Delta tables
 * through the gateway (racing commits and multi-table transactions), a producer sends events that
 * two ingest mappings land in DuckDB and in a Delta table, and a pipeline reports OpenLineage runs.
 * Meanwhile each app is killed with {@code kill -9} and started again in turn, then Postgres is
 * unreachable for 4 s. Afterwards: every acknowledged commit is in its table once at its version
 * (no gap, nothing refused there), every event is in DuckDB and in the Delta table exactly once,
 * every run whose COMPLETE was acknowledged is COMPLETED in lineage, and no caller saw a server
 * error other than 503 — without a manual step after any fault.
 */
class PlatformUnderFaultsTest {

    private static final String TOPIC = "faults-orders";
    private static final List<String> TABLES = List.of("pf.s.a", "pf.s.b");
    private static final int EVENTS = 4_000;

    private final TestDatabase db = TestDatabase.get();
    private final FaultyConnections postgres = FaultyConnections.inFrontOf(5432);
    private final CommitHistory commits = new CommitHistory();
    private final List<LineageRun> runs = new CopyOnWriteArrayList<>();
    private EmbeddedKafkaKraftBroker broker;
    private PlatformApps apps;

    /**
     * A fault: when it began, when it was over (the app ready again, Postgres reachable) and when a
     * commit was acknowledged again after it.
     */
    private record Fault(String kind, long began, long ended, long recovered) {
        Fault(String kind, long began, long ended) {
            this(kind, began, ended, -1);
        }
    }

    /** How long a caller may wait for commits after a part is back: the gateway's breaker included. */
    private static final Duration RECOVERY = Duration.ofSeconds(90);

    private final List<Fault> faults = new ArrayList<>();

    /** One OpenLineage run the pipeline reported: what its START and COMPLETE were answered. */
    private record LineageRun(String runId, int start, int complete) {}

    @AfterEach
    void stop() {
        if (apps != null) {
            apps.close();
        }
        if (broker != null) {
            broker.destroy();
        }
        postgres.close();
    }

    @Test
    void nothingAcknowledgedIsLostWhenEachPartFails() throws Exception {
        broker = new EmbeddedKafkaKraftBroker(1, 2);
        broker.afterPropertiesSet();
        broker.addTopics(new NewTopic(TOPIC, 2, (short) 1));
        apps = PlatformApps.start(
                broker.getBrokersAsString(),
                Map.of(),
                Map.of(),
                db.url().replaceFirst("//[^/]+/", "//127.0.0.1:" + postgres.port() + "/"));
        CommitWorkload workload = new CommitWorkload(PlatformApps.ADMIN_KEY, TABLES, apps::gatewayUrl, commits);
        workload.createTables();
        createMapping(workload, "pf_duck", "{\"schema\":\"faults\",\"table\":\"orders\"}");
        createMapping(workload, "pf_delta", "{\"type\":\"delta\",\"table\":\"pf.s.events\"}");

        AtomicBoolean running = new AtomicBoolean(true);
        workload.start(1);
        Thread producer = new Thread(this::produce, "producer");
        Thread pipeline = new Thread(() -> reportRuns(workload, running), "pipeline");
        producer.start();
        pipeline.start();

        long started = System.nanoTime();
        for (String app : List.of("metadata", "lineage", "ingest", "gateway")) {
            CommitWorkload.pause(Duration.ofSeconds(3));
            long began = System.nanoTime();
            apps.kill(app);
            apps.restart(app);
            recovered(new Fault("kill -9 " + app + ", restart", began, System.nanoTime()));
        }
        CommitWorkload.pause(Duration.ofSeconds(3));
        long cut = System.nanoTime();
        postgres.unreachable();
        CommitWorkload.pause(Duration.ofSeconds(4));
        postgres.heal();
        recovered(new Fault("Postgres unreachable 4 s", cut, System.nanoTime()));
        CommitWorkload.pause(Duration.ofSeconds(3));
        producer.join(TimeUnit.MINUTES.toMillis(2));
        assertThat(producer.isAlive()).as("the producer sent every event").isFalse();
        running.set(false);
        workload.stop();
        pipeline.join(TimeUnit.MINUTES.toMillis(1));
        long seconds = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - started);

        // Commits: each acknowledged one once, at its version; published without a manual step.
        Map<String, Long> current = workload.awaitPublished();
        CommitChecker.Check check = CommitChecker.check(db, commits, current, null, null);
        // Ingest: both mappings caught up with every event, each exactly once.
        awaitIngested(workload, "pf_duck");
        awaitIngested(workload, "pf_delta");
        long[] delta = deltaRows(workload);
        apps.stop("ingest"); // DuckDB's file is the worker's while it runs
        long[] duck = duckRows();
        // Lineage: every run whose COMPLETE was acknowledged is COMPLETED.
        List<String> lostRuns = new ArrayList<>();
        for (LineageRun run : runs) {
            if (run.complete() == 201) {
                Answer answer = workload.call("GET", "/api/v1/runs/" + run.runId(), null);
                if (answer.status() != 200
                        || !"COMPLETED".equals(answer.json().path("state").asString())) {
                    lostRuns.add(run.runId() + " " + answer.status() + " " + answer.text());
                }
            }
        }
        long runsAcknowledged = runs.stream().filter(r -> r.complete() == 201).count();
        List<String> serverErrors = new ArrayList<>();
        commits.operations().stream()
                .filter(o -> o.outcome() == Outcome.SERVER_ERROR)
                .forEach(o -> serverErrors.add(o.status() + " " + o.answer()));
        runs.stream()
                .filter(r -> isServerError(r.start()) || isServerError(r.complete()))
                .forEach(r -> serverErrors.add("lineage run " + r));

        System.out.printf(
                Locale.ROOT,
                "platform under faults: %d s; kill -9 of metadata, lineage, ingest, gateway and Postgres unreachable"
                        + " 4 s; commits %d (%d acknowledged, %d refused, %d indeterminate), lost %d, duplicated %d,"
                        + " gaps %d; events %d: DuckDB %d rows (%d distinct), Delta %d rows (%d distinct);"
                        + " lineage runs %d (%d acknowledged), lost %d; server errors %d%n",
                seconds,
                commits.operations().size(),
                commits.count(Outcome.ACKNOWLEDGED),
                commits.count(Outcome.REFUSED),
                commits.count(Outcome.INDETERMINATE),
                check.lost().size(),
                check.duplicated().size(),
                check.gaps().size(),
                EVENTS,
                duck[0],
                duck[1],
                delta[0],
                delta[1],
                runs.size(),
                runsAcknowledged,
                lostRuns.size(),
                serverErrors.size());

        System.out.println("| fault | down (ms) | first acknowledged commit after it (ms) |");
        System.out.println("| --- | --- | --- |");
        for (Fault fault : faults) {
            System.out.printf(
                    Locale.ROOT,
                    "| %s | %,d | %,d |%n",
                    fault.kind(),
                    (fault.ended() - fault.began()) / 1_000_000,
                    (fault.recovered() - fault.ended()) / 1_000_000);
        }

        assertThat(serverErrors).as("answers other than 2xx, 4xx or 503").isEmpty();
        check.assertNothingLost(commits);
        assertThat(duck).as("DuckDB rows, distinct ids").containsExactly(EVENTS, EVENTS);
        assertThat(delta).as("Delta table rows, distinct ids").containsExactly(EVENTS, EVENTS);
        assertThat(lostRuns).as("acknowledged runs not COMPLETED").isEmpty();
        assertThat(runsAcknowledged).as("lineage runs acknowledged").isPositive();
    }

    /**
     * Waits until a commit is acknowledged after {@code fault} ended — the platform recovers without a
     * manual step (the gateway's circuit breaker may hold a restarted backend back for its open
     * duration) — and keeps the fault with that time, before the next fault begins.
     */
    private void recovered(Fault fault) {
        long deadline = fault.ended() + RECOVERY.toNanos();
        while (true) {
            for (long t : commits.acknowledgedAt()) {
                if (t > fault.ended()) {
                    faults.add(new Fault(fault.kind(), fault.began(), fault.ended(), t));
                    return;
                }
            }
            assertThat(System.nanoTime())
                    .as("a commit acknowledged within %s after '%s', without a manual step", RECOVERY, fault.kind())
                    .isLessThan(deadline);
            CommitWorkload.pause(Duration.ofMillis(20));
        }
    }

    private static boolean isServerError(int status) {
        return status >= 500 && status != 503;
    }

    private void createMapping(CommitWorkload workload, String name, String target) {
        String body = "{\"name\":\"" + name + "\",\"source\":{\"type\":\"kafka\",\"topic\":\"" + TOPIC
                + "\",\"start_from\":\"earliest\"},\"target\":" + target + ",\"format\":\"json\","
                + "\"columns\":[{\"name\":\"id\",\"type\":\"BIGINT\",\"path\":\"$.id\"}],"
                + "\"batch\":{\"max_rows\":500,\"max_wait_ms\":300}}";
        Answer created = workload.call("POST", "/api/v1/ingest/mappings", body);
        assertThat(created.status()).as(created.text()).isEqualTo(201);
    }

    /** EVENTS events, {"id": i}, a few hundred a second over the schedule; acks=all, idempotent. */
    private void produce() {
        Properties settings = new Properties();
        settings.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.getBrokersAsString());
        settings.put(ProducerConfig.ACKS_CONFIG, "all");
        settings.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        try (KafkaProducer<String, String> producer =
                new KafkaProducer<>(settings, new StringSerializer(), new StringSerializer())) {
            for (int i = 0; i < EVENTS; i++) {
                producer.send(new ProducerRecord<>(TOPIC, Integer.toString(i), "{\"id\":" + i + "}"));
                if (i % 100 == 99) {
                    producer.flush();
                    CommitWorkload.pause(Duration.ofMillis(400));
                }
            }
            producer.flush();
        }
    }

    /** OpenLineage runs, START then COMPLETE, each answer kept, until told to stop. */
    private void reportRuns(CommitWorkload workload, AtomicBoolean running) {
        while (running.get()) {
            String runId = UUID.randomUUID().toString();
            int start = workload.call("POST", "/api/v1/lineage", runEvent("START", runId))
                    .status();
            int complete = start == 201 || start == 200
                    ? workload.call("POST", "/api/v1/lineage", runEvent("COMPLETE", runId))
                            .status()
                    : -2;
            runs.add(new LineageRun(runId, start, complete));
            CommitWorkload.pause(Duration.ofMillis(50));
        }
    }

    private static String runEvent(String type, String runId) {
        return "{\"eventType\":\"" + type + "\",\"eventTime\":\"" + java.time.Instant.now() + "\",\"run\":{\"runId\":\""
                + runId + "\"},\"job\":{\"namespace\":\"faults\",\"name\":\"nightly\"},"
                + "\"producer\":\"https://github.com/deltaplane/deltaplane/reliability-tests\","
                + "\"schemaURL\":\"https://openlineage.io/spec/2-0-2/OpenLineage.json#/$defs/RunEvent\"}";
    }

    private static void awaitIngested(CommitWorkload workload, String mapping) {
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
        JsonNode status = null;
        while (System.nanoTime() < deadline) {
            Answer answer = workload.call("GET", "/api/v1/ingest/mappings/" + mapping + "/status", null);
            if (answer.status() == 200) {
                status = answer.json();
                if (status.path("rows_ingested").asLong() >= EVENTS) {
                    return;
                }
            }
            CommitWorkload.pause(Duration.ofMillis(200));
        }
        throw new AssertionError(mapping + " did not ingest " + EVENTS + " events: " + status);
    }

    /** Rows and distinct ids of the Delta table's live files, read with DuckDB. */
    private static long[] deltaRows(CommitWorkload workload) throws Exception {
        JsonNode table =
                workload.call("GET", "/api/v1/tables/pf.s.events", null).json();
        Path location = Path.of(URI.create(table.path("location").asString()));
        List<String> files = new ArrayList<>();
        String token = null;
        do {
            JsonNode page = workload.call(
                            "GET",
                            "/api/v1/tables/pf.s.events/snapshot/files?max_results=1000"
                                    + (token == null ? "" : "&page_token=" + token),
                            null)
                    .json();
            page.path("files")
                    .forEach(f -> files.add(
                            location.resolve(f.path("path").asString()).toString()));
            token = page.path("next_page_token").isString()
                    ? page.path("next_page_token").asString()
                    : null;
        } while (token != null);
        assertThat(files).isNotEmpty();
        try (Connection duck = DriverManager.getConnection("jdbc:duckdb:");
                Statement s = duck.createStatement();
                ResultSet rs = s.executeQuery("SELECT count(*), count(DISTINCT id) FROM read_parquet(["
                        + String.join(
                                ",",
                                files.stream()
                                        .map(f -> "'" + f.replace("'", "''") + "'")
                                        .toList())
                        + "])")) {
            rs.next();
            return new long[] {rs.getLong(1), rs.getLong(2)};
        }
    }

    /** Rows and distinct ids the DuckDB mapping landed. */
    private long[] duckRows() throws Exception {
        Properties readOnly = new Properties();
        readOnly.setProperty("duckdb.read_only", "true");
        try (Connection duck = DriverManager.getConnection("jdbc:duckdb:" + apps.ingestWarehouse(), readOnly);
                Statement s = duck.createStatement();
                ResultSet rs = s.executeQuery("SELECT count(*), count(DISTINCT id) FROM faults.orders")) {
            rs.next();
            return new long[] {rs.getLong(1), rs.getLong(2)};
        }
    }
}
