package io.deltaplane.metadata.catalog;

import io.deltaplane.support.access.Securable;

/**
 * Published inside the transaction that drops a catalog or schema, after a {@code TableDropped} for
 * each table it holds and before its rows go: grants and owners of it and everything inside it are
 * forgotten with it, and its managed volumes' directories reserved for the purge.
 */
public record NamespaceDropped(Securable securable) {}
