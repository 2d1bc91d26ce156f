package io.deltaplane.metadata.maintenance;

import io.delta.kernel.Snapshot;
import io.delta.kernel.TableManager;
import io.delta.kernel.data.ArrayValue;
import io.delta.kernel.data.ColumnVector;
import io.delta.kernel.data.ColumnarBatch;
import io.delta.kernel.data.FilteredColumnarBatch;
import io.delta.kernel.data.MapValue;
import io.delta.kernel.defaults.internal.data.DefaultColumnarBatch;
import io.delta.kernel.defaults.internal.data.vector.DefaultGenericVector;
import io.delta.kernel.engine.Engine;
import io.delta.kernel.expressions.Column;
import io.delta.kernel.internal.util.Utils;
import io.delta.kernel.types.ArrayType;
import io.delta.kernel.types.BinaryType;
import io.delta.kernel.types.BooleanType;
import io.delta.kernel.types.ByteType;
import io.delta.kernel.types.DataType;
import io.delta.kernel.types.DateType;
import io.delta.kernel.types.DecimalType;
import io.delta.kernel.types.DoubleType;
import io.delta.kernel.types.FloatType;
import io.delta.kernel.types.IntegerType;
import io.delta.kernel.types.LongType;
import io.delta.kernel.types.MapType;
import io.delta.kernel.types.ShortType;
import io.delta.kernel.types.StringType;
import io.delta.kernel.types.StructType;
import io.delta.kernel.types.TimestampNTZType;
import io.delta.kernel.types.TimestampType;
import io.delta.kernel.utils.CloseableIterator;
import io.delta.kernel.utils.DataFileStatus;
import io.deltaplane.testing.DeltaScan;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.StringJoiner;
import java.util.function.Function;

/**
 * Rows of the tests' tables (id long, day string partition, amount decimal(10,2)): written as real
 * Parquet files with Kernel's writer, and read back as Delta Kernel reads a table — log, files,
 * Parquet, partition values — as {@code "id|day|amount"} strings, sorted.
 */
public final class TableRows {

    /** The columns in the files: the table's schema without its partition column {@code day}. */
    public static final StructType DATA =
            new StructType().add("id", LongType.LONG, false).add("amount", new DecimalType(10, 2), true);

    private TableRows() {}

    /** Writes rows {@code firstId … firstId+count-1} as one Parquet file in {@code directory}. */
    public static DataFileStatus write(Engine engine, String directory, long firstId, int count) {
        return write(engine, directory, firstId, count, "id", "amount");
    }

