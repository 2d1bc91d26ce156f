package io.deltaplane.metadata.imports;

/** {@code POST /tables/import}: adopt the Delta table at {@code location} under this name. */
public record ImportTableRequest(String catalogName, String schemaName, String name, String location) {}
