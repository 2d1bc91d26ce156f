package io.deltaplane.metadata.maintenance;

import static org.assertj.core.api.Assertions.assertThat;

import io.delta.kernel.defaults.internal.parquet.ParquetStatsReader;
import io.delta.kernel.expressions.Column;
import io.delta.kernel.internal.types.DataTypeJsonSerDe;
import io.delta.kernel.internal.util.SchemaUtils;
import io.delta.kernel.types.StructType;
import io.deltaplane.metadata.deltalog.DeltaKernelEngines;
import io.deltaplane.metadata.deltalog.StorageFileIO;
import io.deltaplane.storage.LocalFileStorage;
import io.deltaplane.storage.Storage;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.example.data.simple.SimpleGroupFactory;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.example.ExampleParquetWriter;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.apache.parquet.io.LocalInputFile;
import org.apache.parquet.io.LocalOutputFile;
import org.apache.parquet.io.api.Binary;
import org.apache.parquet.schema.LogicalTypeAnnotation;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.MessageTypeParser;
import org.apache.parquet.schema.PrimitiveType;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.JsonNode;

/**
 * OPTIMIZE keeps every Delta type as Delta writes it: files as Spark writes them (timestamps as
 * INT96, decimals as INT64 and fixed-length bytes, three-level lists and maps, a struct; written here
 * with parquet-java, not with the code under test), one of them without a column added later, are
 * compacted; Delta Kernel reads the same rows at every version, the new file has Delta's Parquet
 * types, and its statistics are the inputs' merged.
 */
class OptimizeTypesTest extends MaintenanceTestBase {

    private static final String DELTA_SCHEMA = "{\"type\":\"struct\",\"fields\":["
            + field("id", "\"long\"") + "," + field("s", "\"string\"") + "," + field("i", "\"integer\"") + ","
            + field("sh", "\"short\"") + "," + field("b", "\"byte\"") + "," + field("d", "\"double\"") + ","
            + field("f", "\"float\"") + "," + field("flag", "\"boolean\"") + "," + field("bin", "\"binary\"") + ","
            + field("day", "\"date\"") + "," + field("ts", "\"timestamp\"") + ","
            + field("dec", "\"decimal(10,2)\"") + "," + field("big", "\"decimal(30,5)\"") + ","
            + field("arr", "{\"type\":\"array\",\"elementType\":\"integer\",\"containsNull\":true}") + ","
            + field("m", "{\"type\":\"map\",\"keyType\":\"string\",\"valueType\":\"long\",\"valueContainsNull\":true}")
            + ","
            + field(
                    "st",
                    "{\"type\":\"struct\",\"fields\":[" + field("x", "\"integer\"") + "," + field("y", "\"string\"")
                            + "]}")
            + "," + field("added", "\"string\"") + "," + field("never", "\"long\"") + "]}";

    /** As Spark 3/4 writes a Delta table's files (its defaults: INT96 timestamps, standard lists). */
    private static final String SPARK_COLUMNS = "optional int64 id; optional binary s (STRING); optional int32 i;"
            + " optional int32 sh (INTEGER(16,true)); optional int32 b (INTEGER(8,true)); optional double d;"
            + " optional float f; optional boolean flag; optional binary bin; optional int32 day (DATE);"
            + " optional int96 ts; optional int64 dec (DECIMAL(10,2)); optional fixed_len_byte_array(13) big"
            + " (DECIMAL(30,5)); optional group arr (LIST) { repeated group list { optional int32 element; } }"
            + " optional group m (MAP) { repeated group key_value { required binary key (STRING); optional int64"
            + " value; } } optional group st { optional int32 x; optional binary y (STRING); }";

    private static final MessageType OLD_FILE =
            MessageTypeParser.parseMessageType("message spark_schema { " + SPARK_COLUMNS + " }");
    private static final MessageType NEW_FILE = MessageTypeParser.parseMessageType(
            "message spark_schema { " + SPARK_COLUMNS + " optional binary added (STRING); }");

    private static final Instant EPOCH_BASE = Instant.parse("2026-11-01T08:30:00.123456Z");

    @TempDir
    Path work;

