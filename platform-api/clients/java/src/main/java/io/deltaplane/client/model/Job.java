package io.deltaplane.client.model;

import java.time.Instant;

/** A job known to lineage-service; its runs are {@code client.jobs().runs(name)}. */
public record Job(String name, String namespace, Instant createdAt) {}
