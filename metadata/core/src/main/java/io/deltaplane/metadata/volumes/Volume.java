package io.deltaplane.metadata.volumes;

import io.deltaplane.metadata.names.VolumeName;
import java.time.Instant;
import java.util.UUID;

/** A volume as the catalog keeps it, with its owner (one statement per page on every door). */
public record Volume(
        UUID id,
        VolumeName name,
        VolumeType type,
        String storageLocation,
        String comment,
        String owner,
        Instant createdAt,
        String createdBy,
        Instant updatedAt,
        String updatedBy) {}
