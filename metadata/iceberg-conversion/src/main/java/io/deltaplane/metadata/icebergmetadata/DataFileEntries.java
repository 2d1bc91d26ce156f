package io.deltaplane.metadata.icebergmetadata;

import io.deltaplane.metadata.delta.TablePaths;
import io.deltaplane.storage.Storage;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.ByteBuffer;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.iceberg.DataFile;
import org.apache.iceberg.DataFiles;
import org.apache.iceberg.FileFormat;
import org.apache.iceberg.Metrics;
import org.apache.iceberg.PartitionData;
import org.apache.iceberg.PartitionField;
import org.apache.iceberg.PartitionSpec;
import org.apache.iceberg.Schema;
import org.apache.iceberg.types.Conversions;
import org.apache.iceberg.types.Type;
import org.apache.iceberg.types.Types;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A Delta {@code add} action as an Iceberg data file entry: its absolute location, size, record
 * count, identity partition values (from {@code partitionValues}, keyed by the partition columns'
 * physical names) and column metrics converted from Delta's statistics into Iceberg's single-value
 * serialization. A bound is kept only where it is a true bound for Iceberg: Delta truncates strings
 * (so an upper bound is kept only for an untruncated value) and timestamps to milliseconds (so the
 * upper bound is raised to the millisecond's last microsecond); floating-point bounds are left out
 * (NaN orders differently). What cannot be converted is left out, never guessed.
 */
final class DataFileEntries {

    /** Delta's default prefix length for string statistics ({@code delta.dataSkippingStringPrefixLength}). */
    static final int STRING_PREFIX = 32;

    /**
     * Reads statistics with every number exact: a decimal's bound read through a {@code double}
     * would be a bound inside the data ({@code 9876543210987.654321} as {@code …987.654}).
     */
    private static final JsonMapper JSON = JsonMapper.builder()
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .enable(DeserializationFeature.USE_BIG_INTEGER_FOR_INTS)
            .build();

    private final String location;
    private final Storage storage;
    private final PartitionSpec spec;
    private final Schema schema;
    private final List<String> partitionKeys;
    private final Map<Integer, List<String>> statsKeys;
    private final org.apache.iceberg.io.FileIO io;
    private final FieldIdFooters footers;
    private final Set<String> columnNames;
    /** Whether the schema holds nested ids no writer put in a file: each added file's field ids are checked. */
    private final boolean readsNestedIds;

    /**
     * @param partitionKeys the keys of {@code partitionValues} for the spec's fields, in its order
     * @param statsKeys where each column is in Delta's statistics ({@link IcebergSchemas.Converted})
     * @param io reads the footer of a data file whose add carries no {@code numRecords}
     * @param footers checks the files a schema with invented nested ids reads by their footers; null: none
     * @param columnNames the names (logical and physical) the schema's top-level columns go by
     */
    DataFileEntries(
            String location,
            Storage storage,
            PartitionSpec spec,
            Schema schema,
            List<String> partitionKeys,
            Map<Integer, List<String>> statsKeys,
            org.apache.iceberg.io.FileIO io,
            FieldIdFooters footers,
            Set<String> columnNames) {
        this.footers = footers;
        this.columnNames = Set.copyOf(columnNames);
        this.io = io;
        this.location = location;
        this.storage = storage;
        this.spec = spec;
        this.schema = schema;
        this.partitionKeys = partitionKeys;
        this.statsKeys = statsKeys;
        this.readsNestedIds = schema.highestFieldId() >= IcebergSchemas.RESERVED_IDS;
    }

    /** The absolute location Iceberg names a Delta path by (an add's or a remove's). */
    String fileLocation(String deltaPath) {
        return TablePaths.objectPath(location, storage, deltaPath)
                .orElseThrow(
                        () -> new IcebergUnsupported("a data file outside the table's location (" + deltaPath + ")"));
    }

    /**
     * The add action (its JSON object, without the {@code add} wrapper) as a data file; its deletion
     * vector, if any, is a delete file of its own ({@link DeletionVectorBlobs}). Where the schema
     * gives list elements or map keys and values ids no writer put in a file (column mapping without
     * {@code delta.columnMapping.nested.ids}: {@link IcebergSchemas#RESERVED_IDS} on), the file's
     * footer is read ({@link FieldIdFooters}): a file with Parquet field ids is read by Iceberg by its
     * ids alone, so one where a field the schema reads carries none cannot be read right — the table
     * is refused by name rather than handed to readers that throw on it or read nulls.
     */
    DataFile dataFile(JsonNode add) {
        return entry(add, readsNestedIds);
    }

    /** A removed file's entry (its add as it was taken in: its footer is not read again). */
    DataFile removedFile(JsonNode add) {
        return entry(add, false);
    }

    private DataFile entry(JsonNode add, boolean checkFieldIds) {
        String path = add.path("path").asString();
        JsonNode stats = stats(add);
        String location = fileLocation(path);
        long size = add.path("size").asLong();
        ParquetFooters.Footer footer = checkFieldIds && footers != null
                ? footers.check(io, path, location, size, schema, columnNames).orElse(null)
                : null;
        Metrics metrics;
        if (stats.path("numRecords").canConvertToLong()) {
            metrics = metrics(stats);
        } else {
            long records =
                    footer != null ? footer.recordCount() : ParquetFooters.recordCount(io.newInputFile(location, size));
            metrics = new Metrics(records);
        }
        DataFiles.Builder builder = DataFiles.builder(spec)
                .withPath(location)
                .withFormat(FileFormat.PARQUET)
                .withFileSizeInBytes(size)
                .withMetrics(metrics);
        if (spec.isPartitioned()) {
            builder.withPartition(partition(add.path("partitionValues")));
        }
        return builder.build();
    }

    private static JsonNode stats(JsonNode add) {
        JsonNode stats = add.path("stats");
        if (stats.isString()) {
            try {
                return JSON.readTree(stats.asString());
            } catch (RuntimeException e) {
                return JSON.createObjectNode();
            }
        }
        return stats.isObject() ? stats : JSON.createObjectNode();
    }

    /**
     * These entries under another spec, whose fields are keyed by {@code keys} in a file's {@code
     * partitionValues}: a file is removed under the spec it was added with, or Iceberg never finds it.
     */
    DataFileEntries withSpec(PartitionSpec other, List<String> keys) {
        return new DataFileEntries(location, storage, other, schema, keys, statsKeys, io, footers, columnNames);
    }

    /** The spec this table's entries are written with. */
    PartitionSpec spec() {
        return spec;
    }

    /** An add's partition (its {@code partitionValues}), or null for an unpartitioned table. */
    PartitionData partitionOf(JsonNode add) {
        return spec.isPartitioned() ? partition(add.path("partitionValues")) : null;
    }

    private PartitionData partition(JsonNode values) {
        PartitionData data = new PartitionData(spec.partitionType());
        List<PartitionField> fields = spec.fields();
        for (int i = 0; i < fields.size(); i++) {
            JsonNode value = values.path(partitionKeys.get(i));
            Type type = schema.findType(fields.get(i).sourceId());
            data.set(i, value.isNull() || value.isMissingNode() ? null : PartitionValues.of(type, value.asString()));
        }
        return data;
    }

    private Metrics metrics(JsonNode stats) {
        long records = stats.path("numRecords").asLong();
        Map<Integer, Long> nullCounts = new HashMap<>();
        Map<Integer, Long> valueCounts = new HashMap<>();
        Map<Integer, ByteBuffer> lower = new HashMap<>();
        Map<Integer, ByteBuffer> upper = new HashMap<>();
        for (Map.Entry<Integer, List<String>> column : statsKeys.entrySet()) {
            int id = column.getKey();
            Type type = schema.findType(id);
            if (type == null) {
                continue;
            }
            JsonNode nulls = at(stats.path("nullCount"), column.getValue());
            if (nulls.canConvertToLong()) {
                nullCounts.put(id, nulls.asLong());
                valueCounts.put(id, records); // Delta counts every row of a top-level or struct column
            }
            bound(type, at(stats.path("minValues"), column.getValue()), false).ifPresent(b -> lower.put(id, b));
            bound(type, at(stats.path("maxValues"), column.getValue()), true).ifPresent(b -> upper.put(id, b));
        }
        return new Metrics(records, null, valueCounts, nullCounts, null, lower, upper);
    }

    private static JsonNode at(JsonNode node, List<String> keys) {
        for (String key : keys) {
            node = node.path(key);
        }
        return node;
    }

    /** A Delta min or max as an Iceberg bound, where it is one. */
    static java.util.Optional<ByteBuffer> bound(Type type, JsonNode value, boolean upper) {
        if (value.isMissingNode() || value.isNull() || value.isContainer()) {
            return java.util.Optional.empty();
        }
        Object converted;
        try {
            converted = switch (type.typeId()) {
                case INTEGER -> value.canConvertToInt() ? value.asInt() : null;
                case LONG -> value.canConvertToLong() ? value.asLong() : null;
                case BOOLEAN -> value.isBoolean() ? value.asBoolean() : null;
                case DATE -> (int) LocalDate.parse(value.asString()).toEpochDay();
                case DECIMAL -> decimal((Types.DecimalType) type, value);
                case STRING -> string(value.asString(), upper);
                case TIMESTAMP -> timestamp(value.asString(), upper);
                default -> null; // floats (NaN), binary, ...: no bound rather than a wrong one
            };
        } catch (IllegalArgumentException | DateTimeParseException | ArithmeticException e) {
            converted = null;
        }
        return converted == null
                ? java.util.Optional.empty()
                : java.util.Optional.of(Conversions.toByteBuffer(type, converted));
    }

    private static BigDecimal decimal(Types.DecimalType type, JsonNode value) {
        BigDecimal exact = value.isNumber() ? value.decimalValue() : new BigDecimal(value.asString());
        BigDecimal scaled = exact.setScale(type.scale(), RoundingMode.UNNECESSARY);
        return scaled.precision() <= type.precision() ? scaled : null;
    }

    /** A prefix is a lower bound; an upper bound only when Delta kept the whole value. */
    private static String string(String value, boolean upper) {
        if (upper && value.codePointCount(0, value.length()) >= STRING_PREFIX) {
            return null;
        }
        return value;
    }

    /**
     * Delta writes milliseconds (some writers microseconds): the lower bound is the millisecond the
     * value falls in, the upper bound that millisecond's last microsecond.
     */
    private static Long timestamp(String value, boolean upper) {
        long millis = Math.floorDiv(PartitionValues.timestampMicros(value), 1000L);
        return upper ? millis * 1000 + 999 : millis * 1000;
    }
}
