package io.deltaplane.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import io.delta.kernel.Snapshot;
import io.delta.kernel.TableManager;
import io.delta.kernel.data.ColumnVector;
import io.delta.kernel.defaults.engine.DefaultEngine;
import io.delta.kernel.engine.Engine;
import io.delta.kernel.types.IntegerType;
import io.deltaplane.testing.CommitWorkload;
import io.deltaplane.testing.DeltaScan;
import io.deltaplane.testing.FaultyConnections;
import io.deltaplane.testing.KafkaBrokerProcess;
import io.deltaplane.testing.PlatformApps;
import io.deltaplane.testing.ServiceProcess;
import io.deltaplane.testing.TestDatabase;
import io.deltaplane.testing.TestHttp;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
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
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The ingest tier as the chart runs it, scaled out and knocked about on one machine: two ingest
 * workers (the build's jar, each in its own JVM, each under the id a pod keeps) consume one Kafka
 * topic of four partitions into one Delta table through one metadata-service, which relays every
 * version to two lineage-services behind a round-robin balancer. For about half a minute a
 * producer sends events while a worker is killed with {@code kill -9} and started again under its
 * id, and the other goes 2 → 1 → 2 by SIGTERM (its partitions move to the survivor). Each worker
 * keeps its pending batches in a DuckDB file of its own (two processes cannot open one; MotherDuck,
 * which pods would share, is out of reach here — {@code SharedWarehouseTest} runs two sinks on one
 * warehouse): exactly once comes from the positions in the Delta table. Checked after the producer
 * stops, each printed with its count: every event the broker acknowledged is in the table exactly
 * once as Delta Kernel reads it from disk (so every file the version references exists); the
 * mapping's status, asked of either worker, counts every worker's rows (within a status interval:
 * each worker reports every interval, so another's figure may trail by one) and lists both; and
 * lineage holds one snapshot per table version, none twice, whichever replica took each.
 */
class IngestScaleOutTest {

    private static final String KEY = "ingest-scale-out-admin-key-01";
    private static final String MAPPING = "so_events";
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final int BURST = 250;

    private final TestDatabase db = TestDatabase.createAnother();
    private final FaultyConnections lineageService = FaultyConnections.balancing();
    private final List<ServiceProcess> lineage = new ArrayList<>();
    private final Map<String, ServiceProcess> workers = new TreeMap<>();
    private final AtomicLong acknowledged = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();
    private KafkaBrokerProcess broker;
    private ServiceProcess metadata;
    private Path work;
    private String topic;

    @AfterEach
    void stop() throws Exception {
        workers.values().forEach(ServiceProcess::close);
        if (metadata != null) {
            metadata.close();
        }
        lineage.forEach(ServiceProcess::close);
        lineageService.close();
        if (broker != null) {
            broker.close();
        }
    }

    @Test
    void twoWorkersKilledAndScaledIngestEveryEventOnceAndReportAsOne() throws Exception {
        work = Files.createTempDirectory(
                Files.createDirectories(Path.of("target", "e2e").toAbsolutePath()), "ingest-scale-out-");
        broker = KafkaBrokerProcess.start();
        topic = broker.topic("so-events", 4);
        for (int i = 1; i <= 2; i++) {
            ServiceProcess replica = ServiceProcess.start(
                    "lineage-" + i,
                    ServiceProcess.Launch.jar(PlatformApps.builtJar("lineage-service")),
                    ServiceProcess.SUITE_JVM_OPTIONS,
                    db,
                    KEY,
                    Map.of("deltaplane.artifacts.dir", work.resolve("artifacts").toString()));
            lineage.add(replica);
            lineageService.addUpstream(replica.port());
        }
        metadata = ServiceProcess.start(
                "metadata",
                ServiceProcess.Launch.jar(PlatformApps.builtJar("metadata-service")),
                ServiceProcess.SUITE_JVM_OPTIONS,
                db,
                KEY,
                Map.of(
                        "deltaplane.warehouse.root",
                        work.resolve("warehouse").toString(),
                        "deltaplane.lineage.base-url",
                        "http://127.0.0.1:" + lineageService.port(),
                        "deltaplane.lineage.api-key",
                        KEY));
        TestHttp catalog = new TestHttp(metadata.baseUrl(), KEY);
        assertThat(catalog.post("/api/v1/catalogs", "{\"name\":\"so\"}").statusCode())
                .isEqualTo(201);
        assertThat(catalog.post("/api/v1/schemas", "{\"catalog_name\":\"so\",\"name\":\"s\"}")
                        .statusCode())
                .isEqualTo(201);
        startWorker("ingest-a");
        startWorker("ingest-b");
        HttpResponse<String> created = http("ingest-a")
                .post(
                        "/api/v1/ingest/mappings",
                        "{\"name\":\"" + MAPPING + "\",\"source\":{\"type\":\"kafka\",\"topic\":\"" + topic
                                + "\",\"start_from\":\"earliest\"},\"target\":{\"type\":\"delta\",\"table\":\"so.s.events\"},"
                                + "\"format\":\"json\",\"columns\":[{\"name\":\"id\",\"type\":\"BIGINT\",\"path\":\"$.id\"}],"
                                + "\"batch\":{\"max_rows\":500,\"max_wait_ms\":300}}");
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);

        AtomicBoolean producing = new AtomicBoolean(true);
        Thread producer = new Thread(() -> produce(producing), "so-producer");
        producer.start();
        long started = System.nanoTime();
        List<String> faults = new ArrayList<>();
        CommitWorkload.pause(Duration.ofSeconds(8));
        workers.remove("ingest-a").kill();
        faults.add("kill -9 ingest-a");
        CommitWorkload.pause(Duration.ofSeconds(4));
        startWorker("ingest-a");
        faults.add("ingest-a restarted under its id");
        CommitWorkload.pause(Duration.ofSeconds(8));
        workers.remove("ingest-b").close();
        faults.add("SIGTERM ingest-b (2 -> 1)");
        CommitWorkload.pause(Duration.ofSeconds(6));
        startWorker("ingest-b");
        faults.add("ingest-b back (1 -> 2)");
        CommitWorkload.pause(Duration.ofSeconds(6));
        producing.set(false);
        producer.join(TimeUnit.MINUTES.toMillis(5));
        long seconds = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - started);
        long events = acknowledged.get();

        JsonNode status = awaitIngested(events);
        Map<String, Long> answeredBy = new TreeMap<>();
        Map<String, Set<String>> workersSeen = new TreeMap<>();
        for (String worker : workers.keySet()) {
            // each worker reports every status interval (1 s here): another's figure may trail by one
            JsonNode seen = awaitAnswer(worker, events, Duration.ofSeconds(20));
            answeredBy.put(worker, seen.path("rows_ingested").asLong());
            Set<String> listed = new java.util.TreeSet<>();
            seen.path("workers").forEach(w -> {
                if (w.path("live").asBoolean()) {
                    listed.add(w.path("worker").asString());
                }
            });
            workersSeen.put(worker, listed);
        }
        JsonNode table = JSON.readTree(catalog.get("/api/v1/tables/so.s.events").body());
        long version = table.path("version").asLong();
        long[] rows = deltaRows(URI.create(table.path("location").asString()), version);
        Map<Long, Integer> snapshots = lineageSnapshots();
        long relayDeadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!snapshots.containsKey(version) && System.nanoTime() < relayDeadline) {
            CommitWorkload.pause(Duration.ofMillis(500)); // relayed after the commit, in the background
            snapshots = lineageSnapshots();
        }
        List<Long> twice = snapshots.entrySet().stream()
                .filter(e -> e.getValue() > 1)
                .map(Map.Entry::getKey)
                .toList();
        System.out.printf(
                Locale.ROOT,
                "ingest scale out: %d s, faults %s; events acknowledged %d (failed %d); Delta rows %d, distinct ids %d"
                        + " at version %d; rows_ingested by the answering worker %s, live workers listed %s;"
                        + " lineage snapshots %d for versions up to %d, twice %s%n",
                seconds,
                faults,
                events,
                failed.get(),
                rows[0],
                rows[1],
                version,
                answeredBy,
                workersSeen,
                snapshots.size(),
                snapshots.keySet().stream().mapToLong(Long::longValue).max().orElse(-1),
                twice);

        assertThat(failed.get()).as("events the broker refused").isZero();
        assertThat(rows[1]).as("distinct events in the Delta table").isEqualTo(events);
        assertThat(rows[0])
                .as("rows in the Delta table (an event twice would show here)")
                .isEqualTo(events);
        assertThat(answeredBy.values())
                .as("rows_ingested, whichever worker answers (within a status interval of the last batch)")
                .containsOnly(events);
        assertThat(workersSeen.values())
                .as("the live workers each answer lists")
                .allSatisfy(listed -> assertThat(listed).containsExactlyInAnyOrder("ingest-a", "ingest-b"));
        assertThat(status.path("rows_dead_lettered").asLong()).isZero();
        assertThat(twice).as("table versions with two lineage snapshots").isEmpty();
        assertThat(snapshots).as("a lineage snapshot of the newest version").containsKey(version);
    }

    private void startWorker(String id) throws Exception {
        Map<String, String> settings = new LinkedHashMap<>();
        settings.put("deltaplane.ingest.kafka-bootstrap", broker.bootstrap());
        settings.put("deltaplane.ingest.policy.allowed-hosts", broker.bootstrap());
        // the shortest Kafka allows: a killed worker's partitions move within seconds
        settings.put("deltaplane.ingest.kafka-session-timeout", "6s");
        settings.put("deltaplane.ingest.status-interval", "1s");
        settings.put("deltaplane.warehouse.duckdb", work.resolve(id + ".duckdb").toString());
        settings.put("deltaplane.services.metadata-url", metadata.baseUrl());
        settings.put("deltaplane.services.lineage-url", "http://127.0.0.1:" + lineageService.port());
        settings.put("deltaplane.services.api-key", KEY);
        settings.put(
                "deltaplane.delta-target.staging-dir",
                work.resolve(id + "-staging").toString());
        settings.put("deltaplane.delta-target.worker-id", id);
        workers.put(
                id,
                ServiceProcess.start(
                        id,
                        ServiceProcess.Launch.jar(PlatformApps.builtJar("ingest-worker")),
                        ServiceProcess.SUITE_JVM_OPTIONS,
                        db,
                        KEY,
                        settings));
    }

    private TestHttp http(String worker) {
        return new TestHttp(workers.get(worker).baseUrl(), KEY);
    }

    /** Events {"id": i}, BURST every 250 ms until told to stop; acks=all, idempotent; counts what the broker acknowledged. */
    private void produce(AtomicBoolean producing) {
        Properties settings = new Properties();
        settings.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrap());
        settings.put(ProducerConfig.ACKS_CONFIG, "all");
        settings.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        try (KafkaProducer<String, String> producer =
                new KafkaProducer<>(settings, new StringSerializer(), new StringSerializer())) {
            for (long i = 0; producing.get(); i++) {
                producer.send(new ProducerRecord<>(topic, Long.toString(i), "{\"id\":" + i + "}"), (sent, error) -> {
                    if (error == null) {
                        acknowledged.incrementAndGet();
                    } else {
                        failed.incrementAndGet();
                    }
                });
                if (i % BURST == BURST - 1) {
                    producer.flush();
                    CommitWorkload.pause(Duration.ofMillis(250));
                }
            }
            producer.flush();
        }
    }

    /** The mapping's status (asked of the first worker) once it counts {@code events} rows, up to 3 minutes. */
    private JsonNode awaitIngested(long events) {
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(3);
        JsonNode status = null;
        while (System.nanoTime() < deadline) {
            HttpResponse<String> answer =
                    http(workers.keySet().iterator().next()).get("/api/v1/ingest/mappings/" + MAPPING + "/status");
            if (answer.statusCode() == 200) {
                status = JSON.readTree(answer.body());
                if (status.path("rows_ingested").asLong() >= events) {
                    return status;
                }
            }
            CommitWorkload.pause(Duration.ofMillis(200));
        }
        throw new AssertionError(MAPPING + " did not ingest " + events + " events: " + status);
    }

    /** {@code worker}'s status of the mapping once it counts {@code events} rows, or its last answer after {@code within}. */
    private JsonNode awaitAnswer(String worker, long events, Duration within) {
        long deadline = System.nanoTime() + within.toNanos();
        while (true) {
            JsonNode seen = JSON.readTree(http(worker)
                    .get("/api/v1/ingest/mappings/" + MAPPING + "/status")
                    .body());
            if (seen.path("rows_ingested").asLong() == events || System.nanoTime() > deadline) {
                return seen;
            }
            CommitWorkload.pause(Duration.ofMillis(100));
        }
    }

    /** Rows and distinct ids of the Delta table at {@code version}, as Delta Kernel reads it from disk. */
    private static long[] deltaRows(URI location, long version) {
        Engine kernel = DefaultEngine.create(new Configuration());
        Snapshot snapshot = TableManager.loadSnapshot(location.toString())
                .atVersion(version)
                .build(kernel);
        long[] rows = {0};
        Set<Long> ids = new HashSet<>();
        DeltaScan.forEachRow(snapshot, kernel, row -> {
            ColumnVector id = row.column("id");
            rows[0]++;
            ids.add(id.getDataType() instanceof IntegerType ? (long) id.getInt(row.index()) : id.getLong(row.index()));
        });
        return new long[] {rows[0], ids.size()};
    }

    /** How many lineage snapshots each version of the table has, paged through one lineage replica. */
    private Map<Long, Integer> lineageSnapshots() {
        Map<Long, Integer> versions = new TreeMap<>();
        TestHttp http = new TestHttp(lineage.get(0).baseUrl(), KEY);
        String token = null;
        do {
            String path = "/api/v1/tables/so.s.events/snapshots?max_results=500"
                    + (token == null
                            ? ""
                            : "&page_token="
                                    + java.net.URLEncoder.encode(token, java.nio.charset.StandardCharsets.UTF_8));
            JsonNode page = JSON.readTree(http.get(path).body());
            for (JsonNode snapshot : page.path("snapshots")) {
                if (snapshot.has("version")) {
                    versions.merge(snapshot.path("version").asLong(), 1, Integer::sum);
                }
            }
            token = page.path("next_page_token").isMissingNode()
                            || page.path("next_page_token").isNull()
                    ? null
                    : page.path("next_page_token").asString();
        } while (token != null);
        return versions;
    }
}