    /**
     * As {@link #write(Engine, String, long, int)}, the two columns named {@code idColumn} and {@code
     * amountColumn} in the file (a column-mapped table's physical names), its statistics keyed so.
     */
    public static DataFileStatus write(
            Engine engine, String directory, long firstId, int count, String idColumn, String amountColumn) {
        StructType schema =
                new StructType().add(idColumn, LongType.LONG, false).add(amountColumn, new DecimalType(10, 2), true);
        Object[] ids = new Object[count];
        Object[] amounts = new Object[count];
        for (int i = 0; i < count; i++) {
            ids[i] = firstId + i;
            amounts[i] = i % 7 == 0 ? null : BigDecimal.valueOf((firstId + i) * 7 % 10_000, 2);
        }
        ColumnarBatch batch = new DefaultColumnarBatch(count, schema, new io.delta.kernel.data.ColumnVector[] {
            DefaultGenericVector.fromArray(LongType.LONG, ids),
            DefaultGenericVector.fromArray(new DecimalType(10, 2), amounts)
        });
        try (CloseableIterator<DataFileStatus> written = engine.getParquetHandler()
                .writeParquetFiles(
                        directory,
                        Utils.singletonCloseableIterator(new FilteredColumnarBatch(batch, Optional.empty())),
                        List.of(new Column(idColumn), new Column(amountColumn)))) {
            DataFileStatus file = written.next();
            if (written.hasNext()) {
                throw new IllegalStateException("one batch, one file");
            }
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Every row of the table at {@code version}, as a reader gets it, sorted. */
    public static List<String> read(String location, long version, Engine engine) {
        return read(location, version, engine, TableRows::idDayAmount);
    }

    /**
     * Every row of any table at {@code version}, every column rendered ({@link #render}) in the
     * order of the table's schema, sorted.
     */
    public static List<String> readEveryColumn(String location, long version, Engine engine) {
        return read(location, version, engine, TableRows::everyColumn);
    }

    /** Every row of {@code snapshot} (loaded by path or through a catalog), rendered as {@link #readEveryColumn}. */
    public static List<String> readEveryColumn(Snapshot snapshot, Engine engine) {
        return read(snapshot, engine, TableRows::everyColumn);
    }

    private static List<String> read(
            String location, long version, Engine engine, Function<DeltaScan.TableRow, String> render) {
        return read(TableManager.loadSnapshot(location).atVersion(version).build(engine), engine, render);
    }

    private static List<String> read(Snapshot snapshot, Engine engine, Function<DeltaScan.TableRow, String> render) {
        List<String> rows = new ArrayList<>();
        DeltaScan.forEachRow(snapshot, engine, row -> rows.add(render.apply(row)));
        rows.sort(null);
        return rows;
    }

    private static String idDayAmount(DeltaScan.TableRow row) {
        int i = row.index();
        ColumnVector day = row.column("day");
        ColumnVector amount = row.column("amount");
        return String.format(
                "%08d|%s|%s",
                row.column("id").getLong(i),
                day.isNullAt(i) ? null : day.getString(i),
                amount.isNullAt(i) ? null : amount.getDecimal(i).toPlainString());
    }

    private static String everyColumn(DeltaScan.TableRow row) {
        ColumnarBatch columns = row.batch();
        StringJoiner joined = new StringJoiner("|");
        for (int c = 0; c < columns.getSchema().length(); c++) {
            joined.add(render(columns.getColumnVector(c), row.index()));
        }
        return joined.toString();
    }

    /** A value as text: nested values in brackets, binary in hex, timestamps in microseconds. */
    static String render(ColumnVector vector, int i) {
        if (vector.isNullAt(i)) {
            return "null";
        }
        DataType type = vector.getDataType();
        if (type instanceof StructType struct) {
            StringJoiner fields = new StringJoiner(",", "{", "}");
            for (int f = 0; f < struct.length(); f++) {
                fields.add(struct.at(f).getName() + "=" + render(vector.getChild(f), i));
            }
            return fields.toString();
        } else if (type instanceof ArrayType) {
            ArrayValue array = vector.getArray(i);
            StringJoiner elements = new StringJoiner(",", "[", "]");
            for (int e = 0; e < array.getSize(); e++) {
                elements.add(render(array.getElements(), e));
            }
            return elements.toString();
        } else if (type instanceof MapType) {
            MapValue map = vector.getMap(i);
            StringJoiner entries = new StringJoiner(",", "{", "}");
            for (int e = 0; e < map.getSize(); e++) {
                entries.add(render(map.getKeys(), e) + ":" + render(map.getValues(), e));
            }
            return entries.toString();
        } else if (type instanceof StringType) {
            return vector.getString(i);
        } else if (type instanceof LongType || type instanceof TimestampType || type instanceof TimestampNTZType) {
            return Long.toString(vector.getLong(i));
        } else if (type instanceof IntegerType || type instanceof DateType) {
            return Integer.toString(vector.getInt(i));
        } else if (type instanceof ShortType) {
            return Short.toString(vector.getShort(i));
        } else if (type instanceof ByteType) {
            return Byte.toString(vector.getByte(i));
        } else if (type instanceof DoubleType) {
            return Double.toString(vector.getDouble(i));
        } else if (type instanceof FloatType) {
            return Float.toString(vector.getFloat(i));
        } else if (type instanceof BooleanType) {
            return Boolean.toString(vector.getBoolean(i));
        } else if (type instanceof BinaryType) {
            return java.util.HexFormat.of().formatHex(vector.getBinary(i));
        } else if (type instanceof DecimalType) {
            return vector.getDecimal(i).toPlainString();
        }
        throw new IllegalArgumentException("no rendering for " + type);
    }
}
