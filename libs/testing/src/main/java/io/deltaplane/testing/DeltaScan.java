package io.deltaplane.testing;

import io.delta.kernel.Scan;
import io.delta.kernel.Snapshot;
import io.delta.kernel.data.ColumnVector;
import io.delta.kernel.data.ColumnarBatch;
import io.delta.kernel.data.FilteredColumnarBatch;
import io.delta.kernel.data.Row;
import io.delta.kernel.engine.Engine;
import io.delta.kernel.engine.FileReadResult;
import io.delta.kernel.internal.InternalScanFileUtils;
import io.delta.kernel.internal.data.ScanStateRow;
import io.delta.kernel.internal.util.Utils;
import io.delta.kernel.types.StructType;
import io.delta.kernel.utils.CloseableIterator;
import io.delta.kernel.utils.FileStatus;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Optional;

/**
 * A Delta table's rows read as any Delta engine reads them, with Delta Kernel: the snapshot's scan
 * files, their Parquet, then Kernel's physical-to-logical step (partition values, deletion vectors as
 * selection vectors). Tests check what a table holds with it, independently of the platform's code.
 *
 * <p>Delta Kernel is an optional dependency of this library: a module that reads tables declares
 * {@code delta-kernel-api} and {@code delta-kernel-defaults} (and {@code hadoop-client-api} for the
 * default engine) itself.
 */
public final class DeltaScan {

    /** One row of the table: the batch holding it and its index there. */
    public record TableRow(ColumnarBatch batch, int index) {

        /** The column called {@code name}, positioned at this row by {@link #index}. */
        public ColumnVector column(String name) {
            int ordinal = batch.getSchema().indexOf(name);
            if (ordinal < 0) {
                throw new IllegalArgumentException("no column " + name + " in " + batch.getSchema());
            }
            return batch.getColumnVector(ordinal);
        }
    }

    /** What to do with each row. */
    @FunctionalInterface
    public interface RowVisitor {
        void visit(TableRow row);
    }

    private DeltaScan() {}

    /** Visits every row of {@code snapshot} (loaded by path or through a catalog), file by file. */
    public static void forEachRow(Snapshot snapshot, Engine engine, RowVisitor visitor) {
        Scan scan = snapshot.getScanBuilder().build();
        Row scanState = scan.getScanState(engine);
        StructType physicalSchema = ScanStateRow.getPhysicalDataReadSchema(scanState);
        try (CloseableIterator<FilteredColumnarBatch> scanFiles = scan.getScanFiles(engine)) {
            while (scanFiles.hasNext()) {
                try (CloseableIterator<Row> files = scanFiles.next().getRows()) {
                    while (files.hasNext()) {
                        Row scanFile = files.next();
                        FileStatus file = InternalScanFileUtils.getAddFileStatus(scanFile);
                        CloseableIterator<ColumnarBatch> physical = engine.getParquetHandler()
                                .readParquetFiles(
                                        Utils.singletonCloseableIterator(file), physicalSchema, Optional.empty())
                                .map(FileReadResult::getData);
                        try (CloseableIterator<FilteredColumnarBatch> logical =
                                Scan.transformPhysicalData(engine, scanState, scanFile, physical)) {
                            while (logical.hasNext()) {
                                visitSelected(logical.next(), visitor);
                            }
                        }
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The rows a deletion vector did not remove. */
    private static void visitSelected(FilteredColumnarBatch batch, RowVisitor visitor) {
        ColumnarBatch data = batch.getData();
        Optional<ColumnVector> selection = batch.getSelectionVector();
        for (int i = 0; i < data.getSize(); i++) {
            if (selection.isEmpty() || selection.get().getBoolean(i)) {
                visitor.visit(new TableRow(data, i));
            }
        }
    }
}
