package io.deltaplane.engines.iceberg;

import static org.assertj.core.api.Assertions.assertThat;

import io.delta.kernel.types.BooleanType;
import io.delta.kernel.types.DataType;
import io.delta.kernel.types.DateType;
import io.delta.kernel.types.DecimalType;
import io.delta.kernel.types.DoubleType;
import io.delta.kernel.types.IntegerType;
import io.delta.kernel.types.LongType;
import io.delta.kernel.types.StringType;
import io.delta.kernel.types.StructField;
import io.delta.kernel.types.StructType;
import io.delta.kernel.types.TimestampType;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.node.ObjectNode;

/**
 * Spark with Iceberg's runtime reads what the platform converts, and gets what Delta Kernel gets:
 * every version's rows and row count, a filter on every column at its minimum and maximum (the
 * bounds the conversion makes from Delta's statistics never prune a file holding the row), the
 * {@code snapshots}, {@code files} and {@code partitions} metadata tables, and an incremental read
 * across an OPTIMIZE.
 */
class SparkIcebergReadsTest extends EngineTestBase {

    /** Every type the filters cover; {@code region} is the partition column. */
    private static final String RICH_SCHEMA = "{\"type\":\"struct\",\"fields\":["
            + "{\"name\":\"id\",\"type\":\"long\",\"nullable\":false,\"metadata\":{}},"
            + "{\"name\":\"n\",\"type\":\"integer\",\"nullable\":true,\"metadata\":{}},"
            + "{\"name\":\"s\",\"type\":\"string\",\"nullable\":true,\"metadata\":{}},"
            + "{\"name\":\"small\",\"type\":\"decimal(10,2)\",\"nullable\":true,\"metadata\":{}},"
            + "{\"name\":\"big\",\"type\":\"decimal(38,18)\",\"nullable\":true,\"metadata\":{}},"
            + "{\"name\":\"d\",\"type\":\"date\",\"nullable\":true,\"metadata\":{}},"
            + "{\"name\":\"ts\",\"type\":\"timestamp\",\"nullable\":true,\"metadata\":{}},"
            + "{\"name\":\"flag\",\"type\":\"boolean\",\"nullable\":true,\"metadata\":{}},"
            + "{\"name\":\"x\",\"type\":\"double\",\"nullable\":true,\"metadata\":{}},"
            + "{\"name\":\"region\",\"type\":\"string\",\"nullable\":true,\"metadata\":{}}]}";

    /** The columns in the rich table's files: its schema without the partition column. */
    private static final StructType RICH_FILE = new StructType()
            .add("id", LongType.LONG, false)
            .add("n", IntegerType.INTEGER, true)
            .add("s", StringType.STRING, true)
            .add("small", new DecimalType(10, 2), true)
            .add("big", new DecimalType(38, 18), true)
            .add("d", DateType.DATE, true)
            .add("ts", TimestampType.TIMESTAMP, true)
            .add("flag", BooleanType.BOOLEAN, true)
            .add("x", DoubleType.DOUBLE, true);

    /** Longer than the 32 characters Delta writers keep of a string's statistics. */
    private static final String LONG_STRING = "zzzz-a-string-longer-than-thirty-two-characters";

    private static Object[] rich(
            long id, Integer n, String s, String small, String big, String d, String ts, Boolean flag, Double x) {
        return new Object[] {
            id,
            n,
            s,
            small == null ? null : new BigDecimal(small).setScale(2),
            big == null ? null : new BigDecimal(big).setScale(18),
            d == null ? null : (int) LocalDate.parse(d).toEpochDay(),
            ts == null ? null : micros(Instant.parse(ts)),
            flag,
            x
        };
    }

    private static long micros(Instant instant) {
        return instant.getEpochSecond() * 1_000_000L + instant.getNano() / 1_000;
    }

