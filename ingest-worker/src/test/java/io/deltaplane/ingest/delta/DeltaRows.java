package io.deltaplane.ingest.delta;

import io.delta.kernel.SnapshotBuilder;
import io.delta.kernel.TableManager;
import io.delta.kernel.defaults.engine.DefaultEngine;
import io.delta.kernel.engine.Engine;
import io.deltaplane.testing.DeltaScan;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
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
        List<Ingested> rows = new ArrayList<>();
        DeltaScan.forEachRow(
                builder.build(ENGINE),
                ENGINE,
                row -> rows.add(new Ingested(
                        row.column("_partition").getInt(row.index()),
                        row.column("_offset").getLong(row.index()),
                        row.column("id").getLong(row.index()))));
        return rows;
    }
}
