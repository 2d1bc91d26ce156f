package io.deltaplane.metadata.maintenance;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import tools.jackson.databind.JsonNode;

/**
 * The maintenance worker under the default policy (tests: OPTIMIZE from 3 small files; the loop
 * itself is off, rounds are run here): a table streamed into gets compacted and vacuumed without
 * anyone asking, what it did is shown, a leased table is no other replica's, a table is not planned
 * again until it is committed to, and a failure is kept and backed off.
 */
class MaintenanceWorkerTest extends MaintenanceTestBase {

    @Autowired
    MaintenanceWorker worker;

    @Autowired
    MaintenanceRepository repository;

    @Autowired
    org.springframework.jdbc.core.simple.JdbcClient jdbc;

    @Test
    void aTableWithSmallFilesIsCompactedAndVacuumedWithoutAnyoneAsking() {
        Lake lake = lake("local");
        for (int i = 0; i < 4; i++) {
            append(lake, "2026-11-01", i * 10L, 10);
        }
        long streamed = version(lake.table());
        JsonNode before = get("/api/v1/tables/" + lake.table() + "/maintenance");
        assertThat(before.get("checked_version").asLong()).isEqualTo(-1);
        assertThat(before.get("optimize_min_small_files").asInt()).isEqualTo(3);

        assertThat(worker.runFor(id(lake))).isTrue();

        assertThat(version(lake.table())).isEqualTo(streamed + 1);
        assertThat(livePaths(lake.table(), null, 100)).hasSize(1);
        JsonNode after = get("/api/v1/tables/" + lake.table() + "/maintenance");
        // first the worker's own error, if any: it says why the rest would not hold
        assertThat(after.get("last_error").isNull()).as(after.toString()).isTrue();
        assertThat(after.get("checked_version").asLong()).isEqualTo(streamed + 1);
        assertThat(after.get("last_optimize").get("files_removed").asInt()).isEqualTo(4);
        assertThat(after.get("last_vacuum").get("file_count").asLong())
                .as("removed files are within the week's retention")
                .isZero();
        assertThat(jdbc.sql("SELECT operation || ' ' || run_trigger FROM maintenance_run_outbox"
                                + " WHERE full_name = ? ORDER BY id")
                        .param(lake.table())
                        .query(String.class)
                        .list())
                .as("each is a lineage run of the table's maintenance job, started by the policy")
                .containsExactly("OPTIMIZE policy", "VACUUM policy", "LOG_CLEANUP policy");

        // its own OPTIMIZE does not make it due again, nor does anything else until a commit
        assertThat(worker.runFor(id(lake))).isFalse();
        append(lake, "2026-11-01", 100, 10);
        assertThat(worker.runFor(id(lake))).as("committed to since").isTrue();
        assertThat(version(lake.table()))
                .as("two files are fewer than the policy's three: no OPTIMIZE")
                .isEqualTo(streamed + 2);
    }

    /**
     * A stream's table in miniature: batches of small appends, the worker's round after each (as
     * every minute in production). The live file count stays bounded and every row is still read.
     */
    @Test
    void aStreamedTableStaysAtABoundedFileCount() {
        Lake lake = lake("local");
        UUID table = id(lake);
        long id = 0;
        int mostLive = 0;
        for (int round = 0; round < 8; round++) {
            for (int i = 0; i < 5; i++, id += 10) {
                append(lake, "2026-11-01", id, 10);
            }
            mostLive = Math.max(mostLive, livePaths(lake.table(), null, 1000).size());
            assertThat(worker.runFor(table)).isTrue();
            assertThat(livePaths(lake.table(), null, 1000))
                    .as("live files after round %d", round)
                    .hasSize(1);
        }
        assertThat(mostLive)
                .as("never more than one compacted file and a batch")
                .isLessThanOrEqualTo(6);
        long latest = version(lake.table());
        awaitPublished(lake.table(), latest);
        assertThat(TableRows.read(lake.location(), latest, lake.engine())).hasSize(400);
    }

