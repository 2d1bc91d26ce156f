package io.deltaplane.metadata.managed;

import io.deltaplane.support.problem.ApiException;
import io.deltaplane.support.problem.ErrorCode;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * Version 0 of a catalog-managed table that a client registers by its columns instead of writing it
 * (Unity Catalog's {@code POST /tables} for a MANAGED table after {@code POST /staging-tables}, as
 * UC's own clients and tests do): the catalog writes it — a commitInfo with the In-Commit Timestamp,
 * the protocol every catalog-managed table has here (reader 3, writer 7; {@code catalogManaged} and
 * {@code vacuumProtocolCheck} read and written, {@code inCommitTimestamp} written), and a metaData
 * with the client's schema, partition columns and properties, the table's UC id and In-Commit
 * Timestamps on. Engines then commit from version 1. A property that contradicts what the table
 * needs is refused by name rather than overridden.
 */
public final class CatalogManagedVersionZero {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    static final List<String> READER_FEATURES = List.of(StagedCommitRules.CATALOG_MANAGED, "vacuumProtocolCheck");
    static final List<String> WRITER_FEATURES =
            List.of(StagedCommitRules.CATALOG_MANAGED, StagedCommitRules.IN_COMMIT_TIMESTAMP, "vacuumProtocolCheck");

    /**
     * The columns a client registered a table with.
     *
     * @param schema the Delta schema (a {@code struct}), as the door read it from the columns
     * @param partitionColumns the partition columns, in order
     * @param properties the table properties the client gave (none: empty)
     */
    public record Columns(JsonNode schema, List<String> partitionColumns, Map<String, String> properties) {
        public Columns {
            partitionColumns = List.copyOf(partitionColumns);
            properties = properties == null ? Map.of() : Map.copyOf(properties);
        }
    }

    private CatalogManagedVersionZero() {}

    /** The actions of version 0 of the table staged under {@code unityId}, committed at {@code at}. */
    static List<JsonNode> actions(UUID unityId, Columns columns, Instant at) {
        Map<String, String> configuration = new TreeMap<>(columns.properties());
        require(configuration, StagedCommitRules.UNITY_TABLE_ID, unityId.toString());
        require(configuration, StagedCommitRules.ENABLE_IN_COMMIT_TIMESTAMPS, "true");
        long millis = at.toEpochMilli();
        ObjectNode commitInfo = JSON.createObjectNode();
        commitInfo
                .putObject("commitInfo")
                .put("inCommitTimestamp", millis)
                .put("timestamp", millis)
                .put("operation", "CREATE TABLE")
                .put("engineInfo", "Deltaplane (registered by columns)");
        ObjectNode protocol = JSON.createObjectNode();
        ObjectNode p = protocol.putObject("protocol");
        p.put("minReaderVersion", 3).put("minWriterVersion", 7);
        READER_FEATURES.forEach(p.putArray("readerFeatures")::add);
        WRITER_FEATURES.forEach(p.putArray("writerFeatures")::add);
        ObjectNode metaData = JSON.createObjectNode();
        ObjectNode m = metaData.putObject("metaData");
        m.put("id", unityId.toString());
        m.putObject("format").put("provider", "parquet").putObject("options");
        m.put("schemaString", JSON.writeValueAsString(columns.schema()));
        columns.partitionColumns().forEach(m.putArray("partitionColumns")::add);
        ObjectNode config = m.putObject("configuration");
        configuration.forEach(config::put);
        m.put("createdTime", millis);
        return List.of(commitInfo, protocol, metaData);
    }

    /** Sets {@code key} to {@code value}; a client that gave another value is refused, by name. */
    private static void require(Map<String, String> configuration, String key, String value) {
        String given = configuration.putIfAbsent(key, value);
        if (given != null && !given.equals(value)) {
            throw ApiException.badRequest(
                    ErrorCode.VALIDATION_FAILED,
                    "properties: " + key + "=" + given + " cannot be kept: this catalog-managed table needs " + key
                            + "=" + value);
        }
    }
}
