package io.deltaplane.lineage.job;

import static java.util.Objects.requireNonNull;

import java.time.Instant;

/** A job: the named, recurring piece of work whose runs read and write tables. */
public record Job(long id, String name, String namespace, Instant createdAt, Instant updatedAt) {
    public Job {
        requireNonNull(name, "name");
        requireNonNull(namespace, "namespace");
        requireNonNull(createdAt, "createdAt");
        requireNonNull(updatedAt, "updatedAt");
    }
}
