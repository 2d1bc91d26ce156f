package io.deltaplane.engines.iceberg;

import io.delta.kernel.Snapshot;
import io.delta.kernel.TableManager;
import io.delta.kernel.data.ColumnVector;
import io.delta.kernel.data.ColumnarBatch;
import io.delta.kernel.data.FilteredColumnarBatch;
import io.delta.kernel.data.Row;
import io.delta.kernel.defaults.engine.DefaultEngine;
import io.delta.kernel.defaults.internal.data.DefaultColumnarBatch;
import io.delta.kernel.defaults.internal.data.vector.DefaultGenericVector;
import io.delta.kernel.engine.Engine;
import io.delta.kernel.expressions.Column;
import io.delta.kernel.internal.util.Utils;
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
import io.delta.kernel.utils.CloseableIterator;
import io.delta.kernel.utils.DataFileStatus;
import io.deltaplane.testing.DeltaScan;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.IntStream;
import org.apache.hadoop.conf.Configuration;
import tools.jackson.databind.node.ObjectNode;

/**
 * The Delta side, with Delta Kernel only: it writes the Parquet files the platform commits (with
 * the statistics Kernel computes for them, as a Kernel writer commits them), and reads a table at a
 * version from the {@code _delta_log} the platform published, as any Delta engine reads it — the
 * reference every Spark answer is set against.
 */
final class KernelSide {

    /**
     * Kernel's own Hadoop-based engine on the local file system, not the platform's storage layer:
     * an independent reader (without Hadoop's {@code .crc} side files).
     */
    static final Engine ENGINE = hadoopLocal();

    private static Engine hadoopLocal() {
        Configuration conf = new Configuration();
        conf.set("fs.file.impl", "org.apache.hadoop.fs.RawLocalFileSystem");
        conf.setBoolean("fs.file.impl.disable.cache", true);
        return DefaultEngine.create(conf);
    }

    private KernelSide() {}

    /**
     * One row as Kernel reads it: each column of the version's schema by name, in the schema's order,
     * as a Java value ({@link Long}, {@link Integer}, {@link String}, {@link java.math.BigDecimal},
     * {@link LocalDate}, {@link Boolean}, {@link Double}, a timestamp as its microseconds since the
     * epoch as a {@link Long}) or null.
     */
    record KernelRow(Map<String, Object> values) {
        @Override
        public String toString() {
            return Rendering.row(values);
        }
    }

    /** A table at a version as Kernel reads it: its schema, partition columns, rows and live files. */
    record Version(long version, StructType schema, List<String> partitionColumns, List<KernelRow> rows) {

        /** The rows rendered ({@link Rendering#row}), sorted. */
        List<String> rendered() {
            return rows.stream().map(KernelRow::toString).sorted().toList();
        }

        /** Record counts by partition: the partition columns' values rendered, joined by {@code |}. */
        Map<String, Long> recordsByPartition() {
            Map<String, Long> counts = new TreeMap<>();
            for (KernelRow row : rows) {
                List<String> key = new ArrayList<>();
                for (String column : partitionColumns) {
                    key.add(column + "=" + Rendering.value(row.values().get(column)));
                }
                counts.merge(String.join("|", key), 1L, Long::sum);
            }
            return counts;
        }
    }

    /** The table at {@code location} at {@code version}. */
    static Version read(String location, long version) {
        Snapshot snapshot =
                TableManager.loadSnapshot(location).atVersion(version).build(ENGINE);
        List<KernelRow> rows = new ArrayList<>();
        DeltaScan.forEachRow(snapshot, ENGINE, row -> {
            ColumnarBatch batch = row.batch();
            Map<String, Object> values = new LinkedHashMap<>();
            for (int c = 0; c < batch.getSchema().length(); c++) {
                values.put(batch.getSchema().at(c).getName(), value(batch.getColumnVector(c), row.index()));
            }
            rows.add(new KernelRow(values));
        });
        return new Version(snapshot.getVersion(), snapshot.getSchema(), snapshot.getPartitionColumnNames(), rows);
    }

