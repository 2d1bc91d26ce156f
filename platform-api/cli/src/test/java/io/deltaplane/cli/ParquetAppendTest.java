package io.deltaplane.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code deltaplane tables append}'s files on a column-mapped table: the rows name the logical
 * columns, the Parquet files, their statistics and their partition values the physical ones — what
 * every Delta reader of such a table looks up (read back here with DuckDB).
 */
class ParquetAppendTest {

    // the CLI's own mapper (it leaves null fields out of what it writes)
    private static final ObjectMapper JSON = DeltaplaneCli.mapper();

    @Test
    void aColumnMappedTablesFilesStatsAndPartitionValuesUseThePhysicalNames(@TempDir Path dir) throws Exception {
        JsonNode schema = JSON.readTree("""
                {"type":"struct","fields":[
                 {"name":"id","type":"long","nullable":true,"metadata":{
                   "delta.columnMapping.id":1,"delta.columnMapping.physicalName":"col-a1"}},
                 {"name":"day","type":"string","nullable":true,"metadata":{
                   "delta.columnMapping.id":2,"delta.columnMapping.physicalName":"col-b2"}}]}""");
        Path rows =
                Files.writeString(dir.resolve("rows.jsonl"), "{\"id\":1,\"day\":\"d1\"}\n{\"id\":2,\"day\":\"d1\"}\n");
        Map<String, Path> uploaded = new HashMap<>();
        Path kept = Files.createDirectories(dir.resolve("uploaded"));
        List<ObjectNode> adds = new ParquetAppend(JSON)
                .write(ParquetAppend.columns(schema), List.of("day"), rows, (path, file) -> {
                    Path copy = kept.resolve(path.replace('/', '_'));
                    Files.copy(file, copy);
                    uploaded.put(path, copy);
                });

        assertThat(adds).hasSize(1);
        JsonNode add = adds.get(0).get("add");
        assertThat(add.get("partitionValues").toString()).isEqualTo("{\"col-b2\":\"d1\"}");
        JsonNode stats = JSON.readTree(add.get("stats").asText());
        assertThat(stats.get("numRecords").asLong()).isEqualTo(2);
        assertThat(stats.get("minValues").get("col-a1").asLong()).isEqualTo(1);
        assertThat(stats.get("maxValues").get("col-a1").asLong()).isEqualTo(2);
        assertThat(stats.get("minValues").has("id")).isFalse();

        Path file = uploaded.get(add.get("path").asText());
        List<String> columns = new ArrayList<>();
        try (Connection duck = DriverManager.getConnection("jdbc:duckdb:");
                ResultSet rs = duck.createStatement()
                        .executeQuery("SELECT column_name FROM (DESCRIBE SELECT * FROM read_parquet('" + file
                                + "', hive_partitioning = false))")) {
            while (rs.next()) {
                columns.add(rs.getString(1));
            }
        }
        assertThat(columns).containsExactly("col-a1");
        // each column's Parquet field id is its column mapping id: readers by id (mode id, Iceberg's
        // readers through the Iceberg door) find it
        List<String> ids = new ArrayList<>();
        try (Connection duck = DriverManager.getConnection("jdbc:duckdb:");
                ResultSet rs = duck.createStatement()
                        .executeQuery("SELECT name, field_id FROM parquet_schema('" + file
                                + "') WHERE name <> 'duckdb_schema'")) {
            while (rs.next()) {
                ids.add(rs.getString(1) + "=" + rs.getString(2));
            }
        }
        assertThat(ids).containsExactly("col-a1=1");
    }

    @Test
    void aTableWithoutColumnMappingKeepsItsNames() throws Exception {
        JsonNode schema = JSON.readTree(
                "{\"type\":\"struct\",\"fields\":[{\"name\":\"id\",\"type\":\"long\",\"nullable\":true,\"metadata\":{}}]}");
        assertThat(ParquetAppend.columns(schema))
                .containsExactly(new ParquetAppend.Column("id", "id", "long", true, null));
    }

