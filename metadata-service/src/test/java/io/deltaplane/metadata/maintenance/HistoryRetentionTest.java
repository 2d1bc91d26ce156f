package io.deltaplane.metadata.maintenance;

import static org.assertj.core.api.Assertions.assertThat;

import io.deltaplane.metadata.publish.HistoryStart;
import io.deltaplane.metadata.publish.KernelReader;
import io.deltaplane.metadata.publish.PublishTestBase;
import io.deltaplane.metadata.snapshot.SnapshotRepository;
import io.deltaplane.storage.StoragePaths;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.ByteArrayOutputStream;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * Postgres history retention ({@code deltaplane.maintenance.history-retention}): the worker's log
 * cleanup also deletes the versions Postgres keeps that are older than the retention, never one
 * {@code _delta_log} still holds. Every version kept reads exactly as before, an older one is 404
 * naming the first one kept, Delta Kernel and the reconciler see the same log, and commits go on.
 * The tests' setting is unset (every version kept); a worker with a retention is built here. Time
 * passing is commit times moved back in Postgres.
 */
class HistoryRetentionTest extends PublishTestBase {

    private static final Duration MONTH = Duration.ofDays(30);
    private static final String CHECKPOINTS = "delta.checkpointInterval";
    private static final String LOG_RETENTION = "delta.logRetentionDuration";
    private static final String AUTO_COMPACT = "delta.autoOptimize.autoCompact";

    @Autowired
    MaintenanceWorker worker;

    @Autowired
    MaintenanceRepository maintenance;

    @Autowired
    CompactionPlanner planner;

    @Autowired
    MaintenanceRuns runs;

    @Autowired
    MaintenanceProperties maintenanceProperties;

    @Autowired
    JsonMapper json;

    @Autowired
    MeterRegistry registry;

    @Autowired
    HistoryPruning pruning;

    @Autowired
    HistoryStart historyStart;

    @Autowired
    SnapshotRepository snapshots;

