package io.deltaplane.ingest;

import io.deltaplane.ingest.sink.Warehouse;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * How many events a mapping has consumed, by the offsets its DuckDB sink commits with its rows: once
 * that covers every event of the topic, nothing is left that could land again.
 */
public final class ConsumedOffsets {

    private ConsumedOffsets() {}

    public static long of(Warehouse warehouse, String mapping) throws SQLException {
        try (var c = warehouse.connect();
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT coalesce(sum(next_offset), 0) FROM main._deltaplane_offsets"
                        + " WHERE mapping = '" + mapping.replace("'", "''") + "'")) {
            rs.next();
            long consumed = rs.getLong(1);
            c.rollback();
            return consumed;
        }
    }
}