    /**
     * Any value a column holds appends: partition values with {@code %}, {@code /}, {@code =},
     * {@code +}, spaces, unicode, empty and null each land in the file's {@code partitionValues} as
     * they were, under a path whose upload needs no escaped {@code %} or {@code /} (the platform
     * refuses those as non-canonical, so such a row could not be appended before), and a double
     * column holding NaN and infinities has no bound rather than one that fails to parse.
     */
    @Test
    void everyValueAppendsUnderAPathTheUploadTakes(@TempDir Path dir) throws Exception {
        JsonNode schema = JSON.readTree("""
                {"type":"struct","fields":[
                 {"name":"id","type":"long","nullable":true,"metadata":{}},
                 {"name":"x","type":"double","nullable":true,"metadata":{}},
                 {"name":"part","type":"string","nullable":true,"metadata":{}}]}""");
        List<String> values = List.of("a%b", "x/y", "p=q", "s t", "é", "a+b", "2024-01-01 12:00:00.12+00");
        StringBuilder rows = new StringBuilder();
        for (int i = 0; i < values.size(); i++) {
            rows.append("{\"id\":")
                    .append(i)
                    .append(",\"x\":1.5,\"part\":")
                    .append(JSON.writeValueAsString(values.get(i)))
                    .append("}\n");
        }
        rows.append("{\"id\":100,\"x\":\"-inf\",\"part\":null}\n");
        rows.append("{\"id\":101,\"x\":\"nan\",\"part\":null}\n");
        Path file = Files.writeString(dir.resolve("rows.jsonl"), rows.toString());
        List<String> uploads = new ArrayList<>();
        List<ObjectNode> adds = new ParquetAppend(JSON)
                .write(ParquetAppend.columns(schema), List.of("part"), file, (path, written) -> uploads.add(path));

        Map<String, String> byValue = new HashMap<>();
        for (ObjectNode action : adds) {
            JsonNode add = action.get("add");
            JsonNode value = add.get("partitionValues").get("part");
            byValue.put(value.isNull() ? null : value.asText(), add.get("path").asText());
            // the URL the CLI puts the file at: no escaped percent sign or slash
            String url = CliCommand.encodePath(add.get("path").asText());
            assertThat(url).doesNotContain("%25").doesNotContainIgnoringCase("%2F");
            // what a Delta reader opens (the add's path decoded) is where the upload put it
            assertThat(java.net.URI.create(add.get("path").asText()).getPath())
                    .isEqualTo(java.net.URLDecoder.decode(
                            add.get("path").asText().replace("+", "%2B"), java.nio.charset.StandardCharsets.UTF_8));
        }
        assertThat(uploads).hasSize(adds.size());
        assertThat(byValue.keySet())
                .containsExactlyInAnyOrderElementsOf(new java.util.HashSet<>(java.util.Arrays.asList(
                        "a%b", "x/y", "p=q", "s t", "é", "a+b", "2024-01-01 12:00:00.12+00", null)));
        assertThat(byValue.get("s t")).startsWith("part=s%20t/");
        assertThat(byValue.get("é")).startsWith("part=%C3%A9/");
        assertThat(byValue.get(null)).startsWith("part=__HIVE_DEFAULT_PARTITION__/");
        assertThat(byValue.get("a%b")).matches("part=h[0-9a-f]{16}/.*");

        JsonNode nonFinite = adds.stream()
                .map(a -> a.get("add"))
                .filter(a -> a.get("partitionValues").get("part").isNull())
                .findFirst()
                .orElseThrow();
        JsonNode stats = JSON.readTree(nonFinite.get("stats").asText());
        assertThat(stats.get("numRecords").asLong()).isEqualTo(2);
        assertThat(stats.get("minValues").has("x")).isFalse();
        assertThat(stats.get("maxValues").has("x")).isFalse();
    }
}