    @Test
    void aTablesPropertiesChangeItsPolicy() {
        String catalog = newCatalogWithSchemaS();
        ok(
                http.post(
                        "/api/v1/tables",
                        tableBody(
                                catalog,
                                java.util.Map.of(
                                        "delta.autoOptimize.autoCompact", "false", "deltaplane.autoVacuum", "false"),
                                "day")),
                201);
        Lake off = local(catalog + ".s.t");
        String other = newCatalogWithSchemaS();
        ok(
                http.post(
                        "/api/v1/tables",
                        tableBody(other, java.util.Map.of("deltaplane.autoCompact.minNumFiles", "10"), "day")),
                201);
        Lake tenFiles = local(other + ".s.t");
        for (Lake lake : java.util.List.of(off, tenFiles)) {
            for (int i = 0; i < 4; i++) {
                append(lake, "2026-11-01", i * 10L, 10);
            }
        }

        assertThat(worker.runFor(id(off))).isTrue();
        assertThat(worker.runFor(id(tenFiles))).isTrue();

        assertThat(version(off.table())).as("auto compaction off").isEqualTo(4);
        assertThat(version(tenFiles.table()))
                .as("four small files are under its ten")
                .isEqualTo(4);
        JsonNode offState = get("/api/v1/tables/" + off.table() + "/maintenance");
        assertThat(offState.get("auto_compact").asBoolean()).isFalse();
        assertThat(offState.get("auto_vacuum").asBoolean()).isFalse();
        assertThat(offState.get("last_vacuum").isNull()).as("no VACUUM either").isTrue();
        JsonNode tenState = get("/api/v1/tables/" + tenFiles.table() + "/maintenance");
        assertThat(tenState.get("optimize_min_small_files").asInt()).isEqualTo(10);
        assertThat(tenState.get("last_vacuum").get("file_count").asLong()).isZero();
    }

    @Test
    void aCatalogsAndSchemasPropertiesSetThePolicyOfTheirTablesUnlessATableSaysOtherwise() {
        String catalog = newCatalogWithSchemaS();
        ok(
                http.send(
                        "PATCH",
                        "/api/2.1/unity-catalog/catalogs/" + catalog,
                        "{\"properties\": {\"delta.autoOptimize.autoCompact\": \"false\","
                                + " \"deltaplane.autoVacuum\": \"false\", \"deltaplane.autoCompact.minNumFiles\": \"7\"}}"),
                200);
        ok(
                http.send(
                        "PATCH",
                        "/api/2.1/unity-catalog/schemas/" + catalog + ".s",
                        "{\"properties\": {\"deltaplane.autoVacuum\": \"true\"}}"),
                200);
        ok(http.post("/api/v1/tables", tableBody(catalog, java.util.Map.of(), "day")), 201);
        Lake inherits = local(catalog + ".s.t");
        ok(
                http.post(
                        "/api/v1/tables",
                        tableBody(
                                        catalog,
                                        java.util.Map.of(
                                                "delta.autoOptimize.autoCompact", "true",
                                                "deltaplane.autoCompact.minNumFiles", "3"),
                                        "day")
                                .replace("\"name\":\"t\"", "\"name\":\"own\"")),
                201);
        Lake own = local(catalog + ".s.own");
        for (Lake lake : java.util.List.of(inherits, own)) {
            for (int i = 0; i < 4; i++) {
                append(lake, "2026-11-01", i * 10L, 10);
            }
        }

        JsonNode inherited = get("/api/v1/tables/" + inherits.table() + "/maintenance");
        assertThat(inherited.get("auto_compact").asBoolean())
                .as("the catalog's")
                .isFalse();
        assertThat(inherited.get("optimize_min_small_files").asInt())
                .as("the catalog's")
                .isEqualTo(7);
        assertThat(inherited.get("auto_vacuum").asBoolean())
                .as("the schema's, over the catalog's")
                .isTrue();
        assertThat(worker.runFor(id(inherits))).isTrue();
        assertThat(version(inherits.table()))
                .as("auto compaction off by the catalog")
                .isEqualTo(4);
        assertThat(get("/api/v1/tables/" + inherits.table() + "/maintenance")
                        .get("last_vacuum")
                        .isNull())
                .as("vacuumed: the schema turned it back on")
                .isFalse();

        JsonNode itsOwn = get("/api/v1/tables/" + own.table() + "/maintenance");
        assertThat(itsOwn.get("auto_compact").asBoolean())
                .as("the table's, over the catalog's")
                .isTrue();
        assertThat(itsOwn.get("optimize_min_small_files").asInt()).isEqualTo(3);
        assertThat(worker.runFor(id(own))).isTrue();
        assertThat(livePaths(own.table(), null, 100)).as("compacted").hasSize(1);
    }

