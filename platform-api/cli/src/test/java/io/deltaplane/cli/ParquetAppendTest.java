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

    private static final ObjectMapper JSON = new ObjectMapper();

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
    }

    @Test
    void aTableWithoutColumnMappingKeepsItsNames() throws Exception {
        JsonNode schema = JSON.readTree(
                "{\"type\":\"struct\",\"fields\":[{\"name\":\"id\",\"type\":\"long\",\"nullable\":true,\"metadata\":{}}]}");
        assertThat(ParquetAppend.columns(schema)).containsExactly(new ParquetAppend.Column("id", "id", "long", true));
    }
}
