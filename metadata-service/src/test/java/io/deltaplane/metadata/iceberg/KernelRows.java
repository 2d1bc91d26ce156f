package io.deltaplane.metadata.iceberg;

import io.delta.kernel.Snapshot;
import io.delta.kernel.TableManager;
import io.delta.kernel.engine.Engine;
import io.delta.kernel.types.ArrayType;
import io.delta.kernel.types.DataType;
import io.delta.kernel.types.MapType;
import io.delta.kernel.types.StructField;
import io.delta.kernel.types.StructType;
import io.deltaplane.testing.DeltaScan;
import java.util.ArrayList;
import java.util.List;

/**
 * A version of a table as Delta Kernel reads it from the published {@code _delta_log} ({@link
 * DeltaScan}: files, Parquet, partition values, deletion vectors): its top-level column names and
 * every row, each value rendered ({@link RenderedValues}) and, for primitive columns, as the value
 * an Iceberg expression takes.
 */
final class KernelRows {

    /** A row: its rendered values in the schema's order; the values of its primitive columns (null elsewhere). */
    record Row(List<String> cells, Object[] values) {
        String joined() {
            return String.join(" | ", cells);
        }
    }

    /** A version: its columns, which of them are primitive, and its rows. */
    record Version(long version, List<String> names, List<Boolean> primitive, List<Row> rows) {
        List<String> joined() {
            List<String> joined = new ArrayList<>();
            rows.forEach(row -> joined.add(row.joined()));
            joined.sort(null);
            return joined;
        }
    }

    private KernelRows() {}

    static Version read(String location, long version, Engine engine) {
        Snapshot snapshot =
                TableManager.loadSnapshot(location).atVersion(version).build(engine);
        StructType schema = snapshot.getSchema();
        List<String> names = new ArrayList<>();
        List<DataType> types = new ArrayList<>();
        List<Boolean> primitive = new ArrayList<>();
        for (StructField field : schema.fields()) {
            names.add(field.getName());
            DataType type = field.getDataType();
            types.add(type);
            primitive.add(!(type instanceof StructType || type instanceof ArrayType || type instanceof MapType));
        }
        List<Row> rows = new ArrayList<>();
        DeltaScan.forEachRow(snapshot, engine, row -> {
            List<String> cells = new ArrayList<>();
            Object[] values = new Object[names.size()];
            for (int c = 0; c < names.size(); c++) {
                var vector = row.column(names.get(c));
                cells.add(RenderedValues.kernel(vector, types.get(c), row.index()));
                if (primitive.get(c)) {
                    values[c] = RenderedValues.kernelValue(vector, row.index());
                }
            }
            rows.add(new Row(cells, values));
        });
        return new Version(version, List.copyOf(names), List.copyOf(primitive), rows);
    }
}
