package io.deltaplane.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import io.delta.kernel.Snapshot;
import io.delta.kernel.TableManager;
import io.delta.kernel.data.ColumnVector;
import io.delta.kernel.defaults.engine.DefaultEngine;
import io.delta.kernel.engine.Engine;
import io.delta.kernel.types.IntegerType;
import io.delta.kernel.types.LongType;
import io.deltaplane.testing.CommitChecker;
import io.deltaplane.testing.CommitHistory;
import io.deltaplane.testing.CommitHistory.Outcome;
import io.deltaplane.testing.CommitWorkload;
import io.deltaplane.testing.CommitWorkload.Answer;
import io.deltaplane.testing.DeltaScan;
import io.deltaplane.testing.FaultyConnections;
import io.deltaplane.testing.KafkaBrokerProcess;
import io.deltaplane.testing.PlatformApps;
import io.deltaplane.testing.RawS3DeltaLog;
import io.deltaplane.testing.S3ProxyServer;
import io.deltaplane.testing.TestDatabase;
import java.net.URI;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.hadoop.conf.Configuration;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.s3.S3Client;
import tools.jackson.databind.JsonNode;

/**
 * The whole platform under one schedule of faults: the four apps as the build packaged them, each
 * in a JVM of its own (as {@code ./platform up} runs them), a Kafka broker in a JVM of its own, the
 * warehouse on S3 (S3Proxy) and Postgres, each of the two reached through a proxy that can cut it
 * off. Throughout, writers commit to two Delta tables through the gateway (racing commits and
 * multi-table transactions), a producer sends events that two ingest mappings land in DuckDB and in
 * a Delta table on S3, and a pipeline reports OpenLineage runs. Meanwhile each app is killed with
 * {@code kill -9} and started again in turn, then the broker, then the object store is unreachable
 * (10 s; 30 s in the long variant) and Postgres for 4 s. Afterwards: every acknowledged commit is in its table once at its
 * version (no gap, nothing refused there) and published to its {@code _delta_log} (every action of
 * every version — add and remove with path, size, stats, partitionValues, dataChange and
 * deletionVector; txn, metaData, protocol, domainMetadata, commitInfo — field by field as Postgres
 * recorded it, the commit files read with the AWS SDK's own client and Jackson), every event the
 * broker acknowledged is in DuckDB and in the Delta table exactly once, every run whose COMPLETE was
 * acknowledged is COMPLETED in lineage, and no caller saw a server error other than 503 — without a
 * manual step after any fault.
 */
class PlatformUnderFaultsTest {

    private static final List<String> TABLES = List.of("pf.s.a", "pf.s.b");
    private static final String BUCKET = "lake";
    /** 10 s in the build; the long variant ({@code tools/soak --platform}) holds the store off for 30 s. */
    private static final Duration OBJECT_STORE_OUTAGE =
            Duration.ofSeconds(Long.getLong("faults.object-store-outage-seconds", 10));
    /** Rounds of the schedule: one in the build, more in the long variant ({@code tools/soak --platform}). */
    private static final int ROUNDS = Integer.getInteger("faults.rounds", 1);
    /** Events the producer sends per burst, a burst every 500 ms, until the schedule is over. */
    private static final int BURST = 50;

    private final TestDatabase db = TestDatabase.get();
    private final FaultyConnections postgres = FaultyConnections.inFrontOf(5432);
    private final S3ProxyServer s3 = S3ProxyServer.start();
    private final FaultyConnections objectStore = FaultyConnections.inFrontOf(s3.port());
    private S3Client store;
    private final CommitHistory commits = new CommitHistory();
    private final List<LineageRun> runs = new CopyOnWriteArrayList<>();
    private final AtomicLong eventsAcknowledged = new AtomicLong();
    private final AtomicLong eventsFailed = new AtomicLong();
    private KafkaBrokerProcess broker;
    private String topic;
    private PlatformApps apps;

    @TempDir
    Path downloads;

    /**
     * A fault: when it began, when it was over (the app ready again, Postgres reachable) and when a
     * commit was acknowledged again after it.
     */
    private record Fault(String kind, long began, long ended, long recovered) {
        Fault(String kind, long began, long ended) {
            this(kind, began, ended, -1);
        }
    }

    /** How long a caller may wait for progress after a part is back: the gateway's breaker included. */
    private static final Duration RECOVERY = Duration.ofSeconds(90);

