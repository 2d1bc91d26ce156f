package io.deltaplane.metadata.publish;

import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

/**
 * The table's other publication, its Iceberg metadata, as the publish status shows it beside the
 * {@code _delta_log}'s; implemented by {@code icebergmetadata} (which depends on this package,
 * never the other way round).
 */
public interface IcebergStatusSource {

    /**
     * The Iceberg metadata's state: the Delta version it reflects (null before the first
     * conversion), where its current metadata file is, and the last conversion failure.
     */
    record IcebergStatus(Long deltaVersion, String metadataLocation, String lastError, Instant lastErrorAt) {}

    Optional<IcebergStatus> status(UUID tableId);
}
