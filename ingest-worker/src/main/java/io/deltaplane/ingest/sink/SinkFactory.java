package io.deltaplane.ingest.sink;

import java.io.IOException;
import java.sql.SQLException;

/** Opens a mapping's sink; a consumer opens a new one for each session (after a failure, a fresh one). */
@FunctionalInterface
public interface SinkFactory {

    Sink open() throws IOException, SQLException;

    /** The DuckDB / MotherDuck sink of {@code plan} on {@code warehouse}. */
    static SinkFactory duckDb(Warehouse warehouse, io.deltaplane.ingest.mapping.MappingSpec mapping) {
        return () -> new DuckDbSink(warehouse.connect(), new SinkPlan(mapping, warehouse.defaultDatabase()));
    }

    /** The same, its totals kept under {@code worker} (this worker among those sharing the warehouse). */
    static SinkFactory duckDb(Warehouse warehouse, io.deltaplane.ingest.mapping.MappingSpec mapping, String worker) {
        return () -> new DuckDbSink(warehouse.connect(), new SinkPlan(mapping, warehouse.defaultDatabase(), worker));
    }
}