    private final List<Fault> faults = new ArrayList<>();

    /** One OpenLineage run the pipeline reported: what its START and COMPLETE were answered. */
    private record LineageRun(String runId, int start, int complete) {}

    @AfterEach
    void stop() throws Exception {
        if (apps != null) {
            apps.close();
        }
        if (broker != null) {
            broker.close();
        }
        if (store != null) {
            store.close();
        }
        postgres.close();
        objectStore.close();
        s3.close();
    }

    @Test
    void nothingAcknowledgedIsLostWhenEachPartFails() throws Exception {
        broker = KafkaBrokerProcess.start();
        topic = broker.topic("faults-orders", 2);
        storeClient().createBucket(b -> b.bucket(BUCKET));
        // Every app reaches S3 through the proxy, configured as an operator would (AWS_* variables).
        Map<String, String> everyApp = new HashMap<>(s3.environment());
        everyApp.put("AWS_ENDPOINT_URL_S3", "http://127.0.0.1:" + objectStore.port());
        // The killed worker's consumers stay in their groups until their sessions time out; 10 s
        // instead of the default 45 s, so the schedule does not wait out what the setting decides.
        everyApp.put("DELTAPLANE_KAFKA_SESSION_TIMEOUT", "10s");
        apps = PlatformApps.start(
                broker.bootstrap(),
                Map.of("deltaplane.warehouse.uri", "s3://" + BUCKET + "/warehouse"),
                everyApp,
                db.url().replaceFirst("//[^/]+/", "//127.0.0.1:" + postgres.port() + "/"));
        CommitWorkload workload = new CommitWorkload(PlatformApps.ADMIN_KEY, TABLES, apps::gatewayUrl, commits);
        workload.createTables();
        createMapping(workload, "pf_duck", "{\"schema\":\"faults\",\"table\":\"orders\"}");
        createMapping(workload, "pf_delta", "{\"type\":\"delta\",\"table\":\"pf.s.events\"}");

        AtomicBoolean running = new AtomicBoolean(true);
        AtomicBoolean producing = new AtomicBoolean(true);
        workload.start(1);
        Thread producer = new Thread(() -> produce(producing), "producer");
        Thread pipeline = new Thread(() -> reportRuns(workload, running), "pipeline");
        producer.start();
        pipeline.start();

        long started = System.nanoTime();
        for (int round = 0; round < ROUNDS; round++) {
            faultSchedule(workload);
        }
        producing.set(false);
        producer.join(TimeUnit.MINUTES.toMillis(5));
        assertThat(producer.isAlive()).as("the producer's sends were answered").isFalse();
        assertThat(eventsFailed.get())
                .as("events the broker did not acknowledge")
                .isZero();
        long events = eventsAcknowledged.get();
        running.set(false);
        workload.stop();
        pipeline.join(TimeUnit.MINUTES.toMillis(1));
        long seconds = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - started);

