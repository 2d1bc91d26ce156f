package io.deltaplane.client.model;

import java.time.Instant;

/** A catalog, the top level of {@code catalog.schema.table}. */
public record Catalog(String name, String comment, Instant createdAt) {}