    @Test
    void versionsOlderThanTheRetentionLeavePostgresButNoneTheLogStillHolds() {
        String table = newTable(Map.of(CHECKPOINTS, "5", LOG_RETENTION, "interval 0 seconds", AUTO_COMPACT, "false"));
        UUID id = id(table);
        commitVersions(table, 12);
        awaitCheckpoint(table, 10);
        awaitPublished(table, 12);
        // versions 0-6 committed 400 days ago, 7-12 now; the log keeps nothing older than its checkpoint at 10
        age(id, 6);
        Map<Long, String> before = reads(table, 0, 12);
        String between = committedAt(id, 5).plusMillis(1).toString(); // after 5, before 6

        assertThat(workerKeeping(MONTH).runFor(id)).isTrue();
        List<String> log = names(logDir(table));

        JsonNode status = get("/api/v1/tables/" + table + "/maintenance");
        assertThat(status.get("log_start_version").asLong()).isEqualTo(10);
        assertThat(status.get("history_start_version").asLong())
                .as("the newest version older than a month")
                .isEqualTo(6);
        JsonNode history = status.get("last_log_cleanup").get("history");
        assertThat(history.get("history_start_version").asLong()).isEqualTo(6);
        assertThat(history.get("rows_deleted").get("commits").asLong()).isEqualTo(6);
        // the rows before 6 are gone, the ones in force at 6 stay
        assertThat(versions(id, "commits")).containsExactly(6L, 7L, 8L, 9L, 10L, 11L, 12L);
        assertThat(count("SELECT count(*) FROM files WHERE table_id = ? AND removed_version < 6", id))
                .isZero();
        assertThat(count("SELECT count(*) FROM files WHERE table_id = ?", id))
                .as("f1-f3 (removed at 3-5) gone; kept.parquet and f4-f12 stay")
                .isEqualTo(10);
        assertThat(versions(id, "metadata_versions")).containsExactly(4L, 7L);
        assertThat(versions(id, "protocol_versions")).containsExactly(0L);
        assertThat(rows(
                        id,
                        "SELECT app_id || '@' || version FROM app_txns WHERE table_id = ? ORDER BY app_id, version"))
                .containsExactly("a@6", "a@7", "a@8", "a@9", "a@10", "a@11", "a@12", "b@2");
        assertThat(rows(
                        id,
                        "SELECT domain || '@' || version FROM domain_metadata WHERE table_id = ?"
                                + " ORDER BY domain, version"))
                .containsExactly("d@4", "e@8", "e@9");

        Map<Long, String> after = reads(table, 6, 12);
        for (long v = 6; v <= 12; v++) {
            assertThat(after.get(v)).as("version %d", v).isEqualTo(before.get(v));
        }
        for (long v = 0; v < 6; v++) {
            assertNotKept(http.get("/api/v1/tables/" + table + "/snapshot?version=" + v), 6);
        }
        assertNotKept(http.get("/api/v1/tables/" + table + "/snapshot/files?version=3"), 6);
        assertNotKept(
                http.get("/api/v1/tables/" + table + "/snapshot/files?version=3", "Accept", "application/x-ndjson"), 6);
        assertNotKept(http.get("/api/v1/tables/" + table + "/changes?from_version=5"), 6);
        assertNotKept(http.get("/api/v1/tables/" + table + "/snapshot?timestamp=" + between), 6);
        assertThat(get("/api/v1/tables/" + table + "/snapshot?timestamp=" + committedAt(id, 6))
                        .get("version")
                        .asLong())
                .isEqualTo(6);
        assertThat(historyVersions(table)).containsExactly(12L, 11L, 10L, 9L, 8L, 7L, 6L);
        assertThat(KernelReader.read(location(table), 10L).livePaths())
                .containsExactlyInAnyOrderElementsOf(livePaths(table, 10L, 100));
        // the reconciler finds nothing missing nor foreign, and writes nothing
        JsonNode reconciled = ok(http.post("/api/v1/tables/" + table + "/publish/reconcile", ""), 200);
        assertThat(reconciled.get("repaired_versions")).isEmpty();
        assertThat(reconciled.get("mismatched_versions")).isEmpty();
        assertThat(reconciled.get("foreign_versions")).isEmpty();
        assertThat(names(logDir(table))).isEqualTo(log);

        // commits go on; a month later still, the log's first version bounds what Postgres keeps
        ok(commit(table, 12, add("f13.parquet", 10)), 201);
        awaitPublished(table, 13);
        assertThat(KernelReader.read(location(table), null).livePaths())
                .containsExactlyInAnyOrderElementsOf(livePaths(table, null, 100));
        age(id, 13);
        Map<Long, String> aged = reads(table, 6, 13);
        jdbc.sql("UPDATE maintenance_state SET last_vacuum_at = last_vacuum_at - interval '2 days'"
                        + " WHERE table_id = ?")
                .param(id)
                .update();
        assertThat(workerKeeping(MONTH).runFor(id)).isTrue();
        assertThat(get("/api/v1/tables/" + table + "/maintenance")
                        .get("history_start_version")
                        .asLong())
                .as("all older than a month, but _delta_log starts at 10")
                .isEqualTo(10);
        assertThat(versions(id, "commits")).containsExactly(10L, 11L, 12L, 13L);
        assertThat(versions(id, "metadata_versions"))
                .as("the one in force at 10")
                .containsExactly(7L);
        assertNotKept(http.get("/api/v1/tables/" + table + "/snapshot?version=9"), 10);
        Map<Long, String> later = reads(table, 10, 13);
        for (long v = 10; v <= 13; v++) {
            assertThat(later.get(v)).as("version %d", v).isEqualTo(aged.get(v));
        }
        assertThat(KernelReader.read(location(table), 10L).livePaths())
                .containsExactlyInAnyOrderElementsOf(livePaths(table, 10L, 100));
        assertThat(ok(http.post("/api/v1/tables/" + table + "/publish/reconcile", ""), 200)
                        .get("repaired_versions"))
                .isEmpty();
        ok(commit(table, 13, add("f14.parquet", 10)), 201);
    }

