package io.deltaplane.metadata.maintenance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.deltaplane.metadata.maintenance.Optimizer.Rewrite;
import io.deltaplane.metadata.maintenance.Optimizer.StalePlan;
import io.deltaplane.metadata.publish.KernelReader;
import io.deltaplane.storage.Storage;
import io.deltaplane.storage.StoragePaths;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.beans.factory.annotation.Autowired;
import tools.jackson.databind.JsonNode;

/**
 * OPTIMIZE on real Parquet files, on the local disk, S3 (S3Proxy) and Azure (Azurite), with Delta
 * Kernel as the reader that must not see a difference: every version reads the same rows before and
 * after, the files a bin held become one, and Delta's conflict rules hold against a writer that
 * appends (no conflict) or removes a file being compacted (planned again).
 */
class OptimizeTest extends MaintenanceTestBase {

    @Autowired
    Optimizer optimizer;

    @ParameterizedTest
    @ValueSource(strings = {"local", "s3", "azure"})
    void smallFilesBecomeOneFilePerPartitionAndEveryVersionReadsTheSameRows(String storage) {
        Lake lake = lake(storage);
        long id = 0;
        for (int i = 0; i < 6; i++, id += 50) {
            append(lake, "2026-11-01", id, 50);
        }
        for (int i = 0; i < 3; i++, id += 50) {
            append(lake, "2026-11-02", id, 50);
        }
        append(lake, "2026-11-03", id, 50); // alone in its partition: nothing to merge it with
        long before = version(lake.table());
        awaitPublished(lake.table(), before);
        Map<Long, List<String>> rows = new LinkedHashMap<>();
        for (long v = 1; v <= before; v++) {
            rows.put(v, TableRows.read(lake.location(), v, lake.engine()));
        }
        assertThat(rows.get(before)).hasSize(500);

        JsonNode result = ok(http.post("/api/v1/tables/" + lake.table() + "/optimize", "{}"), 200);

        long after = before + 1;
        assertThat(result.get("version").asLong()).isEqualTo(after);
        assertThat(result.get("read_version").asLong()).isEqualTo(before);
        assertThat(result.get("partitions_optimized").asInt()).isEqualTo(2);
        assertThat(result.get("files_removed").asInt()).isEqualTo(9);
        assertThat(result.get("files_added").asInt()).isEqualTo(2);
        assertThat(result.get("target_file_size_bytes").asLong()).isEqualTo(1L << 30);
        awaitPublished(lake.table(), after);
        assertThat(TableRows.read(lake.location(), after, lake.engine())).isEqualTo(rows.get(before));
        rows.forEach((v, expected) -> assertThat(TableRows.read(lake.location(), v, lake.engine()))
                .as("version %d after OPTIMIZE", v)
                .isEqualTo(expected));
        var live = KernelReader.read(lake.location(), after, lake.engine()).livePaths();
        assertThat(live).hasSize(3);
        assertThat(live.stream().filter(p -> p.startsWith("day=2026-11-01/"))).hasSize(1);
        assertThat(live.stream().filter(p -> p.startsWith("day=2026-11-02/"))).hasSize(1);

        JsonNode changes = get("/api/v1/tables/" + lake.table() + "/changes?from_version=" + after);
        JsonNode version = changes.get("changes").get(0);
        assertThat(version.get("operation").asString()).isEqualTo("OPTIMIZE");
        for (JsonNode action : version.get("actions")) {
            JsonNode file = action.has("add") ? action.get("add") : action.get("remove");
            if (file != null) {
                assertThat(file.get("dataChange").asBoolean())
                        .as("%s changes no data", action)
                        .isFalse();
            }
            if (action.has("add")) {
                assertThat(action.get("add").get("stats").asString()).contains("\"numRecords\":");
            }
        }

        // compacted already: a second OPTIMIZE has nothing to do
        JsonNode again = ok(http.post("/api/v1/tables/" + lake.table() + "/optimize", ""), 200);
        assertThat(again.hasNonNull("version")).isFalse();
        assertThat(again.get("files_removed").asInt()).isZero();
        assertThat(version(lake.table())).isEqualTo(after);
    }

