package io.deltaplane.metadata.locations;

import java.time.Instant;
import java.util.UUID;

/** A storage prefix registered as an external location ({@code url}: normalised, under a storage root). */
public record ExternalLocation(
        UUID id, String name, String url, String comment, Instant createdAt, String createdBy, Instant updatedAt) {}