        // Commits: each acknowledged one once, at its version; published without a manual step, every
        // action of every version of the log, as the AWS SDK's own S3 client fetches its commit files
        // from the bucket and Jackson parses them (not the platform's storage code, whose writes are
        // judged), with the fields Postgres recorded for it.
        Map<String, Long> current = workload.awaitPublished();
        CommitChecker.Check check;
        try (RawS3DeltaLog published = RawS3DeltaLog.connect(s3.environment())) {
            check = CommitChecker.checkEveryAction(db, commits, current, published::versions);
        }
        // Ingest: both mappings caught up with every event, each exactly once.
        awaitIngested(workload, "pf_duck", events);
        awaitIngested(workload, "pf_delta", events);
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
                "platform under faults: %d round(s), %d s; kill -9 of metadata, lineage, ingest, gateway, the Kafka broker;"
                        + " object store unreachable %d s, Postgres 4 s; commits %d (%d acknowledged, %d refused, %d indeterminate), lost %d, duplicated %d,"
                        + " gaps %d, _delta_log versions read from the bucket %d (mismatches %d); events %d: DuckDB %d rows (%d distinct), Delta %d rows (%d distinct, read by Delta Kernel from the bucket);"
                        + " lineage runs %d (%d acknowledged), lost %d; server errors %d%n",
                ROUNDS,
                seconds,
                OBJECT_STORE_OUTAGE.toSeconds(),
                commits.operations().size(),
                commits.count(Outcome.ACKNOWLEDGED),
                commits.count(Outcome.REFUSED),
                commits.count(Outcome.INDETERMINATE),
                check.lost().size(),
                check.duplicated().size(),
                check.gaps().size(),
                check.logVersionsRead(),
                check.logMismatches().size(),
                events,
                duck[0],
                duck[1],
                delta[0],
                delta[1],
                runs.size(),
                runsAcknowledged,
                lostRuns.size(),
                serverErrors.size());

        System.out.println("| fault | times | longest down (ms) | longest until progress again (ms): a commit"
                + " acknowledged, or a batch ingested after the broker and the object store |");
        System.out.println("| --- | --- | --- | --- |");
        Map<String, List<Fault>> byKind = new java.util.LinkedHashMap<>();
        faults.forEach(
                f -> byKind.computeIfAbsent(f.kind(), k -> new ArrayList<>()).add(f));
        byKind.forEach((kind, each) -> System.out.printf(
                Locale.ROOT,
                "| %s | %d | %,d | %,d |%n",
                kind,
                each.size(),
                each.stream().mapToLong(f -> f.ended() - f.began()).max().orElseThrow() / 1_000_000,
                each.stream().mapToLong(f -> f.recovered() - f.ended()).max().orElseThrow() / 1_000_000));

        assertThat(serverErrors).as("answers other than 2xx, 4xx or 503").isEmpty();
        check.assertNothingLost(commits);
        assertThat(duck).as("DuckDB rows, distinct ids").containsExactly(events, events);
        assertThat(delta).as("Delta table rows, distinct ids").containsExactly(events, events);
        assertThat(lostRuns).as("acknowledged runs not COMPLETED").isEmpty();
        assertThat(runsAcknowledged).as("lineage runs acknowledged").isPositive();
    }

    /**
     * One round: each app killed with {@code kill -9} and restarted, the Kafka broker too, the object
     * store unreachable, Postgres unreachable — each after the platform recovered from the one before.
     */
    private void faultSchedule(CommitWorkload workload) throws Exception {
        for (String app : List.of("metadata", "lineage", "ingest", "gateway")) {
            CommitWorkload.pause(FaultyConnections.BETWEEN_FAULTS);
            long began = System.nanoTime();
            apps.kill(app);
            assertPortClosed(app);
            apps.restart(app);
            recovered(new Fault("kill -9 " + app + ", restart", began, System.nanoTime()));
        }
        CommitWorkload.pause(FaultyConnections.BETWEEN_FAULTS);
        long brokerKilled = System.nanoTime();
        double producerClosed = KafkaBrokerProcess.connectionsClosed("producer");
        broker.kill();
        // the kill fired: the broker's process ended by SIGKILL, its port is closed, and the producer
        // (this JVM's client; the worker's consumers are in its own) lost its connection to it
        assertThat(broker.alive()).as("the broker's process after kill -9").isFalse();
        assertThat(broker.exitValue())
                .as("the broker's exit value (128 + SIGKILL)")
                .isEqualTo(137);
        assertThat(broker.acceptsConnections())
                .as("the broker's port after kill -9")
                .isFalse();
        KafkaBrokerProcess.awaitClientsLostTheBroker("producer", producerClosed, Duration.ofSeconds(30));
        broker.startAgain();
        ingestedAgain(workload, "pf_duck", new Fault("kill -9 Kafka broker, restart", brokerKilled, System.nanoTime()));
        CommitWorkload.pause(FaultyConnections.BETWEEN_FAULTS);
        long storeCut = System.nanoTime();
        int storeBroken = objectStore.brokenWhileUnreachable();
        objectStore.unreachable();
        CommitWorkload.pause(OBJECT_STORE_OUTAGE);
        objectStore.heal();
        assertThat(objectStore.brokenWhileUnreachable())
                .as("connections to the object store the outage broke (the apps reach it through the proxy)")
                .isGreaterThan(storeBroken);
        ingestedAgain(
                workload,
                "pf_delta",
                new Fault(
                        "object store unreachable " + OBJECT_STORE_OUTAGE.toSeconds() + " s",
                        storeCut,
                        System.nanoTime()));
        CommitWorkload.pause(FaultyConnections.BETWEEN_FAULTS);
        long cut = System.nanoTime();
        int postgresBroken = postgres.brokenWhileUnreachable();
        postgres.unreachable();
        CommitWorkload.pause(Duration.ofSeconds(4));
        postgres.heal();
        assertThat(postgres.brokenWhileUnreachable())
                .as("connections to Postgres the outage broke (every app's pool goes through the proxy)")
                .isGreaterThan(postgresBroken);
        recovered(new Fault("Postgres unreachable 4 s", cut, System.nanoTime()));
        CommitWorkload.pause(FaultyConnections.BETWEEN_FAULTS);
    }

    /** The killed app's port answers no connection: the kill happened. */
    private void assertPortClosed(String app) {
        String url = switch (app) {
            case "metadata" -> apps.metadataUrl();
            case "lineage" -> apps.lineageUrl();
            case "ingest" -> apps.ingestUrl();
            default -> apps.gatewayUrl();
        };
        java.net.URI uri = java.net.URI.create(url);
        try (java.net.Socket socket = new java.net.Socket()) {
            socket.connect(new java.net.InetSocketAddress(uri.getHost(), uri.getPort()), 1_000);
            throw new AssertionError(app + " still accepts connections on " + uri.getPort() + " after kill -9");
        } catch (java.io.IOException refused) {
            // closed: the kill fired
        }
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

    /**
     * Waits until {@code mapping} lands a batch after {@code fault} ended (the broker or the object
     * store is back; the producer is still sending) and keeps the fault with that time.
     */
    private void ingestedAgain(CommitWorkload workload, String mapping, Fault fault) {
        long deadline = fault.ended() + RECOVERY.toNanos();
        long before = rowsIngested(workload, mapping);
        while (true) {
            long now = rowsIngested(workload, mapping);
            if (before >= 0 && now > before) {
                faults.add(new Fault(fault.kind(), fault.began(), fault.ended(), System.nanoTime()));
                return;
            }
            before = before < 0 ? now : before;
            assertThat(System.nanoTime())
                    .as("%s ingests within %s after '%s', without a manual step", mapping, RECOVERY, fault.kind())
                    .isLessThan(deadline);
            CommitWorkload.pause(Duration.ofMillis(100));
        }
    }

    /** The mapping's rows ingested so far, or -1 when its status cannot be read just now. */
    private static long rowsIngested(CommitWorkload workload, String mapping) {
        Answer answer = workload.call("GET", "/api/v1/ingest/mappings/" + mapping + "/status", null);
        return answer.status() == 200 ? answer.json().path("rows_ingested").asLong() : -1;
    }

    private static boolean isServerError(int status) {
        return status >= 500 && status != 503;
    }

    private void createMapping(CommitWorkload workload, String name, String target) {
        String body = "{\"name\":\"" + name + "\",\"source\":{\"type\":\"kafka\",\"topic\":\"" + topic
                + "\",\"start_from\":\"earliest\"},\"target\":" + target + ",\"format\":\"json\","
                + "\"columns\":[{\"name\":\"id\",\"type\":\"BIGINT\",\"path\":\"$.id\"}],"
                + "\"batch\":{\"max_rows\":500,\"max_wait_ms\":300}}";
        Answer created = workload.call("POST", "/api/v1/ingest/mappings", body);
        assertThat(created.status()).as(created.text()).isEqualTo(201);
    }

    /**
     * Events {"id": i}, BURST every 500 ms until told to stop; acks=all, idempotent, each send waiting
     * out the broker's restart. Counts what the broker acknowledged, and what it did not.
     */
    private void produce(AtomicBoolean producing) {
        Properties settings = new Properties();
        settings.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrap());
        settings.put(ProducerConfig.ACKS_CONFIG, "all");
        settings.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        settings.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, (int) TimeUnit.MINUTES.toMillis(4));
        settings.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, TimeUnit.MINUTES.toMillis(4));
        try (KafkaProducer<String, String> producer =
                new KafkaProducer<>(settings, new StringSerializer(), new StringSerializer())) {
            for (long i = 0; producing.get(); i++) {
                producer.send(new ProducerRecord<>(topic, Long.toString(i), "{\"id\":" + i + "}"), (sent, failed) -> {
                    if (failed == null) {
                        eventsAcknowledged.incrementAndGet();
                    } else {
                        eventsFailed.incrementAndGet();
                    }
                });
                if (i % BURST == BURST - 1) {
                    producer.flush();
                    CommitWorkload.pause(Duration.ofMillis(500));
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

    private static void awaitIngested(CommitWorkload workload, String mapping, long events) {
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
        JsonNode status = null;
        while (System.nanoTime() < deadline) {
            Answer answer = workload.call("GET", "/api/v1/ingest/mappings/" + mapping + "/status", null);
            if (answer.status() == 200) {
                status = answer.json();
                if (status.path("rows_ingested").asLong() >= events) {
                    return;
                }
            }
            CommitWorkload.pause(Duration.ofMillis(200));
        }
        throw new AssertionError(mapping + " did not ingest " + events + " events: " + status);
    }

    /**
     * The test's own S3 client, straight to the store (not through the faulty proxy), built from the
     * SDK rather than by the platform's storage code.
     */
    private S3Client storeClient() {
        if (store == null) {
            store = RawS3DeltaLog.client(s3.environment());
        }
        return store;
    }

    /**
     * Rows and distinct ids of the Delta table as any engine reads it, never from the service's
     * answers: the bucket's copy of the table (its published {@code _delta_log} and data files) is
     * mirrored to local disk once the log holds the version the catalog is at, and Delta Kernel
     * reads that version.
     */
    private long[] deltaRows(CommitWorkload workload) throws Exception {
        JsonNode table =
                workload.call("GET", "/api/v1/tables/pf.s.events", null).json();
        URI location = URI.create(table.path("location").asString() + "/");
        assertThat(location.getScheme()).as("the Delta target's location").isEqualTo("s3");
        long version = table.path("version").asLong();
        Path mirror = mirror(location, version);
        Engine kernel = DefaultEngine.create(new Configuration());
        Snapshot snapshot = TableManager.loadSnapshot(mirror.toUri().toString())
                .atVersion(version)
                .build(kernel);
        long[] rows = {0};
        java.util.Set<Object> ids = new java.util.HashSet<>();
        DeltaScan.forEachRow(snapshot, kernel, row -> {
            ColumnVector id = row.column("id");
            rows[0]++;
            ids.add(
                    id.getDataType() instanceof LongType
                            ? (Object) id.getLong(row.index())
                            : id.getDataType() instanceof IntegerType
                                    ? (Object) (long) id.getInt(row.index())
                                    : id.getString(row.index()));
        });
        return new long[] {rows[0], ids.size()};
    }

    /**
     * The table at {@code location} (an s3:// URI ending in /) copied from the bucket to local disk
     * once its published log holds {@code version}, for Delta Kernel's default engine to read as any
     * engine would.
     */
    private Path mirror(URI location, long version) throws Exception {
        S3Client bucket = storeClient();
        String prefix = location.getPath().substring(1);
        String newest = prefix + "_delta_log/" + String.format(Locale.ROOT, "%020d.json", version);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!exists(bucket, location.getHost(), newest)) {
            assertThat(System.nanoTime())
                    .as("version %d published to %s", version, newest)
                    .isLessThan(deadline);
            Thread.sleep(200);
        }
        Path mirror = downloads.resolve(prefix.replace('/', '_'));
        int objects = 0;
        for (var object : bucket.listObjectsV2Paginator(
                        b -> b.bucket(location.getHost()).prefix(prefix))
                .contents()) {
            String relative = object.key().substring(prefix.length());
            if (relative.startsWith("_iceberg/")) {
                continue; // the Iceberg metadata the catalog keeps rewriting: no Delta engine reads it
            }
            Path local = mirror.resolve(relative);
            java.nio.file.Files.createDirectories(local.getParent());
            try {
                bucket.getObject(b -> b.bucket(location.getHost()).key(object.key()), local);
            } catch (software.amazon.awssdk.services.s3.model.NoSuchKeyException gone) {
                // deleted between the listing and the copy (log cleanup, an expired file): whether
                // the version still reads without it is what Kernel's read of the mirror then says
                java.nio.file.Files.deleteIfExists(local);
                continue;
            }
            objects++;
        }
        assertThat(objects).as("objects under " + location).isPositive();
        return mirror;
    }

    private static boolean exists(S3Client bucket, String name, String key) {
        try {
            bucket.headObject(b -> b.bucket(name).key(key));
            return true;
        } catch (software.amazon.awssdk.services.s3.model.NoSuchKeyException e) {
            return false;
        } catch (software.amazon.awssdk.services.s3.model.S3Exception e) {
            if (e.statusCode() == 404) {
                return false;
            }
            throw e;
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
