package io.deltaplane.engines.iceberg;

import static org.assertj.core.api.Assertions.assertThat;

import io.delta.kernel.types.DecimalType;
import io.delta.kernel.types.LongType;
import io.delta.kernel.types.StringType;
import io.delta.kernel.types.StructType;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Tables whose shape changes under the reader: the partition columns replaced by a {@code metaData}
 * commit that removes every file (Iceberg: a new partition spec, the old files removed under the
 * spec they were added with), and a column-mapped table ({@code delta.columnMapping.mode=name})
 * whose partition column and a data column are renamed, then OPTIMIZEd. Spark reads every version
 * as Delta Kernel does.
 */
class SparkIcebergEvolutionTest extends EngineTestBase {

    private static final String SCHEMA_JSON = "{\"type\":\"struct\",\"fields\":["
            + "{\"name\":\"id\",\"type\":\"long\",\"nullable\":false,\"metadata\":{}},"
            + "{\"name\":\"day\",\"type\":\"string\",\"nullable\":true,\"metadata\":{}},"
            + "{\"name\":\"region\",\"type\":\"string\",\"nullable\":true,\"metadata\":{}},"
            + "{\"name\":\"amount\",\"type\":\"decimal(10,2)\",\"nullable\":true,\"metadata\":{}}]}";

    private static final List<String> COLUMNS = List.of("id", "day", "region", "amount");