    @Test
    void whereAndTheTargetSizeChooseWhatIsCompacted() {
        Lake lake = lake("local");
        long id = 0;
        for (String day : List.of("2026-11-01", "2026-11-02")) {
            for (int i = 0; i < 4; i++, id += 50) {
                append(lake, day, id, 50);
            }
        }
        long size = fileSize(lake);
        long before = version(lake.table());
        // a target of two files' size: bins of two
        JsonNode result = ok(
                http.post(
                        "/api/v1/tables/" + lake.table() + "/optimize",
                        "{\"where\":{\"day\":\"2026-11-02\"},\"target_file_size_bytes\":" + (2 * size + 1) + "}"),
                200);
        assertThat(result.get("files_removed").asInt()).isEqualTo(4);
        assertThat(result.get("files_added").asInt()).isEqualTo(2);
        assertThat(result.get("where").get("day").asString()).isEqualTo("2026-11-02");
        List<String> live = livePaths(lake.table(), null, 100);
        assertThat(live.stream().filter(p -> p.startsWith("day=2026-11-01/"))).hasSize(4);
        assertThat(live.stream().filter(p -> p.startsWith("day=2026-11-02/"))).hasSize(2);
        awaitPublished(lake.table(), before + 1);
        assertThat(TableRows.read(lake.location(), before + 1, lake.engine()))
                .isEqualTo(TableRows.read(lake.location(), before, lake.engine()));
    }

    @Test
    void theTablesTargetFileSizeIsItsDefault() {
        String catalog = newCatalogWithSchemaS();
        ok(http.post("/api/v1/tables", tableBody(catalog, Map.of("delta.targetFileSize", "2kb"), "day")), 201);
        Lake lake = local(catalog + ".s.t");
        append(lake, "d", 0, 5);
        append(lake, "d", 5, 5);
        JsonNode result = ok(http.post("/api/v1/tables/" + lake.table() + "/optimize", "{}"), 200);
        assertThat(result.get("target_file_size_bytes").asLong()).isEqualTo(2048);
    }

    @Test
    void filesWithoutRowsAreCompactedAwayAndNothingEmptyIsAdded() throws Exception {
        Lake lake = local(newTable("day"));
        Path partition = StoragePaths.toPath(lake.location()).resolve("day=e");
        Files.createDirectories(partition);
        for (String name : List.of("empty-1.parquet", "empty-2.parquet")) {
            try (var duckdb = java.sql.DriverManager.getConnection("jdbc:duckdb:");
                    var sql = duckdb.createStatement()) {
                sql.execute("COPY (SELECT 1::BIGINT AS id, 1.00::DECIMAL(10,2) AS amount WHERE false) TO '"
                        + partition.resolve(name) + "' (FORMAT parquet)");
            }
            ok(
                    commit(
                            lake.table(),
                            version(lake.table()),
                            "{\"add\":{\"path\":\"day=e/" + name + "\",\"partitionValues\":{\"day\":\"e\"},\"size\":"
                                    + Files.size(partition.resolve(name))
                                    + ",\"modificationTime\":1,\"dataChange\":true}}"),
                    201);
        }
        JsonNode result = ok(http.post("/api/v1/tables/" + lake.table() + "/optimize", "{}"), 200);
        assertThat(result.get("files_removed").asInt()).isEqualTo(2);
        assertThat(result.get("files_added").asInt()).isZero();
        assertThat(livePaths(lake.table(), null, 10)).isEmpty();
        awaitPublished(lake.table(), result.get("version").asLong());
        assertThat(TableRows.read(lake.location(), result.get("version").asLong(), lake.engine()))
                .isEmpty();
    }

    @Test
    void aBlindAppendWhileCompactingIsNoConflict() throws Exception {
        Lake lake = lake("local");
        for (int i = 0; i < 3; i++) {
            append(lake, "2026-11-01", i * 10L, 10);
        }
        CompactionPlan plan = optimizer.plan(lake.table(), OptimizeRequest.EVERYTHING);
        Rewrite rewrite = optimizer.rewrite(plan);
        String appended = append(lake, "2026-11-01", 1000, 10); // lands while the rewrite waits to commit
        long version = optimizer.commit(rewrite);
        assertThat(version).isEqualTo(plan.readVersion() + 2);
        List<String> live = livePaths(lake.table(), null, 100);
        assertThat(live).contains(appended).hasSize(2);
        awaitPublished(lake.table(), version);
        assertThat(TableRows.read(lake.location(), version, lake.engine())).hasSize(40);
    }

