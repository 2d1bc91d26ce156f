package io.deltaplane.metadata;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * Where a write key may put a table, and what an admin's purge may delete (issue #12): locations
 * under a storage root only, never overlapping another table, never a file; a purge deletes the
 * table's own log and data files, never a neighbour's.
 */
class StorageGovernanceTest extends MetadataTestBase {

    static final String SCHEMA =
            "{\"type\":\"struct\",\"fields\":[{\"name\":\"id\",\"type\":\"long\",\"nullable\":true,\"metadata\":{}}]}";

    private String catalog() {
        String catalog = "g_" + UUID.randomUUID().toString().replace("-", "").substring(0, 10);
        ok(http.post("/api/v1/catalogs", "{\"name\":\"" + catalog + "\"}"), 201);
        ok(http.post("/api/v1/schemas", "{\"catalog_name\":\"" + catalog + "\",\"name\":\"s\"}"), 201);
        return catalog;
    }

    private String body(String catalog, String name, String location) {
        return "{\"catalog_name\":\"" + catalog + "\",\"schema_name\":\"s\",\"name\":\"" + name + "\",\"schema\":"
                + SCHEMA + ",\"location\":\"" + location + "\"}";
    }

    private void refused(String catalog, String location) {
        assertProblem(
                http.post("/api/v1/tables", body(catalog, "t" + Math.abs(location.hashCode()), location)),
                422,
                "LOCATION_NOT_ALLOWED");
    }

    @Test
    void aLocationMustBeAnUnusedDirectoryUnderAStorageRoot() throws Exception {
        String catalog = catalog();
        Path base = Files.createTempDirectory("governed");
        Path plainFile = Files.writeString(base.resolve("notes.txt"), "someone's file");
        ok(
                http.post(
                        "/api/v1/tables",
                        body(catalog, "live", base.resolve("live").toString())),
                201);
        awaitPublished(catalog + ".s.live", 0);

        refused(catalog, "/etc");
        refused(catalog, "/");
        refused(catalog, Path.of(System.getProperty("java.io.tmpdir")).toString()); // a root itself
        refused(catalog, plainFile.toString());
        refused(catalog, base.toString()); // the parent of a live table
        refused(catalog, base.resolve("live/_delta_log").toString()); // inside another table
        refused(catalog, base.resolve("live/sub/../_delta_log").toString());
        refused(catalog, "file:" + base.resolve("live"));
        assertThat(Files.readString(plainFile)).isEqualTo("someone's file");
    }

    @Test
    void twoCreatesRacingForNestedLocationsNeverBothLand() throws Exception {
        String catalog = catalog();
        var pool = java.util.concurrent.Executors.newFixedThreadPool(2);
        try {
            for (int round = 0; round < 12; round++) {
                Path base = Files.createTempDirectory("race");
                String outer = base.resolve("a").toString();
                String inner = base.resolve("a/b").toString();
                var start = new java.util.concurrent.CountDownLatch(1);
                int r = round;
                var first = pool.submit(() -> {
                    start.await();
                    return http.post("/api/v1/tables", body(catalog, "outer" + r, outer))
                            .statusCode();
                });
                var second = pool.submit(() -> {
                    start.await();
                    return http.post("/api/v1/tables", body(catalog, "inner" + r, inner))
                            .statusCode();
                });
                start.countDown();
                // one table inside another would let one table's files be committed, signed and
                // vended as the other's
                assertThat(List.of(first.get(), second.get()))
                        .as("round %d: one lands, the other is refused", round)
                        .containsExactlyInAnyOrder(201, 422);
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void purgeDeletesTheTablesOwnFilesAndNothingElse() throws Exception {
        String catalog = catalog();
        Path folder = Files.createTempDirectory("shared-folder");
        Path table = folder.resolve("orders");
        Files.createDirectories(table.resolve("day=1"));
        Path foreign = Files.writeString(table.resolve("README-of-someone-else.txt"), "keep me");
        Path foreignData = Files.writeString(table.resolve("day=1/other-engine.parquet"), "keep me too");
        JsonNode created = ok(http.post("/api/v1/tables", body(catalog, "orders", table.toString())), 201);
        String full = catalog + ".s.orders";
        Path ours = Files.writeString(table.resolve("day=1/part-0.parquet"), "ours");
        ok(
                http.post(
                        "/api/v1/tables/" + full + "/commits",
                        "{\"expected_version\":0,\"actions\":[{\"add\":{\"path\":\"day=1/part-0.parquet\","
                                + "\"partitionValues\":{},\"size\":4,\"modificationTime\":1,\"dataChange\":true}}]}"),
                201);
        awaitPublished(full, 1);
        assertThat(created.get("location").asString()).isEqualTo("file:" + table);

        assertThat(http.delete("/api/v1/tables/" + full + "?purge=true").statusCode())
                .isEqualTo(204);

        assertThat(ours).doesNotExist();
        assertThat(table.resolve("_delta_log")).doesNotExist();
        assertThat(foreign).hasContent("keep me");
        assertThat(foreignData).hasContent("keep me too");
    }

    @Test
    void aManagedTablesDirectoryIsPurgedWhole() throws Exception {
        String catalog = catalog();
        JsonNode created =
                ok(http.post("/api/v1/tables", body(catalog, "managed", "").replace(",\"location\":\"\"", "")), 201);
        Path root = Path.of(java.net.URI.create(created.get("location").asString()));
        awaitPublished(catalog + ".s.managed", 0);
        Files.writeString(root.resolve("scratch.tmp"), "the platform's own directory");
        assertThat(http.delete("/api/v1/tables/" + catalog + ".s.managed?purge=true")
                        .statusCode())
                .isEqualTo(204);
        assertThat(root).doesNotExist();
    }
}