    /**
     * One file of {@code count} rows from {@code firstId}, partitioned by {@code partitionValues}
     * (column to value): the file holds the other columns, as Delta writers lay them out.
     */
    private static ObjectNode file(String location, Map<String, String> partitionValues, long firstId, int count) {
        StructType schema = new StructType();
        for (String column : COLUMNS) {
            if (!partitionValues.containsKey(column)) {
                schema = column.equals("id")
                        ? schema.add("id", LongType.LONG, false)
                        : column.equals("amount")
                                ? schema.add("amount", new DecimalType(10, 2), true)
                                : schema.add(column, StringType.STRING, true);
            }
        }
        List<Object[]> rows = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            long id = firstId + i;
            List<Object> row = new ArrayList<>();
            for (String column : COLUMNS) {
                if (partitionValues.containsKey(column)) {
                    continue;
                }
                row.add(
                        switch (column) {
                            case "id" -> id;
                            case "amount" -> BigDecimal.valueOf(id * 13 % 10_000, 2);
                            case "day" -> "2026-11-0" + (id % 3 + 1);
                            default -> id % 2 == 0 ? "eu" : "us";
                        });
            }
            rows.add(row.toArray());
        }
        List<String> directories = new ArrayList<>();
        partitionValues.forEach((column, value) -> directories.add(column + "=" + value));
        return KernelSide.write(location, String.join("/", directories), schema, rows, partitionValues);
    }

    @Test
    void partitionColumnsReplacedByAMetaDataCommitReadAsKernelAtEveryVersion() throws Exception {
        String name = "repartitioned";
        JsonNode created = platform.createTable(deltaName(name), SCHEMA_JSON, List.of("day"), Map.of());
        String location = created.get("location").asString();
        JsonNode schema = Deltaplane.JSON.readTree(SCHEMA_JSON);
        ObjectNode first = file(location, Map.of("day", "2026-11-01"), 0, 4);
        ObjectNode second = file(location, Map.of("day", "2026-11-02"), 10, 3);
        long v = commit(name, 0, List.of(first));
        v = commit(name, v, List.of(second));
        // partitioned by region now: every file (added under the day spec) removed in the same version
        v = commit(
                name,
                v,
                List.of(
                        platform.metaData(deltaName(name), schema, List.of("region")),
                        Deltaplane.remove(first.get("add").get("path").asString()),
                        Deltaplane.remove(second.get("add").get("path").asString())));
        ObjectNode eu = file(location, Map.of("region", "eu"), 20, 3);
        v = commit(name, v, List.of(eu));
        v = commit(name, v, List.of(file(location, Map.of("region", "us"), 30, 2)));
        v = commit(name, v, List.of(file(location, Map.of("region", "eu"), 40, 2)));
        // and by day and region: a third spec, whose source columns both had specs before
        Map<String, String> both = new LinkedHashMap<>();
        both.put("day", "2026-11-03");
        both.put("region", "us");
        List<ObjectNode> removeAll = new ArrayList<>();
        removeAll.add(platform.metaData(deltaName(name), schema, List.of("day", "region")));
        for (String path : KernelSide.livePaths(location, v)) {
            removeAll.add(Deltaplane.remove(path));
        }
        v = commit(name, v, removeAll);
        long latest = commit(name, v, List.of(file(location, both, 50, 3)));

        assertThat(KernelSide.read(location, 3).rows()).isEmpty();
        assertEveryVersionReadsAsKernel(name, latest);
        assertMetadataTablesAsKernel(name, latest);
    }

    @Test
    void aColumnMappedTableWhosePartitionColumnIsRenamedThenOptimizedReadsAsKernelAtEveryVersion() throws Exception {
        String name = "mapped";
        JsonNode created = platform.createTable(
                deltaName(name),
                SparkIcebergReadsTest.EVENTS_SCHEMA,
                List.of("day"),
                Map.of("delta.columnMapping.mode", "name"));
        String location = created.get("location").asString();
        Map<String, String> physical = new LinkedHashMap<>();
        for (JsonNode field : created.get("schema").get("fields")) {
            physical.put(
                    field.get("name").asString(),
                    field.get("metadata")
                            .get("delta.columnMapping.physicalName")
                            .asString());
        }
        assertThat(physical.values()).as("physical names").allMatch(n -> n.startsWith("col-"));

        long v = commit(name, 0, List.of(mappedFile(location, physical, "2026-11-01", 1, 3)));
        v = commit(name, v, List.of(mappedFile(location, physical, "2026-11-01", 4, 2)));
        // rename the partition column and a data column: the files keep their physical names
        ObjectNode renamed = (ObjectNode) created.get("schema").deepCopy();
        for (JsonNode field : renamed.get("fields")) {
            String logical = field.get("name").asString();
            if (logical.equals("day")) {
                ((ObjectNode) field).put("name", "sale_day");
            } else if (logical.equals("amount")) {
                ((ObjectNode) field).put("name", "total");
            }
        }
        v = commit(name, v, List.of(platform.metaData(deltaName(name), renamed, List.of("sale_day"))));
        v = commit(name, v, List.of(mappedFile(location, physical, "2026-11-02", 6, 2)));
        v = commit(name, v, List.of(mappedFile(location, physical, "2026-11-01", 8, 1)));
        long optimized = optimize(name);
        assertThat(optimized).isEqualTo(v + 1);
        long latest = commit(name, optimized, List.of(mappedFile(location, physical, "2026-11-02", 9, 2)));

        assertThat(KernelSide.read(location, latest).schema().fieldNames()).containsExactly("id", "sale_day", "total");
        assertEveryVersionReadsAsKernel(name, latest);
        // the partition field keeps the name it was made with (a rename of its source column makes no
        // new spec, as an Iceberg rename does not): sale_day's values are under the field day
        assertMetadataTablesAsKernel(name, latest, Map.of("sale_day", "day"));
    }

    /**
     * {@code count} rows of the events layout as one file whose columns carry the physical names,
     * its partition value keyed by the partition column's physical name.
     */
    private static ObjectNode mappedFile(
            String location, Map<String, String> physical, String day, long firstId, int count) {
        StructType schema = new StructType()
                .add(physical.get("id"), LongType.LONG, false)
                .add(physical.get("amount"), new DecimalType(10, 2), true);
        List<Object[]> rows = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            long id = firstId + i;
            rows.add(new Object[] {id, BigDecimal.valueOf(id * 7, 2)});
        }
        return KernelSide.write(location, "", schema, rows, Map.of(physical.get("day"), day));
    }
}
