package io.deltaplane.metadata.publish;

import static org.assertj.core.api.Assertions.assertThat;

import io.delta.kernel.Snapshot;
import io.delta.kernel.TableManager;
import io.deltaplane.storage.StoragePaths;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * Time travel by timestamp: a reader asking for {@code timestampAsOf(committed_at of v)} gets
 * version v — for tables the platform creates (In-Commit Timestamps) and for imported tables
 * without them (the commit files' modification times, as the original log's readers see them).
 */
class InCommitTimestampTest extends PublishTestBase {

    @TempDir
    Path dir;

    @Test
    void timestampAsOfTheCommittedAtOfAVersionReadsThatVersion() {
        String table = newTable();
        JsonNode created = get("/api/v1/tables/" + table + "/snapshot");
        assertThat(created.get("protocol").get("writerFeatures").toString()).contains("inCommitTimestamp");
        assertThat(created.get("metadata")
                        .get("configuration")
                        .get("delta.enableInCommitTimestamps")
                        .asString())
                .isEqualTo("true");
        for (long v = 0; v < 4; v++) {
            ok(commit(table, v, add("f" + v + ".parquet", 10)), 201);
        }
        awaitPublished(table);
        assertTimestampAsOfReadsEachVersion(table, location(table), 4);
    }

    @Test
    void anImportedTableWithoutInCommitTimestampsReportsTheCommitFilesTimes() throws IOException {
        Instant base = Instant.parse("2024-03-01T10:00:00Z");
        List<Instant> fileTimes = List.of(base, base.plusSeconds(60), base.plusSeconds(120), base.plusSeconds(180));
        String table = importCopyWithFileTimes(fileTimes);
        Map<Long, Instant> history = history(table);
        for (long v = 0; v <= 3; v++) {
            assertThat(history.get(v)).as("committed_at of %d", v).isEqualTo(fileTimes.get((int) v));
        }
        assertTimestampAsOfReadsEachVersion(table, location(table), 3);
    }

    @Test
    void commitFileTimesThatGoBackAreReportedAsDeltaReadersSeeThem() throws IOException {
        // Copied or restored files can have times out of order; Delta's readers then take the
        // previous version's time + 1 ms, and so does the import (the checkpoint's tombstone bound
        // relies on committed_at growing with the version).
        Instant base = Instant.parse("2024-03-01T10:00:00Z");
        String table = importCopyWithFileTimes(
                List.of(base, base.plusSeconds(60), base.plusSeconds(30), base.plusSeconds(90)));
        Map<Long, Instant> history = history(table);
        assertThat(List.of(history.get(0L), history.get(1L), history.get(2L), history.get(3L)))
                .containsExactly(
                        base, base.plusSeconds(60), base.plusSeconds(60).plusMillis(1), base.plusSeconds(90));
        assertTimestampAsOfReadsEachVersion(table, location(table), 3);
    }

    /**
     * Imports a copy of a four-version log the platform wrote, without In-Commit Timestamps, whose
     * commit files have the given modification times; returns the imported table's name.
     */
    private String importCopyWithFileTimes(List<Instant> fileTimes) throws IOException {
        String source = newTable(); // any valid log; its In-Commit Timestamps are then switched off below
        for (long v = 0; v < 3; v++) {
            ok(commit(source, v, add("f" + v + ".parquet", 10)), 201);
        }
        awaitPublished(source);
        String copyId = UUID.randomUUID().toString();
        Path log = Files.createDirectories(dir.resolve(copyId + "/_delta_log"));
        String sourceId = get("/api/v1/tables/" + source).get("table_id").asString();
        for (long v = 0; v <= 3; v++) {
            String name = String.format("%020d.json", v);
            String content = Files.readString(logDir(source).resolve(name));
            // the original log without the feature: a reader then uses the files' modification times
            content = content.replace("\"delta.enableInCommitTimestamps\":\"true\"", "\"x\":\"y\"")
                    .replace("\"inCommitTimestamp\":", "\"commitTimestampWas\":")
                    .replace(sourceId, copyId);
            Files.writeString(log.resolve(name), content);
            Files.setLastModifiedTime(log.resolve(name), FileTime.from(fileTimes.get((int) v)));
        }
        String location = StoragePaths.toFileUri(log.getParent().toString());
        String catalog = newCatalogWithSchemaS();
        ok(
                http.post(
                        "/api/v1/tables/import",
                        JSON.writeValueAsString(Map.of(
                                "catalog_name", catalog, "schema_name", "s", "name", "t", "location", location))),
                201);
        return catalog + ".s.t";
    }

    private void assertTimestampAsOfReadsEachVersion(String table, String location, long latest) {
        Map<Long, Instant> history = history(table);
        Snapshot newest = TableManager.loadSnapshot(location).build(KernelReader.ENGINE);
        assertThat(newest.getVersion()).isEqualTo(latest);
        for (long v = 0; v <= latest; v++) {
            long at = history.get(v).toEpochMilli();
            Snapshot snapshot =
                    TableManager.loadSnapshot(location).atTimestamp(at, newest).build(KernelReader.ENGINE);
            assertThat(snapshot.getVersion())
                    .as("timestampAsOf %s", history.get(v))
                    .isEqualTo(v);
        }
    }

    private Map<Long, Instant> history(String table) {
        Map<Long, Instant> at = new HashMap<>();
        get("/api/v1/tables/" + table + "/history?max_results=100")
                .get("commits")
                .forEach(c -> at.put(
                        c.get("version").asLong(),
                        Instant.parse(c.get("timestamp").asString())));
        return at;
    }
}