    /**
     * A schema's {@code deltaplane.autoVacuum.interval} makes its tables due for VACUUM that often;
     * a table of another schema keeps the platform's day. Time passing is the last VACUUM's time
     * moved back, as if two hours had gone by.
     */
    @Test
    void aSchemasVacuumIntervalDecidesWhenItsTablesAreVacuumedAgain() {
        String catalog = newCatalogWithSchemaS();
        ok(
                http.send(
                        "PATCH",
                        "/api/2.1/unity-catalog/schemas/" + catalog + ".s",
                        "{\"properties\": {\"deltaplane.autoVacuum.interval\": \"interval 1 hour\"}}"),
                200);
        ok(http.post("/api/v1/tables", tableBody(catalog, java.util.Map.of(), "day")), 201);
        Lake hourly = local(catalog + ".s.t");
        Lake daily = lake("local");
        assertThat(get("/api/v1/tables/" + hourly.table() + "/maintenance")
                        .get("vacuum_interval_hours")
                        .asDouble())
                .isEqualTo(1.0);
        assertThat(get("/api/v1/tables/" + daily.table() + "/maintenance")
                        .get("vacuum_interval_hours")
                        .asDouble())
                .isEqualTo(24.0);
        for (Lake lake : java.util.List.of(hourly, daily)) {
            assertThat(worker.runFor(id(lake))).as("never vacuumed: due").isTrue();
            assertThat(worker.runFor(id(lake)))
                    .as("just vacuumed, no commit since")
                    .isFalse();
            jdbc.sql("UPDATE maintenance_state SET last_vacuum_at = last_vacuum_at - interval '2 hours'"
                            + " WHERE table_id = ?")
                    .param(id(lake))
                    .update();
        }
        assertThat(worker.runFor(id(hourly)))
                .as("vacuumed two hours ago, every hour: due")
                .isTrue();
        assertThat(worker.runFor(id(daily)))
                .as("vacuumed two hours ago, every day: not due")
                .isFalse();
    }

    @Test
    void aLeasedTableIsNoOtherReplicasUntilTheLeaseRunsOut() {
        Lake lake = lake("local");
        append(lake, "d", 0, 5);
        UUID table = id(lake);
        assertThat(repository.claim(1, Duration.ofMinutes(5), Duration.ofDays(1), table))
                .hasSize(1);
        assertThat(repository.claim(1, Duration.ofMinutes(5), Duration.ofDays(1), table))
                .as("a second replica's claim")
                .isEmpty();
        assertThat(worker.runFor(table)).isFalse();
    }

    /**
     * A replica whose lease ran out and was taken over records nothing on the table — no result, no
     * checked version, no failure — and learns it lost the table at its next renewal; the replica that
     * holds it now does.
     */
    @Test
    void aReplicaWhoseLeaseWasTakenOverRecordsNothingOverTheOneHoldingItNow() {
        Lake lake = lake("local");
        append(lake, "d", 0, 5);
        UUID table = id(lake);
        MaintenanceRepository.Claim first =
                repository.claim(1, Duration.ZERO, Duration.ofDays(1), table).get(0); // its lease ends at once
        MaintenanceRepository.Claim second = repository
                .claim(1, Duration.ofMinutes(5), Duration.ofDays(1), table)
                .get(0);
        assertThat(second.token()).isNotEqualTo(first.token());

        assertThat(repository.renew(first, Duration.ofMinutes(5)))
                .as("the first replica's renewal")
                .isFalse();
        assertThat(repository.failed(first, "lost", Duration.ofMinutes(5))).isFalse();
        assertThat(repository.optimized(first, "{}")).isFalse();
        assertThat(repository.checked(first, 99, Duration.ofDays(1))).isFalse();
        MaintenanceRepository.State state = repository.state(table).orElseThrow();
        assertThat(state.lastError()).isNull();
        assertThat(state.lastOptimizeAt()).isNull();
        assertThat(state.checkedVersion()).isLessThan(99);

        assertThat(repository.checked(second, 1, Duration.ofDays(1)))
                .as("the holder's")
                .isTrue();
    }

    @Test
    void aFailureIsShownAndTheTableLeftAloneForTheBackOff() {
        String ghost = newTable();
        ok(commit(ghost, 0, add("gone-1.parquet", 100), add("gone-2.parquet", 100), add("gone-3.parquet", 100)), 201);
        UUID table =
                UUID.fromString(get("/api/v1/tables/" + ghost).get("table_id").asString());

        assertThat(worker.runFor(table)).isTrue();

        JsonNode state = get("/api/v1/tables/" + ghost + "/maintenance");
        assertThat(state.get("last_error").asString()).startsWith("DATA_FILE_MISSING");
        assertThat(version(ghost)).isEqualTo(1);
        assertThat(worker.runFor(table)).as("backed off").isFalse();
    }

    private UUID id(Lake lake) {
        return UUID.fromString(
                get("/api/v1/tables/" + lake.table()).get("table_id").asString());
    }
}
