package io.deltaplane.metadata.catalog;

import io.deltaplane.support.access.Securable;

/**
 * Published inside the transaction that dropped a catalog or schema (after a {@code TableDropped}
 * for each table it held): grants and owners of it and everything inside it are forgotten with it.
 */
public record NamespaceDropped(Securable securable) {}
