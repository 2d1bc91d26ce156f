package io.deltaplane.metadata.maintenance;

import static org.assertj.core.api.Assertions.assertThat;

import io.deltaplane.metadata.publish.KernelReader;
import io.deltaplane.storage.StoredFile;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.beans.factory.annotation.Autowired;
import tools.jackson.databind.JsonNode;

/**
 * VACUUM on the local disk, S3 and Azure, after an OPTIMIZE left removed files and a writer left a
 * stray one: within the retention nothing goes; past it exactly the files no retained version needs
 * go (a dry run lists the same ones first), the log and hidden files stay, and Delta Kernel still
 * reads the table's rows.
 */
class VacuumTest extends MaintenanceTestBase {

    @ParameterizedTest
    @ValueSource(strings = {"local", "s3", "azure"})
    void filesNoRetainedVersionNeedsAreDeletedAndTheTableStillReads(String where) throws Exception {
        Lake lake = lake(where);
        List<String> written = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            written.add(append(lake, "2026-11-01", i * 10L, 10));
        }
        ok(http.post("/api/v1/tables/" + lake.table() + "/optimize", "{}"), 200);
        long latest = version(lake.table());
        awaitPublished(lake.table(), latest);
        List<String> rows = TableRows.read(lake.location(), latest, lake.engine());
        // a file a writer wrote and never committed, and files VACUUM must never touch
        lake.storage()
                .putIfAbsent(lake.storage().resolve(lake.location(), "day=2026-11-01/stray.parquet"), new byte[] {1});
        lake.storage().putIfAbsent(lake.storage().resolve(lake.location(), "_tmp/scratch.parquet"), new byte[] {1});
        lake.storage().putIfAbsent(lake.storage().resolve(lake.location(), ".hidden"), new byte[] {1});
        Set<String> before = names(lake);

        // within the table's retention (a week): nothing is deleted
        JsonNode kept = ok(http.post("/api/v1/tables/" + lake.table() + "/vacuum", "{}"), 200);
        assertThat(kept.get("file_count").asLong()).isZero();
        assertThat(kept.get("retention_hours").asDouble()).isEqualTo(168.0);
        assertThat(names(lake)).isEqualTo(before);

        // no retention (an admin's override): the removed files and the stray one, dry run first
        String zero = "{\"retention_hours\":0,\"allow_short_retention\":true";
        JsonNode dry = ok(http.post("/api/v1/tables/" + lake.table() + "/vacuum", zero + ",\"dry_run\":true}"), 200);
        Set<String> expected = new TreeSet<>(written);
        expected.add("day=2026-11-01/stray.parquet");
        assertThat(dry.get("dry_run").asBoolean()).isTrue();
        assertThat(paths(dry)).isEqualTo(expected);
        assertThat(names(lake)).isEqualTo(before);

        JsonNode done = ok(http.post("/api/v1/tables/" + lake.table() + "/vacuum", zero + "}"), 200);
        assertThat(paths(done)).isEqualTo(expected);
        assertThat(done.get("file_count").asLong()).isEqualTo(expected.size());
        Set<String> left = new TreeSet<>(before);
        left.removeAll(expected);
        assertThat(names(lake)).isEqualTo(left);
        assertThat(left).anyMatch(n -> n.startsWith("_delta_log/")).contains("_tmp/scratch.parquet", ".hidden");
        assertThat(TableRows.read(lake.location(), latest, lake.engine())).isEqualTo(rows);
        assertThat(KernelReader.read(lake.location(), latest, lake.engine()).livePaths())
                .allMatch(p -> left.contains(p));

