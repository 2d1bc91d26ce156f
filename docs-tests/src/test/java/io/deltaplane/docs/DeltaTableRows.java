package io.deltaplane.docs;

import io.delta.kernel.Scan;
import io.delta.kernel.Snapshot;
import io.delta.kernel.TableManager;
import io.delta.kernel.data.ColumnVector;
import io.delta.kernel.data.ColumnarBatch;
import io.delta.kernel.data.FilteredColumnarBatch;
import io.delta.kernel.data.Row;
import io.delta.kernel.defaults.engine.DefaultEngine;
import io.delta.kernel.engine.Engine;
import io.delta.kernel.engine.FileReadResult;
import io.delta.kernel.internal.InternalScanFileUtils;
import io.delta.kernel.internal.data.ScanStateRow;
import io.delta.kernel.internal.util.Utils;
import io.delta.kernel.types.StructType;
import io.delta.kernel.utils.CloseableIterator;
import io.delta.kernel.utils.FileStatus;
import java.io.IOException;
import java.util.Optional;
import org.apache.hadoop.conf.Configuration;

/** Delta Kernel reading a table's rows the way any Delta engine would: log, files, Parquet. */
final class DeltaTableRows {

    /** The row count and the sum of one double column of the latest version. */
    record Totals(long rows, double sum) {}

    private DeltaTableRows() {}

    static Totals read(String location, String doubleColumn) throws IOException {
        Engine engine = DefaultEngine.create(new Configuration());
        Snapshot snapshot = TableManager.loadSnapshot(location).build(engine);
        Scan scan = snapshot.getScanBuilder().build();
        Row scanState = scan.getScanState(engine);
        StructType physicalSchema = ScanStateRow.getPhysicalDataReadSchema(scanState);
        long rows = 0;
        double sum = 0;
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
                        try (CloseableIterator<FilteredColumnarBatch> data =
                                Scan.transformPhysicalData(engine, scanState, scanFile, physical)) {
                            while (data.hasNext()) {
                                FilteredColumnarBatch batch = data.next();
                                ColumnarBatch columns = batch.getData();
                                ColumnVector values = columns.getColumnVector(
                                        columns.getSchema().indexOf(doubleColumn));
                                for (int i = 0; i < columns.getSize(); i++) {
                                    boolean selected = batch.getSelectionVector()
                                                    .isEmpty()
                                            || batch.getSelectionVector().get().getBoolean(i);
                                    if (selected) {
                                        rows++;
                                        sum += values.isNullAt(i) ? 0 : values.getDouble(i);
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
        return new Totals(rows, sum);
    }
}
