package io.deltaplane.ingest.delta;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.deltaplane.ingest.TestKafka;
import io.deltaplane.ingest.TestMappings;
import io.deltaplane.ingest.delta.DeltaRows.Ingested;
import io.deltaplane.ingest.lineage.IngestRuns;
import io.deltaplane.ingest.mapping.MappingSpec;
import io.deltaplane.ingest.sink.BatchResult;
import io.deltaplane.ingest.sink.Sink;
import io.deltaplane.ingest.sink.SinkBatch;
import io.deltaplane.ingest.sink.SinkFactory;
import io.deltaplane.ingest.sink.StaleOffsetsException;
import io.deltaplane.ingest.sink.Warehouse;
import io.deltaplane.ingest.source.kafka.KafkaClientSettings;
import io.deltaplane.ingest.source.kafka.KafkaIngestRunner;
import io.deltaplane.ingest.status.IngestStats;
import io.deltaplane.support.problem.ApiException;
import io.deltaplane.support.secrets.Secrets;
import io.deltaplane.testing.FaultyConnections;
import io.deltaplane.testing.IcebergReader;
import io.deltaplane.testing.PlatformApps;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.LongStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * Kafka → Delta exactly once, with every part real: the embedded KRaft broker, metadata-service (its
 * jar, on the real Postgres), DuckDB for checking and dead letters, and Delta Kernel reading the
 * published table back. The worker is SIGKILLed mid-stream and restarted.
 */
class DeltaExactlyOnceTest {

    static final long EVENTS = 200_000;
    static PlatformApps apps;

    @TempDir
    Path dir;

    @BeforeAll
    static void startPlatform() throws Exception {
        apps = DeltaTestPlatform.get().apps;
    }

