package io.deltaplane.metadata.table;

import java.util.UUID;

/** Published after a table is dropped from the catalog (caches and metrics forget it). */
public record TableDropped(UUID tableId, String fullName, String location, Boolean managed, boolean purged) {}
