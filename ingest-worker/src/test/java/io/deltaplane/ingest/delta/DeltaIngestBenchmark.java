package io.deltaplane.ingest.delta;

import io.deltaplane.ingest.bench.IngestBenchmark;
import io.deltaplane.ingest.mapping.MappingSpec;
import io.deltaplane.ingest.mapping.MappingSpec.TargetSpec;
import io.deltaplane.ingest.sink.SinkBatch;
import io.deltaplane.ingest.sink.SinkFactory;
import io.deltaplane.ingest.sink.SinkPlan;
import io.deltaplane.ingest.sink.Stage;
import io.deltaplane.ingest.sink.Warehouse;
import io.deltaplane.ingest.status.IngestStats;
import io.deltaplane.testing.PlatformApps;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.URI;
import java.net.URLDecoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.duckdb.DuckDBConnection;
import org.springframework.kafka.test.EmbeddedKafkaKraftBroker;

/**
 * Kafka → Delta throughput of the ingest worker, next to Kafka → DuckDB and the Parquet-writing
 * ceiling, all measured in the same run.
 *
 * <pre>
 * ./mvnw -B -q install -DskipTests     # the benchmark starts the built metadata-service jar
 * BENCH_JAVA_OPTS="-Dbench.events=5000000" tools/bench ingest-worker io.deltaplane.ingest.delta.DeltaIngestBenchmark
 * </pre>
 *
 * Produces {@code bench.events} five-field JSON events to a 4-partition topic (embedded KRaft
 * broker), starts metadata-service, lineage-service and the gateway as {@link PlatformApps} (own
 * JVMs, a fresh Postgres database), then measures (1) the worker draining the topic into a DuckDB
 * file, (2) the ceiling: the same rows checked in DuckDB and written as Parquet straight from memory,
 * no broker, no commit, (3) the worker draining the topic into a Delta table, one commit per batch.
 * The rows are counted in the table's live files at its last version (the maintenance worker may
 * have compacted some meanwhile), and the commits' p99 is metadata-service's own commit latency
 * histogram over the Delta drain. The last line is {@code RESULT events_per_s=… ratio_to_parquet=…
 * commit_p99_ms=… batch_max_ms=… max_commit_gap_s=…}.
 */
public final class DeltaIngestBenchmark {