    @Test
    void aRemoveOfAFileBeingCompactedMakesItPlanAgainAndTakeBackItsFiles() throws Exception {
        Lake lake = lake("local");
        List<String> paths = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            paths.add(append(lake, "2026-11-01", i * 10L, 10));
        }
        CompactionPlan plan = optimizer.plan(lake.table(), OptimizeRequest.EVERYTHING);
        Rewrite rewrite = optimizer.rewrite(plan);
        Storage local = lake.storage();
        String newFile = rewrite.written().get(0).objectPath();
        assertThat(local.exists(newFile)).isTrue();
        long v = version(lake.table());
        ok(commit(lake.table(), v, remove(paths.get(0))), 201); // a delete of a file being compacted

        assertThatThrownBy(() -> optimizer.commit(rewrite)).isInstanceOf(StalePlan.class);
        assertThat(local.exists(newFile))
                .as("the stale attempt's file is taken back")
                .isFalse();
        assertThat(version(lake.table())).isEqualTo(v + 1);

        JsonNode result = ok(http.post("/api/v1/tables/" + lake.table() + "/optimize", "{}"), 200);
        assertThat(result.get("files_removed").asInt()).isEqualTo(2);
        assertThat(livePaths(lake.table(), null, 100)).hasSize(1).doesNotContain(paths.get(0));
    }

    @Test
    void badRequestsAreProblemsAndChangeNothing() throws Exception {
        Lake lake = lake("local");
        append(lake, "a", 0, 5);
        append(lake, "a", 5, 5);
        long v = version(lake.table());
        String url = "/api/v1/tables/" + lake.table() + "/optimize";
        assertProblem(http.post(url, "{\"where\":{\"id\":\"1\"}}"), 400, "VALIDATION_FAILED");
        assertProblem(http.post(url, "{\"target_file_size_bytes\":10}"), 400, "VALIDATION_FAILED");
        assertProblem(http.post(url, "{\"target_file_size_bytes\":\"big\"}"), 400, "MALFORMED_JSON");
        assertProblem(http.post(url, "[1]"), 400, "MALFORMED_JSON");
        assertProblem(http.post("/api/v1/tables/nope.s.t/optimize", "{}"), 404, "TABLE_NOT_FOUND");
        assertThat(version(lake.table())).isEqualTo(v);
        assertProblem(
                http.post("/api/v1/tables", tableBody(newCatalogWithSchemaS(), Map.of("delta.targetFileSize", "12"))),
                400,
                "INVALID_ACTION");

        // files the log names but the storage does not have: the table's problem, nothing committed
        String ghost = newTable();
        ok(commit(ghost, 0, add("gone-1.parquet", 100), add("gone-2.parquet", 100)), 201);
        var missing = http.post("/api/v1/tables/" + ghost + "/optimize", "{}");
        assertProblem(missing, 422, "DATA_FILE_MISSING");
        assertThat(missing.body()).contains("gone-");
        assertThat(version(ghost)).isEqualTo(1);

        // files that are there but are not Parquet
        Lake junk = lake("local");
        for (String name : new String[] {"day=x/junk-1.parquet", "day=x/junk-2.parquet"}) {
            junk.storage().putIfAbsent(junk.storage().resolve(junk.location(), name), "not parquet".getBytes());
            ok(commit(junk.table(), version(junk.table()), add(name, "not parquet".length(), Map.of("day", "x"))), 201);
        }
        var unreadable = http.post("/api/v1/tables/" + junk.table() + "/optimize", "{}");
        assertProblem(unreadable, 422, "DATA_FILE_UNREADABLE");
        assertThat(version(junk.table())).isEqualTo(2);
        assertThat(junk.storage().filesUnder(junk.location()))
                .as("nothing written beside them")
                .allMatch(f -> f.name().startsWith("_delta_log/") || f.name().contains("junk-"));
    }

    private long fileSize(Lake lake) {
        JsonNode files = get("/api/v1/tables/" + lake.table() + "/snapshot/files?max_results=1");
        return files.get("files").get(0).get("size").asLong();
    }
}
