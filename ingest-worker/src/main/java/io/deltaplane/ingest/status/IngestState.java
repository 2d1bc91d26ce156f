package io.deltaplane.ingest.status;

/** What a mapping's consumer is doing in this worker. */
public enum IngestState {
    STARTING,
    RUNNING,
    /** The sink or source failed; the consumer backs off and retries from the control table. */
    RETRYING,
    PAUSED,
    DISABLED,
    STOPPED
}
