package io.deltaplane.ingest.source;

import io.deltaplane.ingest.status.IngestStats;
import java.time.Duration;

/** The consumer of one mapping inside this worker: started and stopped by the reconciler. */
public interface IngestRunner {

    void start();

    /** Stops cleanly: the pending batch is written, then the source is closed. */
    void stop(Duration timeout);

    IngestStats stats();
}