    public static void main(String[] args) throws Exception {
        long events = Long.getLong("bench.events", 5_000_000L);
        int batchRows = Integer.getInteger("bench.batch", 50_000);
        EmbeddedKafkaKraftBroker broker = new EmbeddedKafkaKraftBroker(1, IngestBenchmark.PARTITIONS);
        broker.brokerProperty("log.segment.bytes", String.valueOf(512 * 1024 * 1024));
        broker.brokerProperty("group.initial.rebalance.delay.ms", "0");
        broker.afterPropertiesSet();
        String bootstrap = broker.getBrokersAsString();
        Path dir = Files.createTempDirectory("delta-ingest-bench");
        String topic = "bench-" + System.currentTimeMillis();
        try (PlatformApps apps = PlatformApps.start()) {
            try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrap))) {
                admin.createTopics(List.of(new NewTopic(topic, IngestBenchmark.PARTITIONS, (short) 1)))
                        .all()
                        .get();
            }
            post(apps, "/api/v1/catalogs", "{\"name\":\"bench\"}");
            post(apps, "/api/v1/schemas", "{\"catalog_name\":\"bench\",\"name\":\"ingest\"}");
            System.out.printf(
                    "events=%,d batch=%,d partitions=%d broker=embedded KRaft, cores=%d%n",
                    events,
                    batchRows,
                    IngestBenchmark.PARTITIONS,
                    Runtime.getRuntime().availableProcessors());

            long t0 = System.nanoTime();
            IngestBenchmark.produce(bootstrap, topic, events);
            System.out.printf("produced   %,d events in %.1f s%n", events, (System.nanoTime() - t0) / 1e9);

            MappingSpec toDuckDb =
                    IngestBenchmark.mapping("bench_duckdb", topic, new TargetSpec(null, "bench", "events"), batchRows);
            double duckdb;
            try (Warehouse warehouse =
                    Warehouse.open(dir.resolve("duckdb.duckdb").toString())) {
                duckdb = events
                        / IngestBenchmark.drain(
                                SinkFactory.duckDb(warehouse, toDuckDb), toDuckDb, bootstrap, events, stats(toDuckDb));
            }
            System.out.printf("worker Kafka -> DuckDB:             %,10.0f events/s%n", duckdb);

            MappingSpec toDelta = IngestBenchmark.mapping(
                    "bench_delta",
                    topic,
                    new TargetSpec(TargetSpec.DELTA, null, null, "bench.ingest.events", null),
                    batchRows);
            double ceiling = parquetCeiling(dir, toDelta, events, batchRows);
            System.out.printf("Parquet ceiling (from memory):      %,10.0f rows/s%n", ceiling);

            List<Long> commitTimes = new ArrayList<>();
            CommitObserver observer = new CommitObserver() {
                @Override
                public String runId() {
                    return null;
                }

                @Override
                public void committed(String table, String location, long version) {
                    synchronized (commitTimes) {
                        commitTimes.add(System.nanoTime());
                    }
                }
            };
            SimpleMeterRegistry registry = new SimpleMeterRegistry();
            IngestStats stats = new IngestStats(toDelta.name(), registry, Clock.systemUTC());
            try (Warehouse warehouse =
                    Warehouse.open(dir.resolve("delta-worker.duckdb").toString())) {
                Map<Double, Double> latencyBefore = commitLatencyBuckets(apps);
                long started = System.nanoTime();
                double seconds = IngestBenchmark.drain(
                        DeltaTestSinks.factory(
                                warehouse,
                                toDelta,
                                apps.metadataUrl(),
                                PlatformApps.ADMIN_KEY,
                                dir.resolve("staging"),
                                observer),
                        toDelta,
                        bootstrap,
                        events,
                        stats);
                double delta = events / seconds;
                Timer batches = registry.get("deltaplane.ingest.batch").timer();
                double commitP99Ms = p99Ms(latencyBefore, commitLatencyBuckets(apps));
                MetadataClient metadata = DeltaTestSinks.metadata(apps.metadataUrl(), PlatformApps.ADMIN_KEY);
                String location =
                        metadata.table("bench.ingest.events").orElseThrow().location();
                long version = metadata.snapshot("bench.ingest.events").version();
                List<String> live = new ArrayList<>();
                metadata.files(
                        "bench.ingest.events",
                        version,
                        add -> live.add(URLDecoder.decode(
                                add.path("path").asString().replace("+", "%2B"), StandardCharsets.UTF_8)));
                long[] check = check(location, live);
                long maxGapNanos = maxGap(started, commitTimes);
                System.out.printf(
                        "worker Kafka -> Delta:              %,10.0f events/s = %.2f x Parquet ceiling, %.2f x Kafka -> DuckDB%n",
                        delta, delta / ceiling, delta / duckdb);
                System.out.printf(
                        "  %,d rows (%,d distinct (partition, offset)) in %,d files, %d commits;"
                                + " %.0f files/min; batch incl. commit mean %.0f ms, max %.0f ms; commit p99 %.0f ms;"
                                + " longest time without a commit %.2f s%n",
                        check[0],
                        check[1],
                        check[2],
                        commitTimes.size(),
                        check[2] / (seconds / 60),
                        batches.mean(TimeUnit.MILLISECONDS),
                        batches.max(TimeUnit.MILLISECONDS),
                        commitP99Ms,
                        maxGapNanos / 1e9);
                if (check[0] != events || check[1] != events) {
                    throw new IllegalStateException("Expected " + events + " distinct rows, found " + check[1]);
                }
                System.out.printf(
                        "RESULT events_per_s=%.0f ratio_to_parquet=%.2f duckdb_events_per_s=%.0f commit_p99_ms=%.0f"
                                + " batch_max_ms=%.0f max_commit_gap_s=%.2f %s%n",
                        delta,
                        delta / ceiling,
                        duckdb,
                        commitP99Ms,
                        batches.max(TimeUnit.MILLISECONDS),
                        maxGapNanos / 1e9,
                        io.deltaplane.testing.MachineCpu.loadAverage());
            }
        } finally {
            broker.destroy();
            try (var files = Files.walk(dir)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    static IngestStats stats(MappingSpec mapping) {
        return new IngestStats(mapping.name(), new SimpleMeterRegistry(), Clock.systemUTC());
    }

    /** The same rows checked by the sink's SQL and written as Parquet, straight from memory. */
    static double parquetCeiling(Path dir, MappingSpec mapping, long events, int batchRows) throws Exception {
        byte[][] pool = new byte[100_000][];
        for (int i = 0; i < pool.length; i++) {
            pool[i] = IngestBenchmark.event(i);
        }
        ParquetBatchWriter writer = new ParquetBatchWriter(
                DeltaColumns.of(mapping), mapping.target().partitionColumns(), dir.resolve("ceiling"));
        try (Warehouse warehouse = Warehouse.open(dir.resolve("ceiling.duckdb").toString());
                DuckDBConnection connection = warehouse.connect()) {
            SinkPlan plan = new SinkPlan(mapping, warehouse.defaultDatabase());
            Stage.create(connection);
            connection.commit();
            SinkBatch batch = new SinkBatch(batchRows);
            AtomicLong files = new AtomicLong();
            long now = System.currentTimeMillis();
            long t0 = System.nanoTime();
            for (long i = 0; i < events; i++) {
                batch.add(
                        (int) (i % IngestBenchmark.PARTITIONS),
                        i / IngestBenchmark.PARTITIONS,
                        now,
                        pool[(int) (i % pool.length)]);
                if (batch.size() == batchRows || i == events - 1) {
                    Stage.fill(connection, batch);
                    try (Statement s = connection.createStatement()) {
                        s.execute(plan.createChecked());
                    }
                    for (DataFile f : writer.write(connection, Instant.now())) {
                        files.incrementAndGet();
                        Files.delete(f.staged());
                    }
                    connection.commit();
                    batch.clear();
                }
            }
            return events / ((System.nanoTime() - t0) / 1e9);
        }
    }

    /** Rows, distinct (partition, offset) and files of the table's live files {@code live} (relative paths), read by DuckDB. */
    static long[] check(String location, List<String> live) throws Exception {
        Path root = location.startsWith("file:") ? Path.of(URI.create(location)) : Path.of(location);
        List<String> files = live.stream().map(f -> root.resolve(f).toString()).toList();
        try (Connection connection = DriverManager.getConnection("jdbc:duckdb:");
                Statement s = connection.createStatement();
                ResultSet rs =
                        s.executeQuery("SELECT count(*), count(DISTINCT (_partition, _offset)) FROM read_parquet(["
                                + String.join(
                                        ",",
                                        files.stream().map(f -> "'" + f + "'").toList()) + "])")) {
            rs.next();
            return new long[] {rs.getLong(1), rs.getLong(2), files.size()};
        }
    }

    /** metadata-service's commit latency histogram: cumulative count per upper bound (seconds). */
    static Map<Double, Double> commitLatencyBuckets(PlatformApps apps) throws Exception {
        String metrics = java.net.http.HttpClient.newHttpClient()
                .send(
                        java.net.http.HttpRequest.newBuilder(URI.create(apps.metadataUrl() + "/actuator/prometheus"))
                                .header("Authorization", "Bearer " + PlatformApps.ADMIN_KEY)
                                .build(),
                        java.net.http.HttpResponse.BodyHandlers.ofString())
                .body();
        Map<Double, Double> buckets = new java.util.TreeMap<>();
        java.util.regex.Matcher m = java.util.regex.Pattern.compile(
                        "(?m)^deltaplane_metadata_commit_latency_seconds_bucket\\{[^}]*le=\"([^\"]+)\"[^}]*\\} (\\S+)$")
                .matcher(metrics);
        while (m.find()) {
            double le = m.group(1).equals("+Inf") ? Double.POSITIVE_INFINITY : Double.parseDouble(m.group(1));
            buckets.merge(le, Double.parseDouble(m.group(2)), Double::sum);
        }
        if (buckets.isEmpty()) {
            throw new IllegalStateException("metadata-service exports no commit latency histogram");
        }
        return buckets;
    }

    /** The upper bound (ms) of the bucket holding the 99th percentile of what was counted between two reads. */
    static double p99Ms(Map<Double, Double> before, Map<Double, Double> after) {
        double total =
                after.getOrDefault(Double.POSITIVE_INFINITY, 0.0) - before.getOrDefault(Double.POSITIVE_INFINITY, 0.0);
        if (total <= 0) {
            throw new IllegalStateException("no commit was counted during the drain");
        }
        for (Map.Entry<Double, Double> bucket : after.entrySet()) {
            double count = bucket.getValue() - before.getOrDefault(bucket.getKey(), 0.0);
            if (count >= 0.99 * total) {
                return bucket.getKey() * 1000;
            }
        }
        return Double.POSITIVE_INFINITY;
    }

    static long maxGap(long started, List<Long> commitTimes) {
        long previous = started;
        long max = 0;
        synchronized (commitTimes) {
            for (long t : commitTimes) {
                max = Math.max(max, t - previous);
                previous = t;
            }
        }
        return max;
    }

    static void post(PlatformApps apps, String path, String body) throws Exception {
        HttpResponse<String> response = HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(URI.create(apps.metadataUrl() + path))
                                .header("Authorization", "Bearer " + PlatformApps.ADMIN_KEY)
                                .header("Content-Type", "application/json")
                                .POST(HttpRequest.BodyPublishers.ofString(body))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() / 100 != 2) {
            throw new IllegalStateException(path + ": " + response.statusCode() + " " + response.body());
        }
    }
}
