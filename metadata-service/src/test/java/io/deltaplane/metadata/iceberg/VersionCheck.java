package io.deltaplane.metadata.iceberg;

import io.deltaplane.testing.IcebergReader;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.StringJoiner;
import java.util.function.Function;
import java.util.function.Predicate;
import org.apache.iceberg.Schema;
import org.apache.iceberg.Table;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.expressions.Expression;
import org.apache.iceberg.expressions.Expressions;
import org.apache.iceberg.types.Types;

/**
 * One Delta version read by both readers, compared: Iceberg's snapshot has Kernel's columns and
 * Kernel's rows ({@link IcebergReader#rows}); and for each primitive top-level column and each
 * primitive field of a top-level struct, a scan filtered on its least and its greatest value (NaN
 * aside), on {@code IS NULL}, {@code IS NOT NULL} and {@code IS NaN} (where a row is) plans every file
 * holding a row the filter keeps — Iceberg's bounds, counts and partition values never skip one. A
 * disagreement is an {@link AssertionError} with the diff.
 */
final class VersionCheck {

    /** What one comparison covered: rows compared, filters checked, and of those the filters that skipped files. */
    record Counts(int rows, int filters, int pruning) {}

    private VersionCheck() {}

    /** Compares the version's rows and, if {@code withFilters}, the filters on each column. */
    static Counts compare(Table table, long snapshotId, KernelRows.Version kernel, boolean withFilters) {
        Schema schema = table.schemas().get(table.snapshot(snapshotId).schemaId());
        List<String> icebergNames =
                schema.columns().stream().map(Types.NestedField::name).toList();
        if (!icebergNames.equals(kernel.names())) {
            throw new AssertionError("version " + kernel.version() + ": the snapshot's columns are " + icebergNames
                    + ", Kernel's " + kernel.names());
        }
        Function<Record, String> render = record -> {
            StringJoiner row = new StringJoiner(" | ");
            for (String name : kernel.names()) {
                row.add(RenderedValues.iceberg(
                        record.getField(name), schema.findField(name).type()));
            }
            return row.toString();
        };
        List<String> expected = kernel.joined();
        List<String> rows = IcebergReader.rows(table, snapshotId, render);
        if (!rows.equals(expected)) {
            throw new AssertionError("version " + kernel.version() + ": Iceberg's rows are not Kernel's\ncolumns: "
                    + String.join(" | ", kernel.names()) + "\n" + diff(expected, rows));
        }

        if (!withFilters) {
            return new Counts(rows.size(), 0, 0);
        }
        Map<String, List<String>> byFile = IcebergScans.rowsByFile(table, snapshotId, render);
        List<String> union = new ArrayList<>();
        byFile.values().forEach(union::addAll);
        union.sort(null);
        if (!union.equals(rows)) {
            throw new AssertionError("version " + kernel.version() + ": the rows file by file are not the snapshot's\n"
                    + diff(rows, union));
        }

        int checked = 0;
        int pruning = 0;
        for (KernelRows.FilterColumn column : kernel.filterColumns()) {
            List<Object> values = column.values();
            Object least = null;
            Object greatest = null;
            for (Object value : values) {
                if (value == null || isNaN(value)) {
                    continue;
                }
                least = least == null || compare(value, least) < 0 ? value : least;
                greatest = greatest == null || compare(value, greatest) > 0 ? value : greatest;
            }
            List<Filter> filters = new ArrayList<>();
            if (least != null) {
                for (Object value : List.of(least, greatest)) {
                    String rendered = RenderedValues.primitive(value);
                    filters.add(new Filter(
                            Expressions.equal(column.name(), value),
                            column.name() + " = " + rendered,
                            v -> v != null && RenderedValues.primitive(v).equals(rendered)));
                }
            }
            if (values.contains(null)) {
                filters.add(new Filter(Expressions.isNull(column.name()), column.name() + " IS NULL", v -> v == null));
            }
            if (values.stream().anyMatch(v -> v != null)) {
                filters.add(
                        new Filter(Expressions.notNull(column.name()), column.name() + " IS NOT NULL", v -> v != null));
            }
            if (values.stream().anyMatch(v -> v != null && isNaN(v))) {
                filters.add(new Filter(
                        Expressions.isNaN(column.name()), column.name() + " IS NaN", v -> v != null && isNaN(v)));
            }
            for (Filter filter : filters) {
                if (filter(table, snapshotId, kernel, column, filter, byFile) < byFile.size()) {
                    pruning++;
                }
                checked++;
            }
        }
        return new Counts(rows.size(), checked, pruning);
    }

