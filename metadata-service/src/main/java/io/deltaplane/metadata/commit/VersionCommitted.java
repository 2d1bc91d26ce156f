package io.deltaplane.metadata.commit;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.util.UUID;

/**
 * A new table version was committed: what {@link CommitWriter} hands each outbox (the publish
 * queue, the lineage outbox) inside the commit's own transaction.
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
