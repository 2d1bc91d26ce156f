package io.deltaplane.ingest.delta;

import io.delta.kernel.Scan;
import io.delta.kernel.Snapshot;
import io.delta.kernel.SnapshotBuilder;
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
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.hadoop.conf.Configuration;

/**
 * Delta Kernel reading an ingested table the way any Delta engine would — published log, Parquet
 * files, partition values — independent of the metadata service and of the worker's own code.
 */
final class DeltaRows {

    static final Engine ENGINE = DefaultEngine.create(new Configuration());

    /** One ingested row's source position and id. */
    record Ingested(int partition, long offset, long id) {}

    private DeltaRows() {}

    /** The table's version as a reader of {@code _delta_log} sees it. */
    static long version(String location) {
        return TableManager.loadSnapshot(location).build(ENGINE).getVersion();
    }

    /** Every row at {@code version} (latest when null). */
    static List<Ingested> read(String location, Long version) throws IOException {
        SnapshotBuilder builder = TableManager.loadSnapshot(location);
        if (version != null) {
            builder = builder.atVersion(version);
        }
        Snapshot snapshot = builder.build(ENGINE);
        Scan scan = snapshot.getScanBuilder().build();
        Row scanState = scan.getScanState(ENGINE);
        StructType physicalSchema = ScanStateRow.getPhysicalDataReadSchema(scanState);
        List<Ingested> rows = new ArrayList<>();
        try (CloseableIterator<FilteredColumnarBatch> scanFiles = scan.getScanFiles(ENGINE)) {
            while (scanFiles.hasNext()) {
                try (CloseableIterator<Row> files = scanFiles.next().getRows()) {
                    while (files.hasNext()) {
                        Row scanFile = files.next();
                        FileStatus file = InternalScanFileUtils.getAddFileStatus(scanFile);
                        CloseableIterator<ColumnarBatch> physical = ENGINE.getParquetHandler()
                                .readParquetFiles(
                                        Utils.singletonCloseableIterator(file), physicalSchema, Optional.empty())
                                .map(FileReadResult::getData);
                        try (CloseableIterator<FilteredColumnarBatch> data =
                                Scan.transformPhysicalData(ENGINE, scanState, scanFile, physical)) {
                            while (data.hasNext()) {
                                collect(data.next(), rows);
                            }
                        }
                    }
                }
            }
        }
        return rows;
    }

    private static void collect(FilteredColumnarBatch batch, List<Ingested> rows) {
        ColumnarBatch columns = batch.getData();
        StructType schema = columns.getSchema();
        ColumnVector partition = columns.getColumnVector(schema.indexOf("_partition"));
        ColumnVector offset = columns.getColumnVector(schema.indexOf("_offset"));
        ColumnVector id = columns.getColumnVector(schema.indexOf("id"));
        for (int i = 0; i < columns.getSize(); i++) {
            boolean selected = batch.getSelectionVector().isEmpty()
                    || batch.getSelectionVector().get().getBoolean(i);
            if (selected) {
                rows.add(new Ingested(partition.getInt(i), offset.getLong(i), id.getLong(i)));
            }
        }
    }
}
