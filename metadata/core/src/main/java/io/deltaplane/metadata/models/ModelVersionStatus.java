package io.deltaplane.metadata.models;

/**
 * Unity Catalog's model version statuses: a new version is PENDING_REGISTRATION while its files are
 * written (read-write credentials are vended only then), READY once finalized.
 */
public enum ModelVersionStatus {
    PENDING_REGISTRATION,
    /** UC's status for a registration that failed; nothing here sets it, rows may carry it. */
    FAILED_REGISTRATION,
    READY
}
