package io.deltaplane.metadata.publish;

import java.util.UUID;

/**
 * Tables whose {@code _delta_log} engines write themselves — EXTERNAL tables, which Unity Catalog
 * defines by their log: a version an engine commits there beyond the catalog's is the table's, and
 * {@link LogAdoption} takes it in (validated like any commit, its bytes kept as the engine wrote
 * them). Catalog-managed tables and tables at the platform's own locations are not among them:
 * a version written there behind the catalog stays foreign. Implemented by the {@code managed}
 * package, which depends on this one.
 */
public interface EngineLogs {

    /** Whether the table follows the versions engines write to its log. */
    boolean followsItsLog(UUID tableId);

    /**
     * Inside the adopting transaction: version {@code version} is the engine's {@code fileName}, whose
     * bytes are {@code content} (published and re-published as they are).
     */
    void recordAsWritten(UUID tableId, long version, String fileName, byte[] content, long timestamp);
}