    /** The paths of the live files at {@code version}, relative to the table's root as in add actions. */
    static Set<String> livePaths(String location, long version) {
        Snapshot snapshot =
                TableManager.loadSnapshot(location).atVersion(version).build(ENGINE);
        String root = location.endsWith("/") ? location : location + "/";
        Set<String> paths = new HashSet<>();
        try (CloseableIterator<FilteredColumnarBatch> batches =
                snapshot.getScanBuilder().build().getScanFiles(ENGINE)) {
            while (batches.hasNext()) {
                try (CloseableIterator<Row> rows = batches.next().getRows()) {
                    while (rows.hasNext()) {
                        Row row = rows.next();
                        Row add = row.getStruct(row.getSchema().indexOf("add"));
                        String path = add.getString(add.getSchema().indexOf("path"));
                        paths.add(path.startsWith(root) ? path.substring(root.length()) : path);
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return paths;
    }

    private static Object value(ColumnVector vector, int i) {
        if (vector.isNullAt(i)) {
            return null;
        }
        DataType type = vector.getDataType();
        if (type instanceof StringType) {
            return vector.getString(i);
        } else if (type instanceof LongType || type instanceof TimestampType) {
            return vector.getLong(i);
        } else if (type instanceof IntegerType) {
            return vector.getInt(i);
        } else if (type instanceof DateType) {
            return LocalDate.ofEpochDay(vector.getInt(i));
        } else if (type instanceof BooleanType) {
            return vector.getBoolean(i);
        } else if (type instanceof DoubleType) {
            return vector.getDouble(i);
        } else if (type instanceof DecimalType) {
            return vector.getDecimal(i);
        }
        throw new IllegalArgumentException("no rendering for " + type);
    }

    /**
     * Writes {@code rows} (one array of values per row, in {@code fileSchema}'s order; dates as days
     * since the epoch, timestamps as microseconds) as one Parquet file under {@code location}/{@code
     * directory} with Kernel's writer, statistics on every column; answers its {@code add} action
     * with {@code partitionValues} and the statistics Kernel gathered.
     */
    static ObjectNode write(
            String location,
            String directory,
            StructType fileSchema,
            List<Object[]> rows,
            Map<String, String> partitionValues) {
        int count = rows.size();
        ColumnVector[] vectors = new ColumnVector[fileSchema.length()];
        for (int c = 0; c < vectors.length; c++) {
            int column = c;
            vectors[c] = DefaultGenericVector.fromArray(
                    fileSchema.at(c).getDataType(),
                    IntStream.range(0, count).mapToObj(r -> rows.get(r)[column]).toArray());
        }
        ColumnarBatch batch = new DefaultColumnarBatch(count, fileSchema, vectors);
        List<Column> statsColumns = fileSchema.fields().stream()
                .map(StructField::getName)
                .map(Column::new)
                .toList();
        String dir = directory.isEmpty() ? location : location + "/" + directory;
        try (CloseableIterator<DataFileStatus> written = ENGINE.getParquetHandler()
                .writeParquetFiles(
                        dir,
                        Utils.singletonCloseableIterator(new FilteredColumnarBatch(batch, Optional.empty())),
                        statsColumns)) {
            DataFileStatus file = written.next();
            String name = file.getPath().substring(file.getPath().lastIndexOf('/') + 1);
            ObjectNode add = Deltaplane.JSON.createObjectNode();
            ObjectNode body = add.putObject("add");
            body.put("path", directory.isEmpty() ? name : directory + "/" + name);
            ObjectNode values = body.putObject("partitionValues");
            partitionValues.forEach(values::put);
            body.put("size", file.getSize());
            body.put("modificationTime", file.getModificationTime());
            body.put("dataChange", true);
            body.put("stats", file.getStatistics().orElseThrow().serializeAsJson(fileSchema));
            return add;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
