package io.deltaplane.metadata.delta;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * The protocol of a table the platform creates, from the properties it is created with: a property
 * that enables a feature brings the feature, as Delta's own writers do, so a table's properties and
 * its protocol never disagree. {@code delta.enableInCommitTimestamps} (on unless {@code false}),
 * {@code delta.enableDeletionVectors=true}, {@code delta.enableRowTracking=true} (with {@code
 * domainMetadata}, and the two materialized column names when not given), {@code
 * delta.columnMapping.mode} {@code name} or {@code id}, {@code delta.enableChangeDataFeed=true} and
 * {@code delta.checkpointPolicy=v2}; and a schema with a {@code timestamp_ntz} column brings {@code
 * timestampNtz}. Without any, the legacy protocol (1, 2).
 */
public final class TableProtocols {

    private TableProtocols() {}

    /**
     * The protocol action's object for a new table with {@code configuration} and the Delta schema
     * {@code schemaString} (a {@code timestamp_ntz} column brings {@link TimestampNtz#FEATURE}); the
     * configuration gains the properties a feature it enables needs (row tracking's materialized
     * column names).
     */
    public static ObjectNode forTable(
            Map<String, String> configuration, String schemaString, boolean inCommitTimestamps) {
        List<String> readers = new ArrayList<>();
        List<String> writers = new ArrayList<>();
        if (TimestampNtz.inSchema(schemaString)) {
            readers.add(TimestampNtz.FEATURE);
            writers.add(TimestampNtz.FEATURE);
        }
        if (inCommitTimestamps) {
            writers.add("inCommitTimestamp");
        }
        if (enabled(configuration, DeletionVectors.ENABLE_PROPERTY)) {
            readers.add(DeletionVectors.FEATURE);
            writers.add(DeletionVectors.FEATURE);
        }
        if (enabled(configuration, RowTracking.ENABLE_PROPERTY)) {
            writers.add("domainMetadata");
            writers.add(RowTracking.FEATURE);
            configuration.putIfAbsent(RowTracking.MATERIALIZED_ROW_ID, "_row-id-col-" + UUID.randomUUID());
            configuration.putIfAbsent(
                    RowTracking.MATERIALIZED_ROW_COMMIT_VERSION, "_row-commit-version-col-" + UUID.randomUUID());
        }
        if (enabled(configuration, ChangeDataFeed.ENABLE_PROPERTY)) {
            writers.add(ChangeDataFeed.FEATURE);
        }
        String mapping = configuration.get(ColumnMapping.MODE_PROPERTY);
        if (mapping != null && !mapping.strip().equalsIgnoreCase("none")) {
            readers.add(ColumnMapping.FEATURE);
            writers.add(ColumnMapping.FEATURE);
        }
        if ("v2".equals(configuration.get(V2Checkpoints.POLICY_PROPERTY))) {
            readers.add(V2Checkpoints.FEATURE);
            writers.add(V2Checkpoints.FEATURE);
        }
        ObjectNode protocol = JsonNodeFactory.instance.objectNode();
        protocol.put("minReaderVersion", readers.isEmpty() ? 1 : 3);
        if (!readers.isEmpty()) {
            ArrayNode list = protocol.putArray("readerFeatures");
            readers.forEach(list::add);
        }
        if (writers.isEmpty()) {
            protocol.put("minWriterVersion", 2);
            return protocol;
        }
        // table features: what writer version 2 implied, plus those asked for
        protocol.put("minWriterVersion", 7);
        ArrayNode list = protocol.putArray("writerFeatures").add("appendOnly").add("invariants");
        writers.forEach(list::add);
        return protocol;
    }

    private static boolean enabled(Map<String, String> configuration, String property) {
        String value = configuration.get(property);
        return value != null && value.strip().equalsIgnoreCase("true");
    }
}
