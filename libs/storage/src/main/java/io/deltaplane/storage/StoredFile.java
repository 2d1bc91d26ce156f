package io.deltaplane.storage;

/**
 * A file as a listing or a lookup shows it: what Delta readers need besides the bytes (Kernel's
 * {@code FileStatus}: the size to read a Parquet footer, the modification time that is a commit's
 * timestamp when the table has no in-commit timestamps).
 *
 * @param name the name inside its directory (no slash)
 * @param size bytes
 * @param modifiedMillis last modification, epoch milliseconds
 */
public record StoredFile(String name, long size, long modifiedMillis) {}
