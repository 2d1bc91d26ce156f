package io.deltaplane.client.model;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * A Delta table as metadata-service keeps it.
 *
 * @param version the latest committed version
 * @param schema the Delta schema (StructType JSON)
 * @param publish how far the table's {@code _delta_log} has caught up
 */
public record Table(
        String tableId,
        String fullName,
        String location,
        long version,
        JsonNode schema,
        List<String> partitionColumns,
        Map<String, String> properties,
        Instant createdAt,
        Publish publish) {

    /** Publishing state of the table's {@code _delta_log}. */
    public record Publish(Long publishedVersion, Long lagVersions) {}
}
