package io.deltaplane.metadata.table;

import java.util.Optional;
import java.util.UUID;

/**
 * Supplies the {@code publish} part of a table response ({@code _delta_log} mirror progress). The
 * publish package implements it; without an implementation the field is null.
 */
public interface PublishStatusSource {

    /** Published version of a table, if it has publish state. */
    Optional<PublishStatus> status(UUID tableId, long tableVersion);

    /** {@code published_version} and {@code lag_versions} as API.md names them. */
    record PublishStatus(Long publishedVersion, long lagVersions) {}
}
