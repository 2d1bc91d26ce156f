package io.deltaplane.lineage.run;

/** RUNNING until completed (COMPLETED or FAILED) or silent past its heartbeat timeout (ABANDONED). */
public enum RunState {
    RUNNING,
    COMPLETED,
    FAILED,
    ABANDONED
}
