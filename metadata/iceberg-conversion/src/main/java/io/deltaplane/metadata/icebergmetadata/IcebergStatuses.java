package io.deltaplane.metadata.icebergmetadata;

import static java.util.Objects.requireNonNull;

import io.deltaplane.metadata.publish.IcebergStatusSource;
import java.util.Optional;
import java.util.UUID;
import org.springframework.stereotype.Component;

/** The Iceberg metadata's state for the publish status. */
@Component
class IcebergStatuses implements IcebergStatusSource {

    private final IcebergMetadataRepository repository;

    IcebergStatuses(IcebergMetadataRepository repository) {
        this.repository = requireNonNull(repository, "repository");
    }

    @Override
    public Optional<IcebergStatus> status(UUID tableId) {
        return repository
                .state(tableId)
                .map(s -> new IcebergStatus(
                        s.deltaVersion() < 0 ? null : s.deltaVersion(),
                        s.metadataLocation().orElse(null),
                        s.lastError().orElse(null),
                        s.failedAt().orElse(null)));
    }
}