    /** A filter: Iceberg's expression, as the failure names it, and which values it keeps. */
    private record Filter(Expression expression, String described, Predicate<Object> keeps) {}

    /** A scan with the filter plans every file holding a row it keeps; the files it plans. */
    private static int filter(
            Table table,
            long snapshotId,
            KernelRows.Version kernel,
            KernelRows.FilterColumn column,
            Filter filter,
            Map<String, List<String>> byFile) {
        List<String> holding = new ArrayList<>();
        for (int r = 0; r < kernel.rows().size(); r++) {
            if (filter.keeps().test(column.values().get(r))) {
                holding.add(kernel.rows().get(r).joined());
            }
        }
        Set<String> planned = IcebergScans.planned(table, snapshotId, filter.expression());
        List<String> found = new ArrayList<>();
        for (String file : planned) {
            found.addAll(byFile.getOrDefault(file, List.of()));
        }
        List<String> missing = minus(holding, found);
        if (!missing.isEmpty()) {
            List<String> skipped = new ArrayList<>();
            byFile.forEach((file, rows) -> {
                if (!planned.contains(file) && rows.stream().anyMatch(missing::contains)) {
                    skipped.add(file);
                }
            });
            throw new AssertionError("version " + kernel.version() + ": a scan filtered on " + filter.described()
                    + " skips files holding such rows: " + skipped + "\ncolumns: "
                    + String.join(" | ", kernel.names()) + "\nrows skipped:\n  "
                    + String.join("\n  ", missing));
        }
        return planned.size();
    }

    private static boolean isNaN(Object value) {
        return (value instanceof Float f && f.isNaN()) || (value instanceof Double d && d.isNaN());
    }

    /** Values of one column: strings in UTF-8 order, binary unsigned, floats with -0.0 below 0.0. */
    @SuppressWarnings({"unchecked", "rawtypes"})
    static int compare(Object a, Object b) {
        if (a instanceof String x) {
            return DeltaStatistics.UTF8.compare(x, (String) b);
        } else if (a instanceof ByteBuffer x) {
            return Arrays.compareUnsigned(bytes(x), bytes((ByteBuffer) b));
        } else if (a instanceof Float x) {
            return Float.compare(x, (Float) b);
        } else if (a instanceof Double x) {
            return Double.compare(x, (Double) b);
        }
        return ((Comparable) a).compareTo(b);
    }

    private static byte[] bytes(ByteBuffer buffer) {
        byte[] bytes = new byte[buffer.remaining()];
        buffer.duplicate().get(bytes);
        return bytes;
    }

    /** What Kernel reads and Iceberg does not, and the reverse (as multisets), a few lines of each. */
    static String diff(List<String> kernel, List<String> iceberg) {
        List<String> onlyKernel = minus(kernel, iceberg);
        List<String> onlyIceberg = minus(iceberg, kernel);
        return "Kernel reads " + kernel.size() + " rows, Iceberg " + iceberg.size() + "\nonly Kernel ("
                + onlyKernel.size() + "):\n  " + String.join("\n  ", first(onlyKernel)) + "\nonly Iceberg ("
                + onlyIceberg.size() + "):\n  " + String.join("\n  ", first(onlyIceberg));
    }

    private static List<String> first(List<String> rows) {
        return rows.size() <= 20 ? rows : rows.subList(0, 20);
    }

    /** {@code a} without {@code b}, counting duplicates. */
    static List<String> minus(List<String> a, List<String> b) {
        Map<String, Integer> counts = new HashMap<>();
        b.forEach(row -> counts.merge(row, 1, Integer::sum));
        List<String> left = new ArrayList<>();
        for (String row : a) {
            Integer n = counts.get(row);
            if (n == null || n == 0) {
                left.add(row);
            } else {
                counts.put(row, n - 1);
            }
        }
        return left;
    }
}
