package io.deltaplane.client.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * An ingest mapping (source stream → warehouse table), as ingest-worker stores it. {@code body} is
 * the whole document (the API takes any mapping document, so it stays JSON you can change and send
 * back with {@code update}); {@link #kafka} builds a common one.
 */
public record IngestMapping(String name, JsonNode body) {

    /** A JSON mapping from a Kafka topic to {@code database.schema.table}, raw payload kept. */
    public static IngestMapping kafka(
            String name, String topic, String consumerGroup, String database, String schema, String table) {
        ObjectNode body = JsonNodeFactory.instance.objectNode();
        body.put("name", name);
        ObjectNode source = body.putObject("source");
        source.put("type", "kafka");
        source.put("topic", topic);
        source.put("consumer_group", consumerGroup);
        ObjectNode target = body.putObject("target");
        target.put("database", database);
        target.put("schema", schema);
        target.put("table", table);
        body.put("format", "json");
        ObjectNode batch = body.putObject("batch");
        batch.put("max_rows", 1000);
        batch.put("max_wait_ms", 1000);
        body.put("enabled", true);
        return new IngestMapping(name, body);
    }

    public static IngestMapping of(JsonNode body) {
        return new IngestMapping(body.path("name").asText(null), body);
    }
}
