package io.deltaplane.ingest.mapping;

import static java.util.Objects.requireNonNull;

import java.time.Instant;

/** A mapping as stored: the validated spec plus pause state and a version bumped on every change. */
public record StoredMapping(MappingSpec spec, boolean paused, long version, Instant createdAt, Instant updatedAt) {

    public StoredMapping {
        requireNonNull(spec, "spec");
        requireNonNull(createdAt, "createdAt");
        requireNonNull(updatedAt, "updatedAt");
    }

    public String name() {
        return spec.name();
    }

    /** Whether a worker should be consuming for this mapping. */
    public boolean shouldRun() {
        return spec.isEnabled() && !paused;
    }
}