    private ObjectNode richFile(String location, String region, Object[]... rows) {
        return KernelSide.write(
                location,
                region == null ? "region=__HIVE_DEFAULT_PARTITION__" : "region=" + region,
                RICH_FILE,
                Arrays.asList(rows),
                region == null ? nullRegion() : Map.of("region", region));
    }

    private static Map<String, String> nullRegion() {
        Map<String, String> values = new HashMap<>();
        values.put("region", null);
        return values;
    }

    @Test
    void everyTypeReadsAsKernelAndTheBoundsNeverPruneAFileHoldingTheRow() throws Exception {
        String name = "rich";
        platform.createTable(deltaName(name), RICH_SCHEMA, List.of("region"), Map.of());
        String location = location(name);
        ObjectNode first = richFile(
                location,
                "a",
                rich(
                        1,
                        10,
                        "apple",
                        "1.50",
                        "1.000000000000000001",
                        "2026-11-01",
                        "2026-11-01T10:15:30.123456Z",
                        true,
                        1.5),
                rich(2, null, "banana", "-3.25", null, "2026-11-02", "2026-11-02T00:00:00Z", false, Double.NaN),
                rich(3, 30, null, null, "123.456", null, null, null, null));
        ObjectNode second = richFile(
                location,
                "a",
                rich(4, 40, "cherry", "7.00", "42", "2026-11-03", "2026-11-03T23:59:59.999999Z", true, 2.25),
                rich(5, 50, "date", "8.00", "43", "2026-11-04", "2026-11-04T12:00:00.000001Z", false, -1.0));
        ObjectNode third = richFile(
                location,
                "b",
                rich(6, -7, "elderberry", "9.99", "-5.5", "1969-12-31", "1969-12-31T23:59:59.999999Z", true, 0.5),
                rich(7, 70, "fig", "12.34", "6.25", "2026-12-01", "2026-12-01T08:30:00.5Z", false, 100.0));
        // the extremes of every type, in a file of their own
        ObjectNode extremes = richFile(
                location,
                "b",
                rich(
                        Long.MAX_VALUE,
                        Integer.MAX_VALUE,
                        LONG_STRING,
                        "99999999.99",
                        "9876543210987.654321",
                        "2999-12-31",
                        "2099-12-31T23:59:59.999999Z",
                        true,
                        Double.MAX_VALUE),
                rich(
                        Long.MIN_VALUE,
                        Integer.MIN_VALUE,
                        "",
                        "-99999999.99",
                        "-9876543210987.654321",
                        "1900-01-01",
                        "1900-01-01T00:00:00.000001Z",
                        false,
                        -Double.MAX_VALUE));
        long v = commit(name, 0, List.of(first));
        v = commit(name, v, List.of(second));
        v = commit(name, v, List.of(third));
        v = commit(
                name, v, List.of(Deltaplane.remove(second.get("add").get("path").asString())));
        long beforeOptimize = commit(name, v, List.of(extremes));
        // the platform compacts region b (two files) and writes the statistics of the new file itself
        long optimized = optimize(name);
        // a string past the long one's 32 kept characters, a null partition, a row of nulls
        ObjectNode later = richFile(
                location,
                "a",
                rich(
                        11,
                        11,
                        LONG_STRING + "-and-then-some",
                        "0.01",
                        "0.000000000000000001",
                        "2026-11-05",
                        "2026-11-05T00:00:00.001Z",
                        true,
                        3.0),
                rich(12, null, null, null, null, null, null, null, null));
        ObjectNode nullPartition = richFile(
                location,
                null,
                rich(13, 13, "in-no-region", "13.00", "13", "2026-11-13", "2026-11-13T13:13:13.131313Z", false, 13.0));
        long latest = commit(name, optimized, List.of(later, nullPartition));

        assertEveryVersionReadsAsKernel(name, latest);
        assertMetadataTablesAsKernel(name, latest);
        // the filters below are decided by bounds: every live file has them for the columns that
        // are never null (and Iceberg prunes a file by them before Spark sees a row)
        for (Row file : spark.sql("SELECT file_path, readable_metrics.id.lower_bound, readable_metrics.id.upper_bound,"
                        + " readable_metrics.d.lower_bound FROM " + sparkName(name) + ".files")
                .collectAsList()) {
            assertThat(file.isNullAt(1) || file.isNullAt(2))
                    .as("bounds of id in %s", file.getString(0))
                    .isFalse();
        }
        Map<Long, Long> snapshots = spark.snapshotsByVersion(sparkName(name));
        // Delta's statistics as Kernel wrote them, and the platform's own for the file OPTIMIZE wrote
        assertEveryColumnFiltersAsKernel(name, beforeOptimize, snapshots.get(beforeOptimize));
        assertEveryColumnFiltersAsKernel(name, latest, snapshots.get(latest));
    }

