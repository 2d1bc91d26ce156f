package io.deltaplane.client.model;

import java.time.Instant;

/** A committed version. */
public record CommitResult(long version, Instant committedAt) {}
