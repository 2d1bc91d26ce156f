package io.deltaplane.metadata.table.api;

import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;

/**
 * {@code POST /tables}.
 *
 * @param schema a Delta schema (StructType JSON object, or its JSON string)
 * @param location {@code file:/absolute/path} (or an absolute path); default under the warehouse
 */
public record CreateTableRequest(
        String catalogName,
        String schemaName,
        String name,
        JsonNode schema,
        List<String> partitionColumns,
        Map<String, String> properties,
        String location,
        String comment) {}
