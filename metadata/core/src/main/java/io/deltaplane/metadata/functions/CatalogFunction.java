package io.deltaplane.metadata.functions;

import io.deltaplane.metadata.names.FunctionName;
import java.time.Instant;
import java.util.UUID;

/**
 * A function as the catalog keeps it: its definition as sent, with its owner (one statement per
 * page on every door). Not {@code Function}, which {@code java.util.function} has.
 */
public record CatalogFunction(
        UUID id,
        FunctionName name,
        FunctionDefinition definition,
        String owner,
        Instant createdAt,
        String createdBy,
        Instant updatedAt,
        String updatedBy) {}