    /**
     * Check 3: for each column, {@code WHERE c = <min>} and {@code WHERE c = <max>} at the version's
     * snapshot return exactly Kernel's rows holding that value (NaN is no double's minimum or
     * maximum: it equals nothing).
     */
    private void assertEveryColumnFiltersAsKernel(String name, long version, long snapshotId) {
        KernelSide.Version kernel = KernelSide.read(location(name), version);
        Map<String, List<String>> sparkRows = new TreeMap<>();
        Map<String, List<String>> kernelRows = new TreeMap<>();
        for (StructField field : kernel.schema().fields()) {
            String column = field.getName();
            List<Object> values = new ArrayList<>();
            for (KernelSide.KernelRow row : kernel.rows()) {
                Object value = row.values().get(column);
                if (value != null && !(value instanceof Double d && d.isNaN())) {
                    values.add(value);
                }
            }
            assertThat(values).as("values of %s at version %d", column, version).isNotEmpty();
            @SuppressWarnings({"unchecked", "rawtypes"})
            Object min =
                    values.stream().min((a, b) -> ((Comparable) a).compareTo(b)).orElseThrow();
            @SuppressWarnings({"unchecked", "rawtypes"})
            Object max =
                    values.stream().max((a, b) -> ((Comparable) a).compareTo(b)).orElseThrow();
            for (Object bound : List.of(min, max)) {
                String predicate = column + " = " + literal(field.getDataType(), bound);
                Dataset<Row> filtered = spark.sql(
                        "SELECT * FROM " + sparkName(name) + " VERSION AS OF " + snapshotId + " WHERE " + predicate);
                sparkRows.put(predicate, SparkIceberg.rendered(filtered));
                kernelRows.put(
                        predicate,
                        kernel.rows().stream()
                                .filter(row -> bound.equals(row.values().get(column)))
                                .map(KernelSide.KernelRow::toString)
                                .sorted()
                                .toList());
            }
        }
        assertThat(sparkRows)
                .as("each column's minimum and maximum as a filter, at version %d of %s", version, name)
                .isEqualTo(kernelRows);
    }

    /** A Spark SQL literal of {@code type} for a value as {@link KernelSide} reads it. */
    private static String literal(DataType type, Object value) {
        if (type instanceof StringType) {
            assertThat((String) value).doesNotContain("'", "\\");
            return "'" + value + "'";
        } else if (type instanceof LongType) {
            return "CAST('" + value + "' AS BIGINT)";
        } else if (type instanceof IntegerType) {
            return "CAST('" + value + "' AS INT)";
        } else if (type instanceof DecimalType decimal) {
            return "CAST('" + ((BigDecimal) value).toPlainString() + "' AS DECIMAL(" + decimal.getPrecision() + ","
                    + decimal.getScale() + "))";
        } else if (type instanceof DateType) {
            return "DATE '" + value + "'";
        } else if (type instanceof TimestampType) {
            return "timestamp_micros(" + value + ")";
        } else if (type instanceof BooleanType) {
            return value.toString();
        } else if (type instanceof DoubleType) {
            return "CAST('" + value + "' AS DOUBLE)";
        }
        throw new IllegalArgumentException("no literal for " + type);
    }