    @Test
    void withoutARetentionOrWhileTheLogKeepsEveryVersionPostgresKeepsEveryVersion() {
        String unset = newTable(Map.of(CHECKPOINTS, "5", LOG_RETENTION, "interval 0 seconds", AUTO_COMPACT, "false"));
        String logKept =
                newTable(Map.of(CHECKPOINTS, "5", "delta.enableExpiredLogCleanup", "false", AUTO_COMPACT, "false"));
        for (String table : List.of(unset, logKept)) {
            commitVersions(table, 6);
            awaitCheckpoint(table, 5);
            awaitPublished(table, 6);
            age(id(table), 6);
        }
        assertThat(maintenanceProperties.historyRetention()).isNull(); // the tests' setting

        assertThat(worker.runFor(id(unset))).isTrue();
        assertThat(workerKeeping(MONTH).runFor(id(logKept))).isTrue();

        JsonNode unsetStatus = get("/api/v1/tables/" + unset + "/maintenance");
        assertThat(unsetStatus.get("log_start_version").asLong()).isEqualTo(5);
        assertThat(unsetStatus.get("history_retention_hours").isNull()).isTrue();
        assertThat(unsetStatus.get("last_log_cleanup").path("history").isEmpty())
                .isTrue();
        JsonNode keptStatus = get("/api/v1/tables/" + logKept + "/maintenance");
        assertThat(keptStatus.get("log_start_version").asLong()).isZero();
        for (String table : List.of(unset, logKept)) {
            assertThat(get("/api/v1/tables/" + table + "/maintenance")
                            .get("history_start_version")
                            .asLong())
                    .isZero();
            assertThat(versions(id(table), "commits")).containsExactly(0L, 1L, 2L, 3L, 4L, 5L, 6L);
            assertThat(versions(id(table), "metadata_versions")).containsExactly(0L, 4L);
            assertThat(get("/api/v1/tables/" + table + "/snapshot?version=0")
                            .get("version")
                            .asLong())
                    .isZero();
        }
    }

    /**
     * The NDJSON stream of an older version checks that it is kept in the snapshot it then reads
     * (REPEATABLE READ): a pruning that records and deletes right after the check takes nothing from
     * that stream, while a read that had not begun yet sees only what is left.
     */
    @Test
    void aStreamReadsTheVersionInTheSnapshotItsCheckSaw() throws Exception {
        String table = newTable(Map.of(CHECKPOINTS, "5", LOG_RETENTION, "interval 0 seconds", AUTO_COMPACT, "false"));
        UUID id = id(table);
        commitVersions(table, 12);
        awaitCheckpoint(table, 10);
        awaitPublished(table, 12);
        age(id, 6);
        assertThat(worker.runFor(id)).as("log cleanup only: the tests' setting").isTrue();
        List<String> whole = stream(id, 3, () -> {});
        assertThat(whole).hasSize(3);

        ExecutorService pruner = Executors.newSingleThreadExecutor();
        try {
            List<String> streamed = stream(id, 3, () -> {
                assertThat(historyStart.of(id)).isZero(); // the transaction's snapshot is taken here
                try {
                    pruner.submit(() -> pruning.prune(id, MONTH)).get();
                } catch (InterruptedException | ExecutionException e) {
                    throw new IllegalStateException(e);
                }
            });
            assertThat(streamed).isEqualTo(whole);
        } finally {
            pruner.shutdown();
        }
        assertThat(historyStart.of(id)).isEqualTo(6);
        assertThat(stream(id, 3, () -> {})).as("begun after the delete").hasSize(1);
        assertNotKept(
                http.get("/api/v1/tables/" + table + "/snapshot/files?version=3", "Accept", "application/x-ndjson"), 6);
    }

