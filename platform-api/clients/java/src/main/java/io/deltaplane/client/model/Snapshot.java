package io.deltaplane.client.model;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;

/** A table's state at one version (protocol, metadata, file count and size). */
public record Snapshot(
        long version,
        Instant timestamp,
        JsonNode protocol,
        JsonNode metadata,
        long numFiles,
        long sizeBytes,
        JsonNode appVersions) {}
