package io.deltaplane.ingest.sink;

import java.sql.SQLException;

/**
 * The control table no longer holds the offsets this consumer started its batch from: another
 * consumer (e.g. after a rebalance) has written the partition meanwhile. The batch is rolled back and
 * the consumer resumes from the control table, so nothing is written twice.
 */
public final class StaleOffsetsException extends SQLException {
    public StaleOffsetsException(String message) {
        super(message);
    }
}