    /** The events table: id, day (its partition column), amount. */
    static final String EVENTS_SCHEMA = "{\"type\":\"struct\",\"fields\":["
            + "{\"name\":\"id\",\"type\":\"long\",\"nullable\":false,\"metadata\":{}},"
            + "{\"name\":\"day\",\"type\":\"string\",\"nullable\":true,\"metadata\":{}},"
            + "{\"name\":\"amount\",\"type\":\"decimal(10,2)\",\"nullable\":true,\"metadata\":{}}]}";

    static final StructType EVENTS_FILE =
            new StructType().add("id", LongType.LONG, false).add("amount", new DecimalType(10, 2), true);

    /** {@code count} rows from {@code firstId} as one file in the day's partition; its add action. */
    static ObjectNode eventsFile(String location, String day, long firstId, int count) {
        List<Object[]> rows = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            long id = firstId + i;
            rows.add(new Object[] {id, i % 4 == 3 ? null : BigDecimal.valueOf(id * 7 % 10_000, 2)});
        }
        return KernelSide.write(location, "day=" + day, EVENTS_FILE, rows, Map.of("day", day));
    }

    @Test
    void anIncrementalReadAcrossAnOptimizeReturnsExactlyTheAppendedRows() throws Exception {
        String name = "events";
        platform.createTable(deltaName(name), EVENTS_SCHEMA, List.of("day"), Map.of());
        String location = location(name);
        long v1 = commit(name, 0, List.of(eventsFile(location, "2026-11-01", 0, 5)));
        long v2 = commit(name, v1, List.of(eventsFile(location, "2026-11-01", 10, 5)));
        long v3 = commit(name, v2, List.of(eventsFile(location, "2026-11-02", 20, 5)));
        long v4 = optimize(name);
        long v5 = commit(name, v4, List.of(eventsFile(location, "2026-11-01", 30, 5)));
        long v6 = commit(name, v5, List.of(eventsFile(location, "2026-11-02", 40, 5)));
        assertThat(List.of(v1, v2, v3, v4, v5, v6)).containsExactly(1L, 2L, 3L, 4L, 5L, 6L);

        assertEveryVersionReadsAsKernel(name, v6);
        assertMetadataTablesAsKernel(name, v6);

        Map<Long, String> operations = new TreeMap<>();
        spark.snapshots(sparkName(name)).forEach(s -> operations.put((Long) s[0], (String) s[2]));
        assertThat(operations)
                .as("each version's snapshot operation: OPTIMIZE (version 4) a replace")
                .containsEntry(v4, "replace")
                .containsEntry(v1, "append")
                .containsEntry(v5, "append");
        Map<Long, Long> snapshots = spark.snapshotsByVersion(sparkName(name));

        // (start, end]: Iceberg's incremental append scan, which passes over the replace snapshot
        for (long[] range : List.of(new long[] {v1, v6}, new long[] {v3, v5}, new long[] {v2, v4})) {
            Dataset<Row> appended = spark.read()
                    .format("iceberg")
                    .option("start-snapshot-id", snapshots.get(range[0]))
                    .option("end-snapshot-id", snapshots.get(range[1]))
                    .load(sparkName(name));
            List<String> expected =
                    new ArrayList<>(KernelSide.read(location, range[1]).rendered());
            for (String before : KernelSide.read(location, range[0]).rendered()) {
                assertThat(expected.remove(before))
                        .as("a row at version %d is still there at %d", range[0], range[1])
                        .isTrue();
            }
            assertThat(SparkIceberg.rendered(appended))
                    .as("the rows appended after version %d up to version %d", range[0], range[1])
                    .isEqualTo(expected)
                    .hasSize(5 * (int) (range[1] - range[0] - (range[0] < v4 && v4 <= range[1] ? 1 : 0)));
        }
    }
}
