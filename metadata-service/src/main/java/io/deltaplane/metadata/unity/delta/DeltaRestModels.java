package io.deltaplane.metadata.unity.delta;

import java.util.List;
import java.util.Map;
import java.util.UUID;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.PropertyNamingStrategies;
import tools.jackson.databind.annotation.JsonNaming;

/** The bodies of Unity Catalog's Delta REST API v1: kebab-case, as its clients send and read them. */
public final class DeltaRestModels {

    private DeltaRestModels() {}

    @JsonNaming(PropertyNamingStrategies.KebabCaseStrategy.class)
    public record StagingTableRequest(String name) {}

    @JsonNaming(PropertyNamingStrategies.KebabCaseStrategy.class)
    public record DeltaProtocol(
            int minReaderVersion, int minWriterVersion, List<String> readerFeatures, List<String> writerFeatures) {}

    /**
     * A table id and location reserved for an engine's create, and what the table must declare:
     * catalog-managed tables need the {@code catalogManaged} feature (with In-Commit Timestamps).
     */
    @JsonNaming(PropertyNamingStrategies.KebabCaseStrategy.class)
    public record StagingTableResponse(
            UUID tableId,
            String tableType,
            String location,
            DeltaProtocol requiredProtocol,
            DeltaProtocol suggestedProtocol,
            Map<String, String> requiredProperties,
            Map<String, String> suggestedProperties,
            List<Object> storageCredentials) {}

    /** Finalizes a staged table: the engine wrote {@code 00000000000000000000.json} at {@code location}. */
    @JsonNaming(PropertyNamingStrategies.KebabCaseStrategy.class)
    public record CreateTableRequest(
            String name,
            String location,
            String tableType,
            String dataSourceFormat,
            String comment,
            JsonNode columns,
            List<String> partitionColumns,
            JsonNode protocol,
            Map<String, String> properties,
            JsonNode domainMetadata,
            Long lastCommitTimestampMs,
            JsonNode uniform) {}

    /** A ratified commit whose {@code <version>.json} may not be published yet. */
    @JsonNaming(PropertyNamingStrategies.KebabCaseStrategy.class)
    public record DeltaCommit(
            long version, long timestamp, String fileName, long fileSize, long fileModificationTimestamp) {}

    @JsonNaming(PropertyNamingStrategies.KebabCaseStrategy.class)
    public record TableMetadata(
            String etag,
            String tableType,
            UUID tableUuid,
            String location,
            Long createdTime,
            Long updatedTime,
            JsonNode columns,
            List<String> partitionColumns,
            Map<String, String> properties,
            long lastCommitVersion,
            Long lastCommitTimestampMs) {}

    /**
     * The table, the ratified commits not yet known to be published (ascending, gap-free, ending at
     * {@code latest-table-version}), and the latest ratified version.
     */
    @JsonNaming(PropertyNamingStrategies.KebabCaseStrategy.class)
    public record LoadTableResponse(TableMetadata metadata, List<DeltaCommit> commits, long latestTableVersion) {}

    /** {@code requirements} ({@code assert-table-uuid}, {@code assert-etag}) and {@code updates}. */
    @JsonNaming(PropertyNamingStrategies.KebabCaseStrategy.class)
    public record UpdateTableRequest(List<JsonNode> requirements, List<JsonNode> updates) {}

    @JsonNaming(PropertyNamingStrategies.KebabCaseStrategy.class)
    public record CatalogConfig(List<String> endpoints, String protocolVersion) {}
}