    private List<String> stream(UUID id, long version, Runnable check) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        snapshots.streamFiles(id, version, check, out);
        return Stream.of(out.toString(StandardCharsets.UTF_8).split("\n"))
                .filter(line -> !line.isEmpty())
                .sorted()
                .toList();
    }

    /**
     * Versions 1 to {@code last}: an add each (and kept.parquet at 1), from 3 on the remove of the
     * file two versions back; app a's txn each, app b's at 2; domain d at 2 and 4, e at 8 and its
     * removal at 9; a metaData change at 4 and 7.
     */
    /**
     * The Iceberg metadata follows the history Postgres keeps: once versions are pruned, their
     * snapshots expire (Iceberg readers travel where Delta readers can), with the manifest lists the
     * platform made for them; the live files of the versions kept are as before.
     */
    @Test
    void icebergSnapshotsOfPrunedVersionsExpireWithTheFilesThePlatformMadeForThem() throws java.io.IOException {
        String table = newTable(Map.of(CHECKPOINTS, "5", LOG_RETENTION, "interval 0 seconds", AUTO_COMPACT, "false"));
        UUID id = id(table);
        commitVersions(table, 12);
        awaitCheckpoint(table, 10);
        awaitPublished(table, 12);
        String[] name = table.split("\\.");
        String load = "/api/2.1/unity-catalog/iceberg/v1/catalogs/" + name[0] + "/namespaces/" + name[1] + "/tables/"
                + name[2];
        JsonNode before = ok(http.get(load), 200).get("metadata");
        assertThat(before.get("snapshots")).hasSize(13);
        java.util.Map<Long, String> manifestLists = new java.util.HashMap<>();
        for (JsonNode snapshot : before.get("snapshots")) {
            manifestLists.put(
                    snapshot.get("summary").get("deltaplane.delta-version").asLong(),
                    snapshot.get("manifest-list").asString());
        }

        age(id, 6);
        assertThat(workerKeeping(MONTH).runFor(id)).isTrue();
        assertThat(versions(id, "commits")).startsWith(6L);

        JsonNode after = ok(http.get(load), 200).get("metadata");
        List<Long> kept = new ArrayList<>();
        for (JsonNode snapshot : after.get("snapshots")) {
            kept.add(snapshot.get("summary").get("deltaplane.delta-version").asLong());
        }
        assertThat(kept).containsExactlyInAnyOrder(6L, 7L, 8L, 9L, 10L, 11L, 12L);
        for (long v = 0; v < 6; v++) {
            assertThat(StoragePaths.toPath(manifestLists.get(v)))
                    .as("version %d's manifest list", v)
                    .doesNotExist();
        }
        for (long v = 6; v <= 12; v++) {
            assertThat(StoragePaths.toPath(manifestLists.get(v)))
                    .as("version %d's manifest list", v)
                    .exists();
        }
        assertThat(count("SELECT count(*) FROM iceberg_snapshots WHERE table_id = ? AND delta_version < 6", id))
                .isZero();
        // the current snapshot lists the live files Postgres lists, none of the data files deleted
        try (org.apache.iceberg.rest.RESTCatalog iceberg =
                io.deltaplane.testing.IcebergReader.catalog(port, name[0], ADMIN_KEY)) {
            org.apache.iceberg.Table loaded =
                    iceberg.loadTable(org.apache.iceberg.catalog.TableIdentifier.of(name[1], name[2]));
            List<String> planned = new ArrayList<>();
            try (var tasks = loaded.newScan().planFiles()) {
                tasks.forEach(t -> planned.add(
                        t.file().location().substring(t.file().location().lastIndexOf('/') + 1)));
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
            assertThat(planned).containsExactlyInAnyOrderElementsOf(livePaths(table, 12L, 100));
        }
    }

    private void commitVersions(String table, long last) {
        for (long v = 1; v <= last; v++) {
            List<String> actions = new ArrayList<>();
            actions.add(add("f" + v + ".parquet", 10));
            if (v == 1) {
                actions.add(add("kept.parquet", 10));
            }
            if (v >= 3) {
                actions.add(remove("f" + (v - 2) + ".parquet"));
            }
            actions.add(JSON.writeValueAsString(Map.of("txn", Map.of("appId", "a", "version", v))));
            if (v == 2) {
                actions.add(JSON.writeValueAsString(Map.of("txn", Map.of("appId", "b", "version", 1))));
            }
            if (v == 2 || v == 4 || v == 8 || v == 9) {
                actions.add(JSON.writeValueAsString(Map.of(
                        "domainMetadata",
                        Map.of(
                                "domain",
                                v < 8 ? "d" : "e",
                                "configuration",
                                "{\"at\":" + v + "}",
                                "removed",
                                v == 9))));
            }
            if (v == 4 || v == 7) {
                actions.add(metadata(table, "deltaplane.test.at", Long.toString(v)));
            }
            ok(http.post("/api/v1/tables/" + table + "/commits", commitBody(v - 1, actions)), 201);
        }
    }

    /** The current metaData with one more property. */
    private String metadata(String table, String key, String value) {
        ObjectNode metadata = (ObjectNode)
                get("/api/v1/tables/" + table + "/snapshot").get("metadata").deepCopy();
        ((ObjectNode) metadata.get("configuration")).put(key, value);
        return JSON.writeValueAsString(Map.of("metaData", metadata));
    }

    /**
     * What the API answers for each version from {@code first} to {@code last}: its snapshot, its
     * files a page of two at a time, its NDJSON stream, and its changes to {@code last}.
     */
    private Map<Long, String> reads(String table, long first, long last) {
        Map<Long, String> reads = new TreeMap<>();
        for (long v = first; v <= last; v++) {
            HttpResponse<String> stream = http.get(
                    "/api/v1/tables/" + table + "/snapshot/files?version=" + v, "Accept", "application/x-ndjson");
            assertThat(stream.statusCode()).as(stream.body()).isEqualTo(200);
            TreeSet<String> streamed = new TreeSet<>();
            Stream.of(stream.body().split("\n")).filter(line -> !line.isEmpty()).forEach(streamed::add);
            reads.put(
                    v,
                    get("/api/v1/tables/" + table + "/snapshot?version=" + v) + "\n" + livePaths(table, v, 2) + "\n"
                            + streamed + "\n"
                            + get("/api/v1/tables/" + table + "/changes?from_version=" + v + "&to_version=" + last));
        }
        return reads;
    }

    private List<Long> historyVersions(String table) {
        List<Long> versions = new ArrayList<>();
        get("/api/v1/tables/" + table + "/history")
                .get("commits")
                .forEach(c -> versions.add(c.get("version").asLong()));
        return versions;
    }

    private static void assertNotKept(HttpResponse<String> response, long earliest) {
        assertProblem(response, 404, "VERSION_NOT_FOUND");
        JsonNode problem = JSON.readTree(response.body());
        assertThat(problem.get("earliest_version").asLong()).isEqualTo(earliest);
        assertThat(problem.get("detail").asString()).contains("keeps versions " + earliest + " to");
    }

    /** A worker like the running one, with {@code history-retention} set. */
    private MaintenanceWorker workerKeeping(Duration retention) {
        MaintenanceProperties p = maintenanceProperties;
        return new MaintenanceWorker(
                maintenance,
                planner,
                runs,
                json,
                new MaintenanceProperties(
                        p.targetFileSize(),
                        p.optimizeAttempts(),
                        p.commitAttempts(),
                        p.vacuumMinRetention(),
                        p.autoEnabled(),
                        p.autoInterval(),
                        p.autoTablesPerRound(),
                        p.autoLease(),
                        p.autoFailureBackoff(),
                        p.optimizeMinSmallFiles(),
                        p.vacuumInterval(),
                        retention,
                        p.rewriteThreads(),
                        p.rewriteMemory(),
                        p.rewriteScratch()),
                registry,
                io.deltaplane.support.loop.ProcessRole.ALL);
    }

    /** Versions up to {@code upTo} as if committed 400 days earlier (committed_at keeps growing with the version). */
    private void age(UUID id, long upTo) {
        jdbc.sql("UPDATE commits SET committed_at = committed_at - interval '400 days'"
                        + " WHERE table_id = ? AND version <= ?")
                .params(id, upTo)
                .update();
    }

    private java.time.Instant committedAt(UUID id, long version) {
        return jdbc.sql("SELECT committed_at FROM commits WHERE table_id = ? AND version = ?")
                .params(id, version)
                .query((rs, n) ->
                        rs.getObject(1, java.time.OffsetDateTime.class).toInstant())
                .single();
    }

    private List<Long> versions(UUID id, String table) {
        return jdbc.sql("SELECT version FROM " + table + " WHERE table_id = ? ORDER BY version")
                .param(id)
                .query(Long.class)
                .list();
    }

    private List<String> rows(UUID id, String query) {
        return jdbc.sql(query).param(id).query(String.class).list();
    }

    private long count(String query, UUID id) {
        return jdbc.sql(query).param(id).query(Long.class).single();
    }

    private UUID id(String table) {
        return UUID.fromString(get("/api/v1/tables/" + table).get("table_id").asString());
    }
}
