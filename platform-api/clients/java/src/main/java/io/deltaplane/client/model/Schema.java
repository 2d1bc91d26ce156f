package io.deltaplane.client.model;

import java.time.Instant;

/** A schema inside a catalog; {@code fullName} is {@code catalog.schema}. */
public record Schema(String catalogName, String name, String fullName, String comment, Instant createdAt) {}