    @ParameterizedTest
    @ValueSource(strings = {"local", "s3"})
    void everyDeltaTypeIsRewrittenAsDeltaWritesItAndReadsTheSame(String where) throws Exception {
        String catalog = newCatalogWithSchemaS();
        String body = "{\"catalog_name\":\"" + catalog + "\",\"schema_name\":\"s\",\"name\":\"t\",\"schema\":"
                + DELTA_SCHEMA + (where.equals("s3") ? ",\"location\":\"" + S3_ROOT + "/" + catalog + "/t\"" : "")
                + "}";
        ok(http.post("/api/v1/tables", body), 201);
        String table = catalog + ".s.t";
        String location = get("/api/v1/tables/" + table).get("location").asString();
        Storage storage = where.equals("s3") ? s3 : new LocalFileStorage();
        var engine =
                where.equals("s3") ? DeltaKernelEngines.over(s3) : io.deltaplane.metadata.publish.KernelReader.ENGINE;
        StructType schema = DataTypeJsonSerDe.deserializeStructType(DELTA_SCHEMA);

        Map<String, JsonNode> inputStats = new LinkedHashMap<>();
        for (int f = 0; f < 3; f++) {
            MessageType fileSchema = f == 0 ? OLD_FILE : NEW_FILE;
            Path file = work.resolve("part-0000" + f + ".parquet");
            write(file, fileSchema, f * 40L, 40);
            String name = file.getFileName().toString();
            storage.putFileIfAbsent(storage.resolve(location, name), file);
            String stats = statsOf(file, schema);
            inputStats.put(name, JSON.readTree(stats));
            ok(
                    commit(
                            table,
                            version(table),
                            "{\"add\":{\"path\":\"" + name + "\",\"partitionValues\":{},\"size\":"
                                    + Files.size(file) + ",\"modificationTime\":1,\"dataChange\":true,\"stats\":"
                                    + JSON.writeValueAsString(stats) + "}}"),
                    201);
        }
        long before = version(table);
        awaitPublished(table, before);
        List<List<String>> rows = new ArrayList<>();
        for (long v = 1; v <= before; v++) {
            rows.add(TableRows.readEveryColumn(location, v, engine));
        }
        assertThat(rows.get(rows.size() - 1)).hasSize(120);
        assertThat(rows.get(rows.size() - 1).get(0))
                .as("a row as Kernel reads it, the column added later null in the old file")
                .isEqualTo("0|s0|0|0|0|0.0|0.0|true|00|"
                        + LocalDate.of(2025, 11, 1).toEpochDay() + "|" + micros(EPOCH_BASE)
                        + "|0.00|0.00000|[0,null]|{k0:0}|{x=0,y=y0}|null|null");

        JsonNode result = ok(http.post("/api/v1/tables/" + table + "/optimize", "{}"), 200);
        assertThat(result.get("files_removed").asInt()).isEqualTo(3);
        assertThat(result.get("files_added").asInt()).isEqualTo(1);
        long after = result.get("version").asLong();
        awaitPublished(table, after);

        for (long v = 1; v <= before; v++) {
            assertThat(TableRows.readEveryColumn(location, v, engine)).isEqualTo(rows.get((int) v - 1));
        }
        assertThat(TableRows.readEveryColumn(location, after, engine)).isEqualTo(rows.get(rows.size() - 1));

        JsonNode add = null;
        for (JsonNode action : get("/api/v1/tables/" + table + "/changes?from_version=" + after)
                .get("changes")
                .get(0)
                .get("actions")) {
            if (action.has("add")) {
                add = action.get("add");
            }
        }
        Path compacted = work.resolve("compacted.parquet");
        try (var in = storage.open(storage.resolve(location, add.get("path").asString()))
                .orElseThrow()) {
            Files.copy(in, compacted);
        }
        assertThat(leafTypes(compacted))
                .as("Delta's Parquet types: timestamps INT64 microseconds adjusted to UTC, decimals as Spark")
                .containsAllEntriesOf(Map.of(
                        "id", "INT64",
                        "sh", "INT32 INTEGER(16,true)",
                        "b", "INT32 INTEGER(8,true)",
                        "day", "INT32 DATE",
                        "ts", "INT64 TIMESTAMP(MICROS,true)",
                        "dec", "INT64 DECIMAL(10,2)",
                        "big", "FIXED_LEN_BYTE_ARRAY DECIMAL(30,5)",
                        "arr.list.element", "INT32",
                        "m.key_value.key", "BINARY STRING",
                        "st.y", "BINARY STRING"));

        JsonNode stats = JSON.readTree(add.get("stats").asString());
        assertThat(stats.get("numRecords").asLong()).isEqualTo(120);
        for (String column : List.of("id", "s", "i", "d", "day", "dec", "big", "added")) {
            assertThat(stats.at("/minValues/" + column))
                    .as("min of %s", column)
                    .isEqualTo(merged(inputStats, "minValues", column, -1));
            assertThat(stats.at("/maxValues/" + column))
                    .as("max of %s", column)
                    .isEqualTo(merged(inputStats, "maxValues", column, 1));
        }
        for (String column : List.of("id", "s", "added", "never", "flag")) {
            long nulls = 0;
            for (JsonNode input : inputStats.values()) {
                JsonNode count = input.at("/nullCount/" + column);
                nulls += count.isMissingNode() ? 40 : count.asLong(); // a file without the column: all null
            }
            assertThat(stats.at("/nullCount/" + column).asLong())
                    .as("nulls of %s", column)
                    .isEqualTo(nulls);
        }
        assertThat(stats.at("/minValues/ts").asString()).isEqualTo("2026-11-01T08:30:00.123Z");
    }

    private static String field(String name, String type) {
        return "{\"name\":\"" + name + "\",\"type\":" + type + ",\"nullable\":true,\"metadata\":{}}";
    }

