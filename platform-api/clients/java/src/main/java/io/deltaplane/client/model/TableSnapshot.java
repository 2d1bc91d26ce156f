package io.deltaplane.client.model;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;

/** A snapshot of a table as lineage records it: where the data is and which run wrote it. */
public record TableSnapshot(
        String tableName, String uri, String format, JsonNode schema, Instant createdAt, Long version, String runId) {}
