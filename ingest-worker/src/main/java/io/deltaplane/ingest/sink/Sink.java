package io.deltaplane.ingest.sink;

import java.io.IOException;
import java.sql.SQLException;
import java.util.Map;

/**
 * Where one mapping's batches land, exactly once: a DuckDB / MotherDuck table ({@link DuckDbSink}) or
 * a Delta table ({@link io.deltaplane.ingest.delta.DeltaSink}). The sink, not the source, keeps the
 * positions: a batch and the offsets it reaches are written atomically, so a consumer that resumes
 * from {@link #positions()} never writes an event twice.
 *
 * <p>Not thread-safe: one consumer thread owns a sink.
 */
public interface Sink extends AutoCloseable {

    /** The committed next offset per partition (absent: nothing written yet for that partition). */
    Map<Integer, Long> positions() throws IOException, SQLException;

    /**
     * Writes the batch atomically. {@code expected} holds, per partition, the next offset the consumer
     * believes is committed; if the sink disagrees the batch is not written and a {@link
     * StaleOffsetsException} says so.
     */
    BatchResult write(SinkBatch batch, Map<Integer, Long> expected) throws IOException, SQLException;

    /** What the mapping has written so far, across restarts: the sink's own totals. */
    SinkTotals totals() throws IOException, SQLException;

    @Override
    void close() throws SQLException;
}