    /** {@code count} rows from {@code first} on, every column set, some null where nullable. */
    private static void write(Path file, MessageType schema, long first, int count) throws IOException {
        SimpleGroupFactory rows = new SimpleGroupFactory(schema);
        try (ParquetWriter<Group> writer = ExampleParquetWriter.builder(new LocalOutputFile(file))
                .withType(schema)
                .withCompressionCodec(CompressionCodecName.SNAPPY)
                .build()) {
            for (long id = first; id < first + count; id++) {
                Group row = rows.newGroup()
                        .append("id", id)
                        .append("s", "s" + id)
                        .append("i", (int) id * 3)
                        .append("sh", (int) (id % 300))
                        .append("b", (int) (id % 100))
                        .append("d", id / 4.0)
                        .append("f", id / 8.0f)
                        .append("flag", id % 2 == 0)
                        .append("bin", Binary.fromConstantByteArray(new byte[] {(byte) id}))
                        .append("day", (int)
                                LocalDate.of(2025, 11, 1).plusDays(id).toEpochDay())
                        .append("ts", int96(EPOCH_BASE.plusSeconds(id * 3600)))
                        .append("dec", id * 101)
                        .append("big", fixed13(BigInteger.valueOf(id).multiply(BigInteger.TEN.pow(20))));
                Group list = row.addGroup("arr");
                list.addGroup("list").append("element", (int) id);
                list.addGroup("list"); // a null element
                row.addGroup("m").addGroup("key_value").append("key", "k" + id).append("value", id);
                row.addGroup("st").append("x", (int) id).append("y", "y" + id);
                if (schema.containsField("added") && id % 3 != 0) {
                    row.append("added", "a" + id);
                }
                writer.write(row);
            }
        }
    }

    /** Parquet's INT96 timestamp: nanoseconds of the day, then the Julian day, little-endian. */
    private static Binary int96(Instant at) {
        long day = Math.floorDiv(at.getEpochSecond(), 86_400L);
        long nanos = (at.getEpochSecond() - day * 86_400L) * 1_000_000_000L + at.getNano();
        return Binary.fromConstantByteArray(ByteBuffer.allocate(12)
                .order(ByteOrder.LITTLE_ENDIAN)
                .putLong(nanos)
                .putInt((int) (day + 2_440_588L))
                .array());
    }

    private static Binary fixed13(BigInteger unscaled) {
        byte[] bytes = unscaled.toByteArray();
        byte[] fixed = new byte[13];
        System.arraycopy(bytes, 0, fixed, 13 - bytes.length, bytes.length);
        return Binary.fromConstantByteArray(fixed);
    }

    private static long micros(Instant at) {
        return at.getEpochSecond() * 1_000_000L + at.getNano() / 1_000;
    }

    /** Delta statistics of a file, as Kernel's writer computes them from its footer. */
    private static String statsOf(Path file, StructType schema) throws IOException {
        List<Column> columns = SchemaUtils.collectLeafColumns(schema, Set.of(), 32);
        return ParquetStatsReader.readDataFileStatistics(
                        new StorageFileIO(new LocalFileStorage())
                                .newInputFile(file.toUri().toString(), Files.size(file)),
                        schema,
                        columns)
                .serializeAsJson(schema);
    }

    /** The smallest ({@code sign} -1) or largest (1) of the inputs' statistics of a column. */
    private static JsonNode merged(Map<String, JsonNode> inputs, String kind, String column, int sign) {
        JsonNode best = null;
        for (JsonNode input : inputs.values()) {
            JsonNode value = input.at("/" + kind + "/" + column);
            if (value.isMissingNode()) {
                continue;
            }
            if (best == null || sign * compare(value, best) > 0) {
                best = value;
            }
        }
        return best;
    }

    private static int compare(JsonNode a, JsonNode b) {
        if (a.isNumber()) {
            return a.decimalValue().compareTo(b.decimalValue());
        }
        return a.asString().compareTo(b.asString());
    }

    /** Each leaf column's path, physical type and logical annotation, from the file's footer. */
    private static Map<String, String> leafTypes(Path file) throws IOException {
        Map<String, String> types = new TreeMap<>();
        try (ParquetFileReader reader = ParquetFileReader.open(new LocalInputFile(file))) {
            for (var column : reader.getFooter().getFileMetaData().getSchema().getColumns()) {
                PrimitiveType type = column.getPrimitiveType();
                LogicalTypeAnnotation logical = type.getLogicalTypeAnnotation();
                // INT32 and INT64 may carry a signed 32 or 64 bit annotation, which says nothing more
                boolean redundant = logical instanceof LogicalTypeAnnotation.IntLogicalTypeAnnotation i
                        && i.isSigned()
                        && i.getBitWidth() >= 32;
                String annotation = logical == null || redundant
                        ? ""
                        : " " + logical.toString().replace(" ", "");
                types.put(String.join(".", column.getPath()), type.getPrimitiveTypeName() + annotation);
            }
        }
        return types;
    }
}
