package io.deltaplane.metadata.commit;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.util.UUID;

/**
 * A new table version was committed. Published with Spring's {@code ApplicationEventPublisher}
 * inside the commit's database transaction, so synchronous listeners (the {@code _delta_log}
 * publisher queue, the lineage outbox) write their rows atomically with the commit.
 *
 * @param tableId the table's id (also the Delta {@code metaData.id})
 * @param fullName {@code catalog.schema.table}
 * @param location the table's root location ({@code file:/…} URI)
 * @param version the version just committed
 * @param committedAt the in-commit timestamp of that version
 */
public record VersionCommitted(UUID tableId, String fullName, String location, long version, Instant committedAt) {
    public VersionCommitted {
        requireNonNull(tableId, "tableId");
        requireNonNull(fullName, "fullName");
        requireNonNull(location, "location");
        requireNonNull(committedAt, "committedAt");
    }
}
