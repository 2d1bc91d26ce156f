package io.deltaplane.docs;

import io.delta.kernel.TableManager;
import io.delta.kernel.data.ColumnVector;
import io.delta.kernel.defaults.engine.DefaultEngine;
import io.delta.kernel.engine.Engine;
import io.deltaplane.testing.DeltaScan;
import org.apache.hadoop.conf.Configuration;

/** Delta Kernel reading a table's rows the way any Delta engine would: log, files, Parquet. */
final class DeltaTableRows {

    /** The row count and the sum of one double column of the latest version. */
    record Totals(long rows, double sum) {}

    private DeltaTableRows() {}

    static Totals read(String location, String doubleColumn) {
        Engine engine = DefaultEngine.create(new Configuration());
        long[] rows = {0};
        double[] sum = {0};
        DeltaScan.forEachRow(TableManager.loadSnapshot(location).build(engine), engine, row -> {
            ColumnVector values = row.column(doubleColumn);
            rows[0]++;
            sum[0] += values.isNullAt(row.index()) ? 0 : values.getDouble(row.index());
        });
        return new Totals(rows[0], sum[0]);
    }
}
