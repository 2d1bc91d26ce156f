package io.deltaplane.lineage.runref;

/** RUNNING until completed (COMPLETED or FAILED) or silent past its heartbeat timeout (ABANDONED). */
public enum RunState {
    RUNNING,
    COMPLETED,
    FAILED,
    ABANDONED
}
