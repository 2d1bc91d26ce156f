package io.deltaplane.metadata;

import static org.assertj.core.api.Assertions.assertThat;

import io.deltaplane.metadata.publish.KernelReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * Delta's change data feed: a table created with {@code delta.enableChangeDataFeed=true} gets the
 * {@code changeDataFeed} writer feature; a version's {@code cdc} actions are checked, stored,
 * published in its {@code <v>.json} (read from the published log, not from the service) and left
 * out of snapshots; {@code /changes} names the files Delta's change-feed reader reads per version;
 * VACUUM keeps the change-data files; and what a feed reader would trust wrongly is refused.
 */
class ChangeDataFeedTest extends MetadataTestBase {

    @Test
    void changeFilesAreStoredPublishedServedAndKept() throws Exception {
        String table = newTable(Map.of("delta.enableChangeDataFeed", "true"), "day");
        JsonNode created = get("/api/v1/tables/" + table);
        String location = created.get("location").asString();
        assertThat(protocol(table).get("writerFeatures").toString()).contains("changeDataFeed");

        ok(commit(table, 0, add("day=1/a.parquet", 100, Map.of("day", "1"))), 201);
        // an UPDATE as Spark writes it: the rewritten file out, the new one in, the change rows aside
        ok(
                commit(
                        table,
                        1,
                        remove("day=1/a.parquet"),
                        add("day=1/b.parquet", 100, Map.of("day", "1")),
                        cdc("_change_data/day=1/cdc-1.parquet", Map.of("day", "1"))),
                201);
        ok(commit(table, 2, metadataOnly(created, Map.of("delta.enableChangeDataFeed", "true", "x", "y"))), 201);

        JsonNode changes = get("/api/v1/tables/" + table + "/changes?from_version=1&to_version=3");
        assertThat(changeFiles(changes.get("changes").get(0))).containsExactly("insert day=1/a.parquet");
        assertThat(changeFiles(changes.get("changes").get(1))).containsExactly("cdc _change_data/day=1/cdc-1.parquet");
        assertThat(changeFiles(changes.get("changes").get(2))).isEmpty();
        assertThat(livePaths(table, 2L, 10)).containsExactly("day=1/b.parquet");

        // the published version holds the cdc action as committed
        awaitPublished(table, 3);
        Path log = Path.of(java.net.URI.create(location.replace("file:/", "file:///")))
                .resolve("_delta_log");
        List<JsonNode> published = new ArrayList<>();
        for (String line : Files.readAllLines(log.resolve("00000000000000000002.json"))) {
            published.add(JSON.readTree(line));
        }
        assertThat(published.stream()
                        .filter(a -> a.has("cdc"))
                        .map(a -> a.get("cdc").get("path").asString()))
                .containsExactly("_change_data/day=1/cdc-1.parquet");
        // readers by path (Delta Kernel) see the snapshot without change files
        assertThat(KernelReader.read(location, 2L).livePaths()).containsExactly("day=1/b.parquet");

        // VACUUM never deletes change data (a hidden directory) even with no retention; the file
        // version 2 removed goes in the same run, so the VACUUM is one that does delete
        Path cdcFile = log.getParent().resolve("_change_data/day=1/cdc-1.parquet");
        Files.createDirectories(cdcFile.getParent());
        Files.writeString(cdcFile, "change rows");
        Path removed = log.getParent().resolve("day=1/a.parquet");
        Path live = log.getParent().resolve("day=1/b.parquet");
        Files.createDirectories(removed.getParent());
        Files.writeString(removed, "rows before the update");
        Files.writeString(live, "rows after the update");
        JsonNode vacuum = ok(
                http.post(
                        "/api/v1/tables/" + table + "/vacuum",
                        "{\"retention_hours\":0,\"allow_short_retention\":true}"),
                200);
        assertThat(vacuum.get("paths").toString()).isEqualTo("[\"day=1/a.parquet\"]");
        assertThat(removed).doesNotExist();
        assertThat(live).exists();
        assertThat(cdcFile).exists();
    }

    @Test
    void whatAFeedReaderWouldTrustWronglyIsRefused() {
        String table = newTable(Map.of("delta.enableChangeDataFeed", "true"), "day");
        Map<String, String> day = Map.of("day", "1");
        assertProblem(commit(table, 0, cdc("day=1/outside.parquet", day)), 400, "INVALID_ACTION");
        assertProblem(commit(table, 0, cdc("_change_data/../../escape.parquet", day)), 400, "INVALID_ACTION");
        assertProblem(commit(table, 0, cdc("_change_data/x.parquet", Map.of())), 400, "INVALID_ACTION");
        assertProblem(
                commit(table, 0, cdc("_change_data/x.parquet", day).replace("false", "true")), 400, "INVALID_ACTION");
        assertThat(version(table)).isZero();

        // without the feed on, a table takes no change data
        String plain = newTable("day");
        assertProblem(commit(plain, 0, cdc("_change_data/x.parquet", day)), 400, "INVALID_ACTION");
        // nor may the feed be turned on without the feature in the protocol
        JsonNode created = get("/api/v1/tables/" + plain);
        assertProblem(
                commit(plain, 0, metadataOnly(created, Map.of("delta.enableChangeDataFeed", "true"))),
                400,
                "INVALID_ACTION");
        assertThat(version(plain)).isZero();
    }

    private static String cdc(String path, Map<String, String> partitionValues) {
        Map<String, Object> cdc = new LinkedHashMap<>();
        cdc.put("path", path);
        cdc.put("partitionValues", partitionValues);
        cdc.put("size", 10);
        cdc.put("dataChange", false);
        return JSON.writeValueAsString(Map.of("cdc", cdc));
    }

    private static String metadataOnly(JsonNode table, Map<String, String> configuration) {
        Map<String, Object> metadata = new LinkedHashMap<>();
        metadata.put("id", table.get("table_id").asString());
        metadata.put("format", Map.of("provider", "parquet", "options", Map.of()));
        metadata.put("schemaString", table.get("schema").toString());
        metadata.put("partitionColumns", List.of("day"));
        Map<String, String> merged = new LinkedHashMap<>();
        JSON.readTree(table.get("properties").toString())
                .properties()
                .forEach(e -> merged.put(e.getKey(), e.getValue().asString()));
        merged.putAll(configuration);
        metadata.put("configuration", merged);
        return JSON.writeValueAsString(Map.of("metaData", metadata));
    }

    private static List<String> changeFiles(JsonNode change) {
        List<String> files = new ArrayList<>();
        change.get("change_files")
                .forEach(f -> files.add(
                        f.get("change_type").asString() + " " + f.get("path").asString()));
        return files;
    }

    private JsonNode protocol(String table) {
        for (JsonNode action : get("/api/v1/tables/" + table + "/changes?from_version=0&to_version=0")
                .get("changes")
                .get(0)
                .get("actions")) {
            if (action.has("protocol")) {
                return action.get("protocol");
            }
        }
        throw new AssertionError("no protocol at version 0");
    }
}
