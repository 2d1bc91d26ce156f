package io.deltaplane.metadata.managed;

/**
 * A ratified commit of a catalog-managed table as Unity Catalog's commit APIs describe it: the
 * staged file under {@code _delta_log/_staged_commits/} it came from, its size and the engine's
 * time for it. {@code timestamp} is the commit's In-Commit Timestamp.
 */
public record CatalogCommit(
        long version, long timestamp, String fileName, long fileSize, long fileModificationTimestamp) {}
