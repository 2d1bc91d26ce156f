package io.deltaplane.metadata.table;

import com.fasterxml.jackson.annotation.JsonRawValue;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * A table as the API shows it. {@code schema} and {@code properties} are the Delta StructType and
 * configuration of the current metaData, passed through as JSON.
 */
public record TableResponse(
        UUID tableId,
        String fullName,
        String catalogName,
        String schemaName,
        String name,
        String location,
        long version,
        @JsonRawValue String schema,
        List<String> partitionColumns,
        @JsonRawValue String properties,
        String comment,
        Instant createdAt,
        Instant updatedAt,
        PublishStatusSource.PublishStatus publish) {}
