package io.deltaplane.ingest.sink;

import java.sql.SQLException;
import java.sql.Statement;
import org.duckdb.DuckDBAppender;
import org.duckdb.DuckDBConnection;

/** Puts a batch's raw events into the connection's staging table, for {@link SinkPlan}'s SQL to check. */
public final class Stage {

    private Stage() {}

    /** Creates the (temporary, per-connection) staging table if needed. */
    public static void create(DuckDBConnection connection) throws SQLException {
        try (Statement s = connection.createStatement()) {
            s.execute(SinkPlan.CREATE_STAGE);
        }
    }

    /** Replaces the staging table's rows by the batch's events. */
    public static void fill(DuckDBConnection connection, SinkBatch batch) throws SQLException {
        clear(connection);
        try (DuckDBAppender appender = connection.createAppender("temp", "main", SinkPlan.STAGE)) {
            for (int i = 0; i < batch.size(); i++) {
                appender.beginRow().append(batch.partition(i)).append(batch.offset(i));
                long ts = batch.timestamp(i);
                if (ts < 0) {
                    appender.appendNull();
                } else {
                    appender.appendEpochMicros(ts * 1000);
                }
                byte[] payload = batch.payload(i);
                if (payload == null) {
                    appender.appendNull();
                } else {
                    appender.append(payload);
                }
                appender.endRow();
            }
        }
    }

    public static void clear(DuckDBConnection connection) throws SQLException {
        try (Statement s = connection.createStatement()) {
            s.execute(SinkPlan.CLEAR_STAGE);
        }
    }
}
