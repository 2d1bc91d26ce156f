package io.deltaplane.ingest.delta;

import io.deltaplane.ingest.bench.IngestBenchmark;
import io.deltaplane.testing.PlatformApps;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.springframework.kafka.test.EmbeddedKafkaKraftBroker;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A table fed by a stream, left to the platform: does it stay healthy under the default maintenance
 * policy? Issue #34's "done when", as a program to run for an hour (not a test: it takes the hour).
 *
 * <pre>
 * ./mvnw -B -q install -Dmaven.test.skip=true     # the soak starts the built apps' jars
 * BENCH_JAVA_OPTS="-Dsoak.minutes=60" tools/bench ingest-worker io.deltaplane.ingest.delta.StreamSoak
 * </pre>
 *
 * Starts the four apps as {@link PlatformApps} (own JVMs, a fresh Postgres database, metadata-service's
 * maintenance worker with its default policy) and an embedded KRaft broker, makes an ingest mapping
 * from a topic into the Delta table {@code soak.stream.events} (one commit per batch, a batch a
 * second), and produces {@code soak.rate} events a second for {@code soak.minutes}. Every {@code
 * soak.sample-seconds} it prints the table's version, live files, {@code _delta_log} files and bytes
 * and the rows ingested. When the stream ends and every event is in, Delta Kernel reads the
 * published table at every {@code soak.read-every}-th version and at every version whose commit is
 * an OPTIMIZE (and the one before it): each version's rows are those committed up to it, no row
 * twice, and OPTIMIZE changes no row. The last line is {@code RESULT minutes=… events=… versions=…
 * max_live_files=… final_live_files=… log_json_files=… log_bytes=… checkpoints=… optimizes=…
 * versions_read=… mismatches=…}.
 */
public final class StreamSoak {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final String TABLE = "soak.stream.events";

    private final HttpClient http = HttpClient.newHttpClient();
    private final PlatformApps apps;

    private StreamSoak(PlatformApps apps) {
        this.apps = apps;
    }

