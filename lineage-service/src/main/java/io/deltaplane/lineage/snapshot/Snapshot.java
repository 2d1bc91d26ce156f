package io.deltaplane.lineage.snapshot;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import java.util.UUID;
import tools.jackson.databind.JsonNode;

/**
 * A table snapshot as the API shows it: where the data is ({@code uri}, {@code format}), its
 * schema, the table version if it has one, and the run that wrote it if known.
 */
public record Snapshot(
        long snapshotId,
        String tableName,
        String uri,
        String format,
        JsonNode schema,
        Instant createdAt,
        @JsonInclude(JsonInclude.Include.NON_NULL) Long version,
        @JsonInclude(JsonInclude.Include.NON_NULL) UUID runId,
        @JsonInclude(JsonInclude.Include.NON_NULL) String jobName) {
    public Snapshot {
        requireNonNull(tableName, "tableName");
        requireNonNull(uri, "uri");
        requireNonNull(format, "format");
        requireNonNull(createdAt, "createdAt");
    }
}