        // a second VACUUM finds nothing
        assertThat(ok(http.post("/api/v1/tables/" + lake.table() + "/vacuum", zero + "}"), 200)
                        .get("file_count")
                        .asLong())
                .isZero();
    }

    @Test
    void aFreshUncommittedFileIsKeptForAWriterAboutToCommitIt() throws Exception {
        Lake lake = lake("local");
        append(lake, "d", 0, 5);
        lake.storage().putIfAbsent(lake.storage().resolve(lake.location(), "d/in-flight.parquet"), new byte[] {1});
        JsonNode result = ok(
                http.post(
                        "/api/v1/tables/" + lake.table() + "/vacuum",
                        "{\"retention_hours\":1,\"allow_short_retention\":true}"),
                200);
        assertThat(result.get("file_count").asLong()).isZero();
        assertThat(lake.storage().exists(lake.storage().resolve(lake.location(), "d/in-flight.parquet")))
                .isTrue();
    }

    @Autowired
    org.springframework.jdbc.core.simple.JdbcClient jdbc;

    @Autowired
    io.deltaplane.storage.Storages storages;

    @Autowired
    io.deltaplane.support.access.AccessControl access;

    @Autowired
    tools.jackson.databind.json.JsonMapper json;

    @Autowired
    java.time.Clock clock;

    @Autowired
    MaintenanceProperties maintenance;

    /**
     * A writer's commit lands while VACUUM reads what the table needs (here: just before it reads
     * every path ever referenced). Its file is live and stays. Read in the other order, the file was
     * "referenced but not needed" and VACUUM deleted it — found by the whole-platform fault suite.
     */
    @Test
    void aFileCommittedWhileVacuumReadsTheTableIsKept() throws Exception {
        Lake lake = lake("local");
        append(lake, "d", 0, 5);
        String[] landed = new String[1];
        io.deltaplane.metadata.table.TableRepository commitMeanwhile =
                new io.deltaplane.metadata.table.TableRepository(jdbc) {
                    @Override
                    public List<String> dataFilePaths(java.util.UUID id) {
                        if (landed[0] == null) {
                            landed[0] = append(lake, "d", 100, 5);
                        }
                        return super.dataFilePaths(id);
                    }
                };

        VacuumResult result = new Vacuum(commitMeanwhile, jdbc, storages, access, json, clock, maintenance)
                .vacuum(lake.table(), null);

        assertThat(landed[0]).as("a commit landed during VACUUM").isNotNull();
        assertThat(result.paths()).as("deleted").isEmpty();
        assertThat(names(lake)).contains(landed[0]);
    }

    @Test
    void aShortRetentionNeedsTheOverrideAndBadValuesAreProblems() {
        Lake lake = lake("local");
        append(lake, "d", 0, 5);
        String url = "/api/v1/tables/" + lake.table() + "/vacuum";
        assertProblem(http.post(url, "{\"retention_hours\":1}"), 400, "VALIDATION_FAILED");
        assertProblem(
                http.post(url, "{\"retention_hours\":-1,\"allow_short_retention\":true}"), 400, "VALIDATION_FAILED");
        assertProblem(http.post(url, "{\"retention_hours\":\"soon\"}"), 400, "MALFORMED_JSON");
        assertProblem(http.post("/api/v1/tables/nope.s.t/vacuum", "{}"), 404, "TABLE_NOT_FOUND");
        // the table's own short retention is under the minimum too
        String catalog = newCatalogWithSchemaS();
        ok(
                http.post(
                        "/api/v1/tables",
                        tableBody(catalog, Map.of("delta.deletedFileRetentionDuration", "interval 2 hours"))),
                201);
        var refused = http.post("/api/v1/tables/" + catalog + ".s.t/vacuum", "{\"dry_run\":true}");
        assertProblem(refused, 400, "VALIDATION_FAILED");
        assertThat(refused.body()).contains("2 hours");
    }

    private Set<String> names(Lake lake) throws Exception {
        Set<String> names = new TreeSet<>();
        for (StoredFile file : lake.storage().filesUnder(lake.location())) {
            names.add(file.name());
        }
        return names;
    }

    private static Set<String> paths(JsonNode result) {
        Set<String> paths = new TreeSet<>();
        result.get("paths").forEach(p -> paths.add(p.asString()));
        return paths;
    }
}