    public static void main(String[] args) throws Exception {
        double minutes = Double.parseDouble(System.getProperty("soak.minutes", "60"));
        int rate = Integer.getInteger("soak.rate", 50);
        int sampleSeconds = Integer.getInteger("soak.sample-seconds", 60);
        int readEvery = Integer.getInteger("soak.read-every", 50);
        EmbeddedKafkaKraftBroker broker = new EmbeddedKafkaKraftBroker(1, 1);
        broker.brokerProperty("group.initial.rebalance.delay.ms", "0");
        broker.afterPropertiesSet();
        String bootstrap = broker.getBrokersAsString();
        String topic = "soak-" + System.currentTimeMillis();
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrap))) {
            admin.createTopics(List.of(new NewTopic(topic, 1, (short) 1))).all().get();
        }
        try (PlatformApps apps = PlatformApps.start(bootstrap)) {
            new StreamSoak(apps).run(bootstrap, topic, minutes, rate, sampleSeconds, readEvery);
        } finally {
            broker.destroy();
        }
    }

    private void run(String bootstrap, String topic, double minutes, int rate, int sampleSeconds, int readEvery)
            throws Exception {
        post("/api/v1/catalogs", "{\"name\":\"soak\"}");
        post("/api/v1/schemas", "{\"catalog_name\":\"soak\",\"name\":\"stream\"}");
        post("/api/v1/ingest/mappings", """
                {"name": "soak", "source": {"type": "kafka", "topic": "%s", "start_from": "earliest"},
                 "target": {"type": "delta", "table": "%s"}, "format": "json",
                 "columns": [{"name": "id", "type": "BIGINT"}, {"name": "device", "type": "VARCHAR"},
                             {"name": "temperature", "type": "DOUBLE"}],
                 "batch": {"max_rows": 10000, "max_wait_ms": 1000}}""".formatted(topic, TABLE));
        System.out.printf(
                "soak: %.1f min, %d events/s into %s (one commit per batch, a batch a second), default"
                        + " maintenance policy; cores=%d%n",
                minutes, rate, TABLE, Runtime.getRuntime().availableProcessors());
        System.out.println("| minute | events sent | rows ingested | version | live files | _delta_log JSON files"
                + " | checkpoints | _delta_log MB |");
        System.out.println("| --- | --- | --- | --- | --- | --- | --- | --- |");

        AtomicLong sent = new AtomicLong();
        long started = System.nanoTime();
        long end = started + (long) (minutes * 60e9);
        long nextSample = started + TimeUnit.SECONDS.toNanos(sampleSeconds);
        long maxLiveFiles = 0;
        try (KafkaProducer<byte[], byte[]> producer = producer(bootstrap)) {
            long tick = started;
            for (long ticks = 1; System.nanoTime() < end; ticks++) {
                // rate events a second, sent in tenths of a second
                while (sent.get() < rate * ticks / 10) {
                    producer.send(new ProducerRecord<>(topic, IngestBenchmark.event(sent.getAndIncrement())));
                }
                tick += TimeUnit.MILLISECONDS.toNanos(100);
                long wait = tick - System.nanoTime();
                if (wait > 0) {
                    TimeUnit.NANOSECONDS.sleep(wait);
                }
                if (System.nanoTime() >= nextSample) {
                    producer.flush();
                    maxLiveFiles =
                            Math.max(maxLiveFiles, sample(started, sent.get()).liveFiles());
                    nextSample += TimeUnit.SECONDS.toNanos(sampleSeconds);
                }
            }
            producer.flush();
        }
        long events = sent.get();
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(5);
        while (ingested() < events && System.nanoTime() < deadline) {
            TimeUnit.SECONDS.sleep(1);
        }
        Sample last = sample(started, events);
        maxLiveFiles = Math.max(maxLiveFiles, last.liveFiles());
        if (last.ingested() != events) {
            throw new IllegalStateException(last.ingested() + " of " + events + " events ingested after 5 minutes");
        }
        Check check = readVersions(last.location(), last.version(), readEvery);
        System.out.printf(
                "RESULT minutes=%.1f events=%d versions=%d max_live_files=%d final_live_files=%d log_json_files=%d"
                        + " log_bytes=%d checkpoints=%d optimizes=%d versions_read=%d mismatches=%d%n",
                minutes,
                events,
                last.version() + 1,
                maxLiveFiles,
                last.liveFiles(),
                last.logJsonFiles(),
                last.logBytes(),
                last.checkpoints(),
                check.optimizes(),
                check.read(),
                check.mismatches());
        if (check.mismatches() > 0) {
            System.exit(1);
        }
    }

    private record Sample(
            String location,
            long version,
            long liveFiles,
            long ingested,
            long logJsonFiles,
            long checkpoints,
            long logBytes) {}

    private Sample sample(long started, long sent) throws Exception {
        JsonNode snapshot = get("/api/v1/tables/" + TABLE + "/snapshot");
        String location = snapshot.get("location").asString();
        Path log = Path.of(URI.create(location)).resolve("_delta_log");
        long json = 0;
        long checkpoints = 0;
        long bytes = 0;
        try (Stream<Path> files = Files.list(log)) {
            for (Path file : files.toList()) {
                String name = file.getFileName().toString();
                json += name.endsWith(".json") ? 1 : 0;
                checkpoints += name.endsWith(".checkpoint.parquet") ? 1 : 0;
                bytes += Files.isRegularFile(file) ? Files.size(file) : 0;
            }
        }
        Sample sample = new Sample(
                location,
                snapshot.get("version").asLong(),
                snapshot.get("num_files").asLong(),
                ingested(),
                json,
                checkpoints,
                bytes);
        System.out.printf(
                "| %.0f | %,d | %,d | %,d | %,d | %,d | %,d | %.1f |%n",
                (System.nanoTime() - started) / 60e9,
                sent,
                sample.ingested(),
                sample.version(),
                sample.liveFiles(),
                json,
                checkpoints,
                bytes / 1e6);
        return sample;
    }

    private long ingested() throws Exception {
        return get("/api/v1/ingest/mappings/soak/status").get("rows_ingested").asLong();
    }

    private record Check(int read, int optimizes, int mismatches) {}

    /**
     * Kernel reads sampled versions and every OPTIMIZE (with the version before it) from the published
     * log: each version holds ids {@code 0..n-1} once each, n growing with the version, and an
     * OPTIMIZE holds the same n as the version before it.
     */
    private Check readVersions(String location, long latest, int every) throws Exception {
        Set<Long> versions = new java.util.TreeSet<>();
        for (long v = 0; v <= latest; v += every) {
            versions.add(v);
        }
        versions.add(latest);
        Map<Long, String> operations = operations();
        int optimizes = 0;
        for (Map.Entry<Long, String> op : operations.entrySet()) {
            if ("OPTIMIZE".equals(op.getValue())) {
                optimizes++;
                versions.add(op.getKey());
                versions.add(op.getKey() - 1);
            }
        }
        int mismatches = 0;
        long previousVersion = -1;
        long previousRows = 0;
        Map<Long, Long> rowsAt = new HashMap<>();
        for (long v : versions) {
            List<DeltaRows.Ingested> rows = DeltaRows.read(location, v);
            Set<Long> ids = new HashSet<>();
            long max = -1;
            for (DeltaRows.Ingested row : rows) {
                ids.add(row.id());
                max = Math.max(max, row.id());
            }
            // The stream is one partition in order: version v holds exactly the first n events.
            boolean ok = ids.size() == rows.size() && max == rows.size() - 1 && rows.size() >= previousRows;
            if ("OPTIMIZE".equals(operations.get(v)) && rowsAt.containsKey(v - 1)) {
                ok &= rows.size() == rowsAt.get(v - 1);
            }
            if (!ok) {
                mismatches++;
                System.out.printf(
                        "MISMATCH at version %d (%s): %d rows, %d distinct ids, highest id %d; version %d had %d rows%n",
                        v, operations.get(v), rows.size(), ids.size(), max, previousVersion, previousRows);
            }
            rowsAt.put(v, (long) rows.size());
            previousVersion = v;
            previousRows = rows.size();
        }
        System.out.printf(
                "Kernel read %d versions of %d from the published log (%d OPTIMIZE commits among them): %d"
                        + " mismatches%n",
                versions.size(), latest + 1, optimizes, mismatches);
        return new Check(versions.size(), optimizes, mismatches);
    }

    /** Each version's commit operation, from the table's history. */
    private Map<Long, String> operations() throws Exception {
        Map<Long, String> operations = new HashMap<>();
        String token = null;
        do {
            JsonNode page = get("/api/v1/tables/" + TABLE + "/history?max_results=1000"
                    + (token == null ? "" : "&page_token=" + token));
            for (JsonNode commit : page.get("commits")) {
                operations.put(
                        commit.get("version").asLong(), commit.path("operation").asString(""));
            }
            token = page.path("next_page_token").asString(null);
        } while (token != null && !token.isEmpty());
        return operations;
    }

    private static KafkaProducer<byte[], byte[]> producer(String bootstrap) {
        Map<String, Object> props = new HashMap<>();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
        props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        return new KafkaProducer<>(props);
    }

    private JsonNode get(String path) throws IOException, InterruptedException {
        return send(HttpRequest.newBuilder(URI.create(apps.gatewayUrl() + path)).GET());
    }

    private JsonNode post(String path, String body) throws IOException, InterruptedException {
        return send(HttpRequest.newBuilder(URI.create(apps.gatewayUrl() + path))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)));
    }

    private JsonNode send(HttpRequest.Builder request) throws IOException, InterruptedException {
        HttpResponse<String> response = http.send(
                request.header("Authorization", "Bearer " + PlatformApps.ADMIN_KEY)
                        .timeout(Duration.ofSeconds(60))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() >= 300) {
            throw new IllegalStateException(request.build().method() + " "
                    + request.build().uri() + " answered " + response.statusCode() + ": " + response.body());
        }
        return JSON.readTree(response.body());
    }
}
