package io.deltaplane.metadata.iceberg;

import io.delta.kernel.Snapshot;
import io.delta.kernel.TableManager;
import io.delta.kernel.data.ColumnVector;
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
 * DeltaScan}: files, Parquet, partition values, deletion vectors): its top-level column names, every
 * row with each value rendered ({@link RenderedValues}), and the columns a scan can filter on — each
 * primitive top-level column and each primitive field of a top-level struct ({@code s.f}) — with
 * every row's value as an Iceberg expression takes it.
 */
final class KernelRows {

    /** A row: its rendered values in the schema's order. */
    record Row(List<String> cells) {
        String joined() {
            return String.join(" | ", cells);
        }
    }

    /** A column to filter on, by its Iceberg name, and its value in each row (in the rows' order). */
    record FilterColumn(String name, List<Object> values) {}

    /** A version: its columns, its rows and the columns to filter on. */
    record Version(long version, List<String> names, List<Row> rows, List<FilterColumn> filterColumns) {
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
        List<FilterColumn> filterColumns = new ArrayList<>();
        // where each filter column is: its top-level column, and its field there (-1: the column itself)
        List<int[]> at = new ArrayList<>();
        for (int c = 0; c < schema.length(); c++) {
            StructField field = schema.at(c);
            names.add(field.getName());
            DataType type = field.getDataType();
            types.add(type);
            if (type instanceof StructType struct) {
                for (int f = 0; f < struct.length(); f++) {
                    if (primitive(struct.at(f).getDataType())) {
                        filterColumns.add(new FilterColumn(
                                field.getName() + "." + struct.at(f).getName(), new ArrayList<>()));
                        at.add(new int[] {c, f});
                    }
                }
            } else if (primitive(type)) {
                filterColumns.add(new FilterColumn(field.getName(), new ArrayList<>()));
                at.add(new int[] {c, -1});
            }
        }
        List<Row> rows = new ArrayList<>();
        DeltaScan.forEachRow(snapshot, engine, row -> {
            List<String> cells = new ArrayList<>();
            List<ColumnVector> vectors = new ArrayList<>();
            for (int c = 0; c < names.size(); c++) {
                ColumnVector vector = row.column(names.get(c));
                vectors.add(vector);
                cells.add(RenderedValues.kernel(vector, types.get(c), row.index()));
            }
            for (int k = 0; k < filterColumns.size(); k++) {
                ColumnVector vector = vectors.get(at.get(k)[0]);
                int field = at.get(k)[1];
                Object value;
                if (field < 0) {
                    value = RenderedValues.kernelValue(vector, row.index());
                } else {
                    value = vector.isNullAt(row.index())
                            ? null
                            : RenderedValues.kernelValue(vector.getChild(field), row.index());
                }
                filterColumns.get(k).values().add(value);
            }
            rows.add(new Row(cells));
        });
        return new Version(version, List.copyOf(names), rows, filterColumns);
    }

    private static boolean primitive(DataType type) {
        return !(type instanceof StructType || type instanceof ArrayType || type instanceof MapType);
    }
}