    /**
     * A table that uses Delta column mapping holds its columns under physical names, which this
     * worker does not write: a mapping onto one is refused with a reason, not fed files readers
     * would read as nulls.
     */
    @Test
    void aColumnMappedTableIsNoIngestTarget() throws Exception {
        String table = "lake.ingest.mapped_" + UUID.randomUUID().toString().substring(0, 8);
        MappingSpec mapping = TestMappings.kafkaToDelta("mapped", "mapped-topic", table, List.of(), 1_000, 100);
        String[] name = table.split("\\.");
        String body = "{\"catalog_name\":\"" + name[0] + "\",\"schema_name\":\"" + name[1] + "\",\"name\":\""
                + name[2] + "\",\"schema\":" + DeltaColumns.schema(DeltaColumns.of(mapping))
                + ",\"properties\":{\"delta.columnMapping.mode\":\"name\"}}";
        var created = HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(URI.create(apps.metadataUrl() + "/api/v1/tables"))
                                .header("Authorization", "Bearer " + PlatformApps.ADMIN_KEY)
                                .header("Content-Type", "application/json")
                                .POST(HttpRequest.BodyPublishers.ofString(body))
                                .build(),
                        java.net.http.HttpResponse.BodyHandlers.ofString());
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        MetadataClient metadata = DeltaTestSinks.metadata(apps.metadataUrl(), PlatformApps.ADMIN_KEY);
        assertThatThrownBy(() -> new DeltaTables(metadata).ensure(mapping))
                .isInstanceOf(ApiException.class)
                .hasMessageContaining("column mapping");
    }

    @Test
    void killedMidStreamThenRestartedLandsEveryGoodEventOnce() throws Exception {
        String topic = TestKafka.topic("delta-crash");
        TestKafka.produce(topic, 0, EVENTS, TestMappings::event);
        String table = "lake.ingest.crash_" + UUID.randomUUID().toString().substring(0, 8);
        Path duckdb = dir.resolve("worker.duckdb");
        Path staging = dir.resolve("staging");

        Process child = new ProcessBuilder(
                        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                        "-cp",
                        System.getProperty("java.class.path"),
                        CrashableDeltaWorker.class.getName(),
                        duckdb.toString(),
                        TestKafka.bootstrap(),
                        topic,
                        table,
                        apps.metadataUrl(),
                        PlatformApps.ADMIN_KEY,
                        staging.toString())
                .redirectError(dir.resolve("child.err").toFile())
                .start();
        long reported = 0;
        try (BufferedReader out =
                new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = out.readLine()) != null) {
                if (line.startsWith("rows=")) {
                    reported = Long.parseLong(line.substring(5));
                    if (reported >= 40_000) {
                        break;
                    }
                }
            }
        } finally {
            // SIGKILL: no shutdown hook, no rollback, no close — as if the machine died.
            child.destroyForcibly();
            assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
        }
        assertThat(reported)
                .as("the worker was killed mid-stream (stderr in %s)", dir.resolve("child.err"))
                .isBetween(40_000L, EVENTS - 1);

        MappingSpec mapping = CrashableDeltaWorker.mapping(topic, table);
        try (Warehouse warehouse = Warehouse.open(duckdb.toString())) {
            IngestStats stats = drain(warehouse, mapping, staging, EVENTS);
            long bad = LongStream.range(0, EVENTS).filter(TestMappings::isBad).count();
            assertThat(stats.rowsIngested()).isEqualTo(EVENTS - bad);
            assertThat(stats.rowsDeadLettered()).isEqualTo(bad);

            String location = location(table);
            awaitPublished(table, location);
            List<Ingested> rows = DeltaRows.read(location, null);
            assertThat(rows).hasSize((int) (EVENTS - bad));
            assertThat(rows.stream()
                            .map(r -> r.partition() + ":" + r.offset())
                            .distinct()
                            .count())
                    .isEqualTo(EVENTS - bad);
            assertThat(rows).allSatisfy(r -> {
                assertThat(r.id()).isEqualTo(4 * r.offset() + r.partition());
                assertThat(TestMappings.isBad(r.id())).isFalse();
            });
            Set<String> dead = deadLetters(warehouse, mapping);
            assertThat(dead).hasSize((int) bad);
            Set<String> all = new HashSet<>(dead);
            rows.forEach(r -> all.add(r.partition() + ":" + r.offset()));
            assertThat(all)
                    .as("good rows and dead letters cover every event once")
                    .hasSize((int) EVENTS);

            assertOneCommitPerBatch(location, stats.snapshot().batches());
            assertNoOrphanFiles(location);
        }
    }

    @Test
    void racingWritersCannotBothCommitABatchAndTheLoserLeavesNoFiles() throws Exception {
        String table = "lake.ingest.race_" + UUID.randomUUID().toString().substring(0, 8);
        MappingSpec mapping = TestMappings.kafkaToDelta("race", "race-topic", table, List.of("_partition"), 1_000, 100);
        SinkBatch batch = new SinkBatch(100);
        for (long o = 0; o < 100; o++) {
            batch.add((int) (o % 2), o / 2, 1_767_225_600_000L, TestMappings.event(4 * (o / 2) + o % 2));
        }
        try (Warehouse first = Warehouse.open(dir.resolve("first.duckdb").toString());
                Warehouse second = Warehouse.open(dir.resolve("second.duckdb").toString())) {
            Sink winner = DeltaTestSinks.factory(first, mapping, apps.metadataUrl(), PlatformApps.ADMIN_KEY, dir)
                    .open();
            Sink loser = DeltaTestSinks.factory(second, mapping, apps.metadataUrl(), PlatformApps.ADMIN_KEY, dir)
                    .open();
            // Both consumers believe both partitions are unwritten (a rebalance moved them meanwhile).
            assertThat(winner.positions()).isEmpty();
            assertThat(loser.positions()).isEmpty();
            winner.write(batch, Map.of());
            assertThatThrownBy(() -> loser.write(batch, Map.of()))
                    .isInstanceOf(StaleOffsetsException.class)
                    .hasMessageContaining("another consumer wrote it");
            winner.close();
            loser.close();

            String location = location(table);
            awaitPublished(table, location);
            assertNoOrphanFiles(location);
            List<Ingested> rows = DeltaRows.read(location, null);
            long bad = LongStream.range(0, 100)
                    .filter(i -> TestMappings.isBad(4 * (i / 2) + i % 2))
                    .count();
            assertThat(rows).hasSize((int) (100 - bad));
            assertThat(get("/api/v1/tables/" + table + "/snapshot")
                            .path("app_versions")
                            .toString())
                    .contains(
                            "\"deltaplane-ingest:race:race-topic:0\":50", "\"deltaplane-ingest:race:race-topic:1\":50");
        }
    }

    @Test
    void aCommitWhoseAnswerIsLostLandsOnceAndTheSinkKnowsIt() throws Exception {
        String table = "lake.ingest.unanswered_" + UUID.randomUUID().toString().substring(0, 8);
        MappingSpec mapping = TestMappings.kafkaToDelta("unanswered", "unanswered-topic", table, List.of(), 1_000, 100);
        try (FaultyConnections link = FaultyConnections.inFrontOf(
                        URI.create(apps.metadataUrl()).getPort());
                Warehouse warehouse =
                        Warehouse.open(dir.resolve("unanswered.duckdb").toString())) {
            SinkFactory sinks = DeltaTestSinks.factory(
                    warehouse, mapping, "http://127.0.0.1:" + link.port(), PlatformApps.ADMIN_KEY, dir);
            try (Sink sink = sinks.open()) {
                sink.write(goodEvents(0, 10), Map.of());
                // The next commit reaches metadata-service and lands; its answer is lost on the way back.
                FaultyConnections.Fault lost = link.loseAnswerTo("POST /api/v1/tables/" + table + "/commits", 1);
                BatchResult second = sink.write(goodEvents(10, 20), Map.of(0, 10L));
                assertThat(lost.fired()).as("answers lost").isEqualTo(1);
                assertThat(second.rows()).isEqualTo(10);
                // and the sink goes on from there: the next batch is the third commit, not a repeat
                sink.write(goodEvents(20, 30), Map.of(0, 20L));
            }
            String location = location(table);
            awaitPublished(table, location);
            List<Long> txnVersions = new ArrayList<>();
            for (JsonNode commit : logCommits(location)) {
                for (JsonNode action : commit) {
                    if (action.path("txn").isObject()) {
                        txnVersions.add(action.path("txn").path("version").asLong());
                    }
                }
            }
            assertThat(txnVersions).as("one commit per batch").containsExactly(10L, 20L, 30L);
            assertThat(DeltaRows.read(location, null)).hasSize(30);
            assertThat(get("/api/v1/tables/" + table + "/snapshot")
                            .path("app_versions")
                            .toString())
                    .contains("\"deltaplane-ingest:unanswered:unanswered-topic:0\":30");
        }
    }

    @Test
    void metadataServiceUnreachableMidStreamLosesAndDuplicatesNothing() throws Exception {
        // 60 commits: the outage (3 s) begins after the sixth and meets ~50 still to come
        long events = 6_000;
        String topic = TestKafka.topic("delta-outage");
        String table = "lake.ingest.outage_" + UUID.randomUUID().toString().substring(0, 8);
        // small batches: a commit every 100 events, so the outage meets the stream mid-way
        MappingSpec mapping = TestMappings.kafkaToDelta("outage", topic, table, List.of("_partition"), 100, 20);
        TestKafka.produce(topic, 0, events, TestMappings::event);
        try (FaultyConnections link = FaultyConnections.inFrontOf(
                        URI.create(apps.metadataUrl()).getPort());
                Warehouse warehouse =
                        Warehouse.open(dir.resolve("outage.duckdb").toString())) {
            KafkaClientSettings settings = new KafkaClientSettings(TestKafka.bootstrap(), Secrets.fromEnvironment());
            IngestStats stats = new IngestStats(mapping.name(), new SimpleMeterRegistry(), Clock.systemUTC());
            KafkaIngestRunner runner = new KafkaIngestRunner(
                    mapping,
                    () -> settings.consumer(mapping),
                    DeltaTestSinks.factory(
                            warehouse, mapping, "http://127.0.0.1:" + link.port(), PlatformApps.ADMIN_KEY, dir),
                    stats);
            runner.start();
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (stats.rowsIngested() + stats.rowsDeadLettered() < events / 10) {
                assertThat(System.nanoTime()).as("ingesting before the outage").isLessThan(deadline);
                Thread.sleep(20);
            }
            // metadata-service unreachable for 3 s: every connection reset, new ones refused
            link.unreachable();
            long during = stats.rowsIngested() + stats.rowsDeadLettered();
            // counted by the proxy, not by the sink: the open connections the cut reset so far
            int cut = link.brokenWhileUnreachable();
            Thread.sleep(3_000);
            // the connections refused during the outage: the sink's commits (or their retries)
            // met it, so what follows is recovery from a fault that fired
            int refusedDuringOutage = link.brokenWhileUnreachable() - cut;
            link.heal();
            awaitTotal(stats, events);
            runner.stop(Duration.ofSeconds(30));
            assertThat(during).as("the outage began mid-stream").isLessThan(events);
            assertThat(refusedDuringOutage)
                    .as("the sink's connections to metadata-service the outage refused")
                    .isPositive();

            long bad = LongStream.range(0, events).filter(TestMappings::isBad).count();
            String location = location(table);
            awaitPublished(table, location);
            List<Ingested> rows = DeltaRows.read(location, null);
            assertThat(rows).hasSize((int) (events - bad));
            assertThat(rows.stream().map(r -> r.partition() + ":" + r.offset()).distinct())
                    .hasSize((int) (events - bad));
            assertThat(rows).allSatisfy(r -> assertThat(r.id()).isEqualTo(4 * r.offset() + r.partition()));
            assertThat(deadLetters(warehouse, mapping)).hasSize((int) bad);
            assertNoOrphanFiles(location);
        }
    }

    /**
     * Two consumers of one mapping, each holding one partition, append to the one table in turn,
     * each from a version the other has since moved past: the platform places each batch at the
     * next version (the partitions' txns do not meet), so metadata-service answers no commit 409.
     */
    @Test
    void consumersOfOtherPartitionsAppendToOneTableWithoutConflicts() throws Exception {
        String table = "lake.ingest.shared_" + UUID.randomUUID().toString().substring(0, 8);
        MappingSpec mapping = TestMappings.kafkaToDelta("shared", "shared-topic", table, List.of(), 1_000, 100);
        try (Warehouse first = Warehouse.open(dir.resolve("shared-first.duckdb").toString());
                Warehouse second =
                        Warehouse.open(dir.resolve("shared-second.duckdb").toString())) {
            Sink zero = DeltaTestSinks.factory(first, mapping, apps.metadataUrl(), PlatformApps.ADMIN_KEY, dir)
                    .open();
            Sink one = DeltaTestSinks.factory(second, mapping, apps.metadataUrl(), PlatformApps.ADMIN_KEY, dir)
                    .open();
            double conflictsBefore = commitConflicts();
            for (long from = 0; from < 50; from += 10) {
                Map<Integer, Long> expected0 = from == 0 ? Map.of() : Map.of(0, from);
                Map<Integer, Long> expected1 = from == 0 ? Map.of() : Map.of(1, from);
                zero.write(goodEvents(0, from, from + 10), expected0);
                one.write(goodEvents(1, from, from + 10), expected1);
            }
            zero.close();
            one.close();
            assertThat(commitConflicts())
                    .as("commits metadata-service answered 409 while the two consumers appended")
                    .isEqualTo(conflictsBefore);

            String location = location(table);
            awaitPublished(table, location);
            assertThat(batchPositions(location, 10))
                    .containsOnly(
                            Map.entry(new IngestTxn("shared", "shared-topic").appId(0), 50L),
                            Map.entry(new IngestTxn("shared", "shared-topic").appId(1), 50L));
            assertThat(DeltaRows.read(location, null)).hasSize(100);
            assertThat(get("/api/v1/tables/" + table + "/snapshot")
                            .path("app_versions")
                            .toString())
                    .contains(
                            "\"deltaplane-ingest:shared:shared-topic:0\":50",
                            "\"deltaplane-ingest:shared:shared-topic:1\":50");

            // The positive control: the filter does count a 409 of this endpoint, so the zero above
            // is no label that never matches. A commit naming version 0 of the table long past it.
            double conflictsAfter = commitConflicts();
            HttpResponse<String> stale = HttpClient.newHttpClient()
                    .send(
                            HttpRequest.newBuilder(
                                            URI.create(apps.metadataUrl() + "/api/v1/tables/" + table + "/commits"))
                                    .header("Authorization", "Bearer " + PlatformApps.ADMIN_KEY)
                                    .header("Content-Type", "application/json")
                                    .POST(
                                            HttpRequest.BodyPublishers.ofString(
                                                    "{\"expected_version\":0,\"actions\":[{\"add\":{\"path\":\"stale.parquet\","
                                                            + "\"partitionValues\":{},\"size\":1,\"modificationTime\":1,\"dataChange\":true}}]}"))
                                    .build(),
                            HttpResponse.BodyHandlers.ofString());
            assertThat(stale.statusCode()).as(stale.body()).isEqualTo(409);
            // the server records the request once its answer is written: no signal to wait on but the metric
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (commitConflicts() < conflictsAfter + 1 && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            assertThat(commitConflicts())
                    .as("the stale commit's 409, counted by the same filter")
                    .isEqualTo(conflictsAfter + 1);
        }
    }

    /** How many commits to {@code /api/v1/tables/{t}/commits} metadata-service has answered 409, from its metrics. */
    private static double commitConflicts() throws Exception {
        String metrics = HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(URI.create(apps.metadataUrl() + "/actuator/prometheus"))
                                .header("Authorization", "Bearer " + PlatformApps.ADMIN_KEY)
                                .build(),
                        HttpResponse.BodyHandlers.ofString())
                .body();
        assertThat(metrics).contains("http_server_requests_seconds_count{");
        return metrics.lines()
                .filter(line -> line.startsWith("http_server_requests_seconds_count{")
                        && line.contains("status=\"409\"")
                        && line.contains("uri=\"/api/v1/tables/{fullName}/commits\""))
                .mapToDouble(line -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)))
                .sum();
    }

    private static SinkBatch goodEvents(long from, long to) {
        return goodEvents(0, from, to);
    }

    private static SinkBatch goodEvents(int partition, long from, long to) {
        SinkBatch batch = new SinkBatch((int) (to - from));
        for (long o = from; o < to; o++) {
            batch.add(partition, o, 1_767_225_600_000L, TestMappings.good(4 * o + partition));
        }
        return batch;
    }

    /**
     * A worker killed between upload and commit, or while its commit was on the wire: the reopened
     * sink deletes the batch's file, and the dead worker's commit, should metadata-service still be
     * working on it, can no longer land (it would reference the deleted file): the sink fenced it.
     */
    @Test
    void filesOfACommitThatDidNotLandAreDeletedAndTheCommitCanNoLongerLand() throws Exception {
        String table = "lake.ingest.lost_" + UUID.randomUUID().toString().substring(0, 8);
        MappingSpec mapping = TestMappings.kafkaToDelta("lost", "lost-topic", table, List.of(), 1_000, 100);
        SinkBatch batch = new SinkBatch(10);
        for (long o = 0; o < 10; o++) {
            batch.add(0, o, 1_767_225_600_000L, TestMappings.good(4 * o));
        }
        try (Warehouse warehouse = Warehouse.open(dir.resolve("lost.duckdb").toString())) {
            SinkFactory sinks =
                    DeltaTestSinks.factory(warehouse, mapping, apps.metadataUrl(), PlatformApps.ADMIN_KEY, dir);
            try (Sink sink = sinks.open()) {
                sink.write(batch, Map.of());
            }
            String location = location(table);
            MetadataClient metadata = DeltaTestSinks.metadata(apps.metadataUrl(), PlatformApps.ADMIN_KEY);
            long deadWorkersVersion = metadata.snapshot(table).version();
            // What a worker killed between upload and commit leaves: a pending batch past the table's
            // txn version (offsets 10..19 of partition 0) and its uploaded file.
            Path orphan = Path.of(URI.create(location)).resolve("part-00000-lost.c000.zstd.parquet");
            Files.writeString(orphan, "not referenced by any version");
            PendingBatches pending = new PendingBatches(warehouse.defaultDatabase(), mapping.name());
            try (var c = warehouse.connect()) {
                pending.add(
                        c,
                        new PendingBatches.Pending(
                                "lost-batch", List.of(orphan.getFileName().toString()), Map.of(0, 20L), 10, 0),
                        // this worker's previous process: settled by its next sink at once
                        BatchOwner.newSession(DeltaTestSinks.WORKER, DeltaTestSinks.PENDING_LEASE),
                        Instant.now());
                c.commit();
            }

            try (Sink sink = sinks.open()) {
                assertThat(sink.positions()).containsEntry(0, 10L);
                assertThat(sink.totals().rows())
                        .as("the lost batch does not count")
                        .isEqualTo(10);
            }
            assertThat(orphan).doesNotExist();
            try (var c = warehouse.connect()) {
                assertThat(pending.list(c)).isEmpty();
                c.rollback();
            }
            // The dead worker's commit of that batch reaches metadata-service only now.
            long now = System.currentTimeMillis();
            List<JsonNode> late = Stream.of(
                            new DeltaAction.Txn(
                                    new IngestTxn(mapping.name(), mapping.source().stream()).appId(0), 20, now),
                            new DeltaAction.Add(orphan.getFileName().toString(), Map.of(), 29, now, true, null))
                    .map(action -> action.toJson(DeltaTestSinks.JSON))
                    .toList();
            assertThatThrownBy(() -> metadata.append(table, deadWorkersVersion, late, DeltaCommitActions.OPERATION))
                    .as("an append read at the version the dead worker knew, arriving after the sink reopened")
                    .isInstanceOf(MetadataClient.VersionConflict.class)
                    .hasMessageContaining("recorded a txn of application");
            assertThatThrownBy(() -> metadata.commit(table, deadWorkersVersion, late, DeltaCommitActions.OPERATION))
                    .as("a commit made on the version the dead worker knew (an earlier release's form)")
                    .isInstanceOf(MetadataClient.VersionConflict.class);
            try (Sink sink = sinks.open()) {
                assertThat(sink.positions()).containsEntry(0, 10L);
            }
            awaitPublished(table, location);
            assertNoOrphanFiles(location);
        }
    }

    @Test
    void compactionDuringIngestKeepsEveryVersionsRows() throws Exception {
        String topic = TestKafka.topic("delta-compact");
        String table = "lake.ingest.compact_" + UUID.randomUUID().toString().substring(0, 8);
        MappingSpec mapping = TestMappings.kafkaToDelta("compact", topic, table, List.of("_partition"), 500, 50);
        long half = 10_000;
        TestKafka.produce(topic, 0, half, TestMappings::event);
        DeltaTargetProperties small = DeltaTestSinks.properties(dir, 4, DeltaTestSinks.WORKER);
        try (Warehouse warehouse = Warehouse.open(dir.resolve("compact.duckdb").toString())) {
            KafkaClientSettings settings = new KafkaClientSettings(TestKafka.bootstrap(), Secrets.fromEnvironment());
            IngestStats stats = new IngestStats(mapping.name(), new SimpleMeterRegistry(), Clock.systemUTC());
            KafkaIngestRunner runner = new KafkaIngestRunner(
                    mapping,
                    () -> settings.consumer(mapping),
                    DeltaTestSinks.factory(warehouse, mapping, apps.metadataUrl(), PlatformApps.ADMIN_KEY, dir),
                    stats);
            runner.start();
            MetadataClient metadata = DeltaTestSinks.metadata(apps.metadataUrl(), PlatformApps.ADMIN_KEY);
            DeltaCompactor compactor = new DeltaCompactor(metadata, small);
            List<DeltaCompactor.Outcome> outcomes = new java.util.ArrayList<>();
            try {
                awaitTotal(stats, half);
                DeltaTarget target = new DeltaTables(metadata).ensure(mapping);
                // The second half arrives while the platform's OPTIMIZE rewrites the first half's files.
                Thread producer = new Thread(() -> TestKafka.produce(topic, half, half, TestMappings::event));
                producer.start();
                while (stats.rowsIngested() + stats.rowsDeadLettered() < 2 * half) {
                    outcomes.add(compactor.compact(target));
                }
                producer.join();
                awaitTotal(stats, 2 * half);
                outcomes.add(compactor.compact(target));
            } finally {
                runner.stop(Duration.ofSeconds(30));
            }
            assertThat(outcomes.stream().filter(o -> o.version() >= 0).count())
                    .as("compactions committed while the stream was committing")
                    .isGreaterThanOrEqualTo(2);

            String location = location(table);
            awaitPublished(table, location);
            List<JsonNode> commits = logCommits(location);
            // Iceberg's own client reads the same table through the Iceberg door: each Delta version
            // is a snapshot with the rows Kernel reads
            Map<Long, Long> snapshots;
            org.apache.iceberg.Table iceberg;
            String[] parts = table.split("\\.");
            try (org.apache.iceberg.rest.RESTCatalog catalog =
                    IcebergReader.catalog(apps.metadataUrl(), parts[0], PlatformApps.ADMIN_KEY)) {
                iceberg = catalog.loadTable(org.apache.iceberg.catalog.TableIdentifier.of(parts[1], parts[2]));
                snapshots = IcebergReader.snapshotsByVersion(iceberg);
            }
            int icebergChecked = 0;
            List<String> previous = List.of();
            // Per OPTIMIZE, the newest version whose files it compacted; the stream's last version.
            Map<String, Integer> addedAt = new HashMap<>();
            List<Integer> newestCompacted = new java.util.ArrayList<>();
            int lastStreamVersion = 0;
            for (int v = 1; v < commits.size(); v++) {
                int newest = -1;
                for (JsonNode action : commits.get(v)) {
                    if (action.has("add")) {
                        addedAt.put(action.path("add").path("path").asString(), v);
                    } else if (action.has("remove")) {
                        newest = Math.max(
                                newest,
                                addedAt.get(action.path("remove").path("path").asString()));
                    }
                }
                List<String> rows = DeltaRows.read(location, (long) v).stream()
                        .map(r -> r.partition() + ":" + r.offset())
                        .sorted()
                        .toList();
                assertThat(Set.copyOf(rows))
                        .as("version %d has no duplicate", v)
                        .hasSize(rows.size());
                assertThat(IcebergReader.rows(iceberg, snapshots.get((long) v), "_partition", "_offset").stream()
                                .map(r -> r.replace('|', ':'))
                                .sorted()
                                .toList())
                        .as("Iceberg's read of version %d", v)
                        .isEqualTo(rows);
                icebergChecked++;
                String operation = operation(commits.get(v));
                if (operation.equals(DeltaCompactor.OPERATION)) {
                    newestCompacted.add(newest);
                    assertThat(rows)
                            .as("compaction at version %d changes no row", v)
                            .isEqualTo(previous);
                } else {
                    lastStreamVersion = v;
                    // A set lookup per row: AssertJ's containsAll scans the list for each row, quadratic
                    // in the table's 20 000 rows for each of some 40 versions (most of the test's time).
                    Set<String> now = new HashSet<>(rows);
                    assertThat(previous.stream().filter(r -> !now.contains(r)).toList())
                            .as("version %d only adds rows (rows of the version before that it lacks)", v)
                            .isEmpty();
                }
                previous = rows;
            }
            assertThat(icebergChecked).as("versions read through Iceberg").isEqualTo(commits.size() - 1);
            int streamEnd = lastStreamVersion;
            assertThat(newestCompacted)
                    .as("an OPTIMIZE compacted files the stream had committed before more of its own commits")
                    .anyMatch(newest -> newest < streamEnd);
            long bad = LongStream.range(0, 2 * half).filter(TestMappings::isBad).count();
            assertThat(previous).hasSize((int) (2 * half - bad));
            assertNoOrphanFiles(location);
        }
    }

    @Test
    void lineageShowsTopicThenMappingThenTableWithEachVersionWrittenByTheRun() throws Exception {
        String topic = TestKafka.topic("delta-lineage");
        String table = "lake.ingest.lineage_" + UUID.randomUUID().toString().substring(0, 8);
        MappingSpec toDelta = TestMappings.kafkaToDelta("lineage-delta", topic, table, List.of(), 1_000, 100);
        MappingSpec toDuckDb = TestMappings.kafka("lineage-duckdb", topic, "lineage_events", 1_000, 100);
        TestKafka.produce(topic, 0, 3_000, TestMappings::event);
        try (Warehouse warehouse = Warehouse.open(dir.resolve("lineage.duckdb").toString())) {
            IngestRuns lineage = DeltaTestPlatform.get().ingestRuns(warehouse, TestKafka.bootstrap());
            KafkaClientSettings settings = new KafkaClientSettings(TestKafka.bootstrap(), Secrets.fromEnvironment());
            IngestRuns.IngestRun deltaRun = lineage.start(toDelta);
            IngestRuns.IngestRun duckRun = lineage.start(toDuckDb);
            IngestStats deltaStats = new IngestStats(toDelta.name(), new SimpleMeterRegistry(), Clock.systemUTC());
            IngestStats duckStats = new IngestStats(toDuckDb.name(), new SimpleMeterRegistry(), Clock.systemUTC());
            KafkaIngestRunner toDeltaRunner = new KafkaIngestRunner(
                    toDelta,
                    () -> settings.consumer(toDelta),
                    DeltaTestSinks.factory(
                            warehouse, toDelta, apps.metadataUrl(), PlatformApps.ADMIN_KEY, dir, deltaRun),
                    deltaStats);
            KafkaIngestRunner toDuckDbRunner =
                    new KafkaIngestRunner(toDuckDb, () -> settings.consumer(toDuckDb), warehouse, duckStats);
            toDeltaRunner.start();
            toDuckDbRunner.start();
            try {
                awaitTotal(deltaStats, 3_000);
                awaitTotal(duckStats, 3_000);
            } finally {
                toDeltaRunner.stop(Duration.ofSeconds(30));
                toDuckDbRunner.stop(Duration.ofSeconds(30));
                lineage.finish(deltaRun, true);
                lineage.finish(duckRun, true);
                lineage.stop();
            }

            JsonNode graph =
                    lineageGet("/api/v1/lineage?node=" + enc("table:" + table) + "&direction=upstream&depth=2");
            assertThat(edges(graph))
                    .contains(
                            "job:ingest:lineage-delta -> table:" + table,
                            "table:" + topic + " -> job:ingest:lineage-delta");
            JsonNode duck =
                    lineageGet("/api/v1/lineage?node=" + enc("job:ingest:lineage-duckdb") + "&direction=both&depth=1");
            assertThat(edges(duck))
                    .contains(
                            "table:" + topic + " -> job:ingest:lineage-duckdb",
                            "job:ingest:lineage-duckdb -> table:" + warehouse.defaultDatabase()
                                    + ".events.lineage_events");
            JsonNode run = lineageGet("/api/v1/runs/" + deltaRun.id());
            assertThat(run.path("state").asString()).isEqualTo("COMPLETED");
            // Every version the stream committed is a snapshot written by the run: metadata-service's
            // lineage outbox delivers it with the run its commitInfo names, a little after the commit.
            long version = get("/api/v1/tables/" + table).path("version").asLong();
            List<String> writers = List.of();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (System.nanoTime() < deadline) {
                writers = versionWriters(table);
                if (writers.size() == version && !writers.contains("")) {
                    break;
                }
                Thread.sleep(100);
            }
            assertThat(writers)
                    .hasSize((int) version)
                    .containsOnly(deltaRun.id().toString());
            // ... and only from there: the worker registers no snapshot of its own (once, not twice).
            assertThat(lineageMetrics())
                    .contains("uri=\"/api/v1/snapshots/batch\"")
                    .doesNotContain("uri=\"/api/v1/jobs/register-snapshot\"");
        }
    }

    /** The writer run of each version ≥ 1 lineage has of {@code table} ("" where none). */
    private static List<String> versionWriters(String table) throws Exception {
        List<String> writers = new java.util.ArrayList<>();
        lineageGet("/api/v1/tables/" + table + "/snapshots?max_results=100")
                .path("snapshots")
                .forEach(sn -> {
                    if (sn.path("version").asLong(0) >= 1) {
                        writers.add(sn.path("run_id").asString(""));
                    }
                });
        return writers;
    }

    private static String lineageMetrics() throws Exception {
        return HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(URI.create(apps.lineageUrl() + "/actuator/prometheus"))
                                .header("Authorization", "Bearer " + PlatformApps.ADMIN_KEY)
                                .build(),
                        HttpResponse.BodyHandlers.ofString())
                .body();
    }

    static List<String> edges(JsonNode graph) {
        List<String> edges = new java.util.ArrayList<>();
        graph.path("edges")
                .forEach(e -> edges.add(
                        e.path("from").asString() + " -> " + e.path("to").asString()));
        return edges;
    }

    static String enc(String value) {
        return java.net.URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    static JsonNode lineageGet(String path) throws Exception {
        HttpResponse<String> response = HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(URI.create(apps.lineageUrl() + path))
                                .header("Authorization", "Bearer " + PlatformApps.ADMIN_KEY)
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return DeltaTestSinks.JSON.readTree(response.body());
    }

    static String operation(JsonNode commit) {
        for (JsonNode action : commit) {
            if (action.path("commitInfo").isObject()) {
                return action.path("commitInfo").path("operation").asString();
            }
        }
        return "";
    }

    static void awaitTotal(IngestStats stats, long total) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
        while (stats.rowsIngested() + stats.rowsDeadLettered() < total && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertThat(stats.rowsIngested() + stats.rowsDeadLettered())
                .as("totals (last error: %s)", stats.snapshot().lastError())
                .isEqualTo(total);
    }

    /** The table's data files (Parquet outside {@code _delta_log}: checkpoints are not data). */
    static Set<String> parquetFiles(String location) throws IOException {
        Path root = Path.of(URI.create(location));
        try (Stream<Path> files = Files.walk(root)) {
            return files.filter(p -> p.toString().endsWith(".parquet"))
                    .filter(p -> !root.relativize(p).startsWith("_delta_log"))
                    .map(p -> root.relativize(p).toString())
                    .collect(Collectors.toSet());
        }
    }

    /**
     * Each commit's txn versions are new: no batch was committed twice, none skipped a position. A
     * restarted sink's fence records txns again unchanged; it adds no file and is no batch.
     */
    static void assertOneCommitPerBatch(String location, long batches) throws IOException {
        assertThat(batchPositions(location, batches).values().stream()
                        .mapToLong(Long::longValue)
                        .sum())
                .isEqualTo(EVENTS);
    }

    /** {@link #assertOneCommitPerBatch}'s checks without the event total: each app's last txn version. */
    static Map<String, Long> batchPositions(String location, long batches) throws IOException {
        Map<String, Long> last = new HashMap<>();
        long commits = 0;
        for (JsonNode commit : logCommits(location)) {
            Map<String, Long> txns = new HashMap<>();
            boolean adds = false;
            for (JsonNode action : commit) {
                JsonNode txn = action.path("txn");
                if (txn.isObject()) {
                    txns.put(txn.path("appId").asString(), txn.path("version").asLong());
                }
                adds |= action.path("add").isObject();
            }
            boolean fence = !txns.isEmpty()
                    && txns.entrySet().stream()
                            .allMatch(t -> t.getValue().equals(last.getOrDefault(t.getKey(), IngestTxn.NONE)));
            if (fence) {
                assertThat(adds)
                        .as("a commit repeating its txn versions (a fence) adds no file")
                        .isFalse();
                continue;
            }
            txns.forEach((app, version) -> {
                assertThat(version).as("txn %s only grows", app).isGreaterThan(last.getOrDefault(app, IngestTxn.NONE));
                last.put(app, version);
            });
            commits += txns.isEmpty() ? 0 : 1;
        }
        assertThat(commits).as("one commit per batch").isEqualTo(batches);
        return last;
    }

    /** Every Parquet file under the table is referenced by the log: uploads of a lost commit were removed. */
    static void assertNoOrphanFiles(String location) throws IOException {
        Path root = Path.of(URI.create(location));
        Set<String> referenced = new HashSet<>();
        for (JsonNode commit : logCommits(location)) {
            for (JsonNode action : commit) {
                if (action.path("add").isObject()) {
                    referenced.add(action.path("add").path("path").asString());
                }
            }
        }
        try (Stream<Path> files = Files.walk(root)) {
            Set<String> onDisk = files.filter(p -> p.toString().endsWith(".parquet"))
                    .filter(p -> !p.startsWith(root.resolve("_delta_log")))
                    .map(p -> root.relativize(p).toString())
                    .collect(Collectors.toSet());
            assertThat(onDisk).isEqualTo(referenced);
        }
    }

    static List<JsonNode> logCommits(String location) throws IOException {
        Path log = Path.of(URI.create(location)).resolve("_delta_log");
        try (Stream<Path> files = Files.list(log)) {
            return files.filter(p -> p.getFileName().toString().matches("\\d{20}\\.json"))
                    .sorted()
                    .map(p -> {
                        try {
                            return DeltaTestSinks.JSON.readTree("["
                                    + String.join(
                                            ",",
                                            Files.readAllLines(p).stream()
                                                    .filter(l -> !l.isBlank())
                                                    .toList())
                                    + "]");
                        } catch (IOException e) {
                            throw new java.io.UncheckedIOException(e);
                        }
                    })
                    .toList();
        }
    }

    static IngestStats drain(Warehouse warehouse, MappingSpec mapping, Path staging, long total) throws Exception {
        KafkaClientSettings settings = new KafkaClientSettings(TestKafka.bootstrap(), Secrets.fromEnvironment());
        IngestStats stats = new IngestStats(mapping.name(), new SimpleMeterRegistry(), Clock.systemUTC());
        KafkaIngestRunner runner = new KafkaIngestRunner(
                mapping,
                () -> settings.consumer(mapping),
                DeltaTestSinks.factory(warehouse, mapping, apps.metadataUrl(), PlatformApps.ADMIN_KEY, staging),
                stats);
        runner.start();
        long deadline = System.nanoTime() + Duration.ofSeconds(180).toNanos();
        while (stats.rowsIngested() + stats.rowsDeadLettered() < total && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        // Nothing is left that could land again: the table's txn versions (the worker's offsets,
        // committed with its rows) cover every event of the topic.
        assertThat(committedOffsets(mapping.target().table())).isEqualTo(total);
        runner.stop(Duration.ofSeconds(30));
        assertThat(stats.rowsIngested() + stats.rowsDeadLettered())
                .as("totals (last error: %s)", stats.snapshot().lastError())
                .isEqualTo(total);
        return stats;
    }

    /** The sum of the ingest txn versions the table's snapshot holds: the events its writers consumed. */
    static long committedOffsets(String table) throws Exception {
        long sum = 0;
        for (JsonNode version : get("/api/v1/tables/" + table + "/snapshot").path("app_versions")) {
            sum += version.asLong();
        }
        return sum;
    }

    static Set<String> deadLetters(Warehouse warehouse, MappingSpec mapping) throws Exception {
        Set<String> keys = new HashSet<>();
        try (var c = warehouse.connect();
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery(
                        "SELECT _partition, _offset FROM delta_ingest.\"" + mapping.name() + "_dead_letters\"")) {
            while (rs.next()) {
                assertThat(keys.add(rs.getInt(1) + ":" + rs.getLong(2))).isTrue();
            }
            c.rollback();
        }
        return keys;
    }

    /** Waits until the published {@code _delta_log} has every committed version. */
    static void awaitPublished(String table, String location) throws Exception {
        long committed = get("/api/v1/tables/" + table).path("version").asLong();
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < deadline) {
            try {
                if (DeltaRows.version(location) == committed) {
                    return;
                }
            } catch (RuntimeException notYet) {
                // No log yet.
            }
            Thread.sleep(100);
        }
        throw new AssertionError("Version " + committed + " of " + table + " was not published in 60 s");
    }

    static String location(String table) throws Exception {
        return get("/api/v1/tables/" + table).path("location").asString();
    }

    static JsonNode get(String path) throws Exception {
        HttpResponse<String> response = HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(
                                        URI.create(DeltaTestPlatform.get().apps.metadataUrl() + path))
                                .header("Authorization", "Bearer " + PlatformApps.ADMIN_KEY)
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return DeltaTestSinks.JSON.readTree(response.body());
    }

    static JsonNode post(String path, String body) throws Exception {
        HttpResponse<String> response = HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(
                                        URI.create(DeltaTestPlatform.get().apps.metadataUrl() + path))
                                .header("Authorization", "Bearer " + PlatformApps.ADMIN_KEY)
                                .header("Content-Type", "application/json")
                                .POST(HttpRequest.BodyPublishers.ofString(body))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isIn(200, 201);
        return DeltaTestSinks.JSON.readTree(response.body());
    }
}
