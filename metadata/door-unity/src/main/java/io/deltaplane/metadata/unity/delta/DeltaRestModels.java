package io.deltaplane.metadata.unity.delta;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import tools.jackson.databind.JsonNode;

/** The bodies of Unity Catalog's Delta REST API v1: kebab-case, as its clients send and read them. */
public final class DeltaRestModels {

    private DeltaRestModels() {}

    public record DeltaStagingTableRequest(
            @JsonProperty("name") String name) {}

    public record DeltaProtocol(
            @JsonProperty("min-reader-version") int minReaderVersion,
            @JsonProperty("min-writer-version") int minWriterVersion,
            @JsonProperty("reader-features") List<String> readerFeatures,
            @JsonProperty("writer-features") List<String> writerFeatures) {}

    /**
     * A table id and location reserved for an engine's create, and what the table must declare:
     * catalog-managed tables need the {@code catalogManaged} feature (with In-Commit Timestamps).
     */
    public record DeltaStagingTableResponse(
            @JsonProperty("table-id") UUID tableId,
            @JsonProperty("table-type") String tableType,
            @JsonProperty("location") String location,
            @JsonProperty("required-protocol") DeltaProtocol requiredProtocol,
            @JsonProperty("suggested-protocol") DeltaProtocol suggestedProtocol,
            @JsonProperty("required-properties") Map<String, String> requiredProperties,
            @JsonProperty("suggested-properties") Map<String, String> suggestedProperties,
            @JsonProperty("storage-credentials") List<Object> storageCredentials) {}

    /** Finalizes a staged table: the engine wrote {@code 00000000000000000000.json} at {@code location}. */
    public record DeltaCreateTableRequest(
            @JsonProperty("name") String name,
            @JsonProperty("location") String location,
            @JsonProperty("table-type") String tableType,
            @JsonProperty("data-source-format") String dataSourceFormat,
            @JsonProperty("comment") String comment,
            @JsonProperty("columns") JsonNode columns,
            @JsonProperty("partition-columns") List<String> partitionColumns,
            @JsonProperty("protocol") JsonNode protocol,
            @JsonProperty("properties") Map<String, String> properties,
            @JsonProperty("domain-metadata") JsonNode domainMetadata,
            @JsonProperty("last-commit-timestamp-ms") Long lastCommitTimestampMs,
            @JsonProperty("uniform") JsonNode uniform) {}

    /** A ratified commit whose {@code <version>.json} may not be published yet. */
    public record DeltaCommit(
            @JsonProperty("version") long version,
            @JsonProperty("timestamp") long timestamp,
            @JsonProperty("file-name") String fileName,
            @JsonProperty("file-size") long fileSize,
            @JsonProperty("file-modification-timestamp") long fileModificationTimestamp) {}

    public record DeltaTableMetadata(
            @JsonProperty("etag") String etag,
            @JsonProperty("table-type") String tableType,
            @JsonProperty("table-uuid") UUID tableUuid,
            @JsonProperty("location") String location,
            @JsonProperty("created-time") Long createdTime,
            @JsonProperty("updated-time") Long updatedTime,
            @JsonProperty("columns") JsonNode columns,
            @JsonProperty("partition-columns") List<String> partitionColumns,
            @JsonProperty("properties") Map<String, String> properties,
            @JsonProperty("last-commit-version") long lastCommitVersion,
            @JsonProperty("last-commit-timestamp-ms") Long lastCommitTimestampMs) {}

    /**
     * The table, the ratified commits not yet known to be published (ascending, gap-free, ending at
     * {@code latest-table-version}), and the latest ratified version.
     */
    /**
     * {@code allowed-maintenance-operations}: what the engine may run itself on a managed table
     * ({@code DATA_REORGANIZATION}, {@code DATA_CLEANUP}, {@code METADATA_CLEANUP}); left out when none.
     */
    public record DeltaLoadTableResponse(
            @JsonProperty("metadata") DeltaTableMetadata metadata,
            @JsonProperty("commits") List<DeltaCommit> commits,
            @JsonProperty("latest-table-version") long latestTableVersion,

            @JsonProperty("allowed-maintenance-operations") @JsonInclude(JsonInclude.Include.NON_EMPTY)
            List<String> allowedMaintenanceOperations) {}

    /** {@code requirements} ({@code assert-table-uuid}, {@code assert-etag}) and {@code updates}. */
    public record DeltaUpdateTableRequest(
            @JsonProperty("requirements") List<JsonNode> requirements,
            @JsonProperty("updates") List<JsonNode> updates) {}

    public record DeltaCatalogConfig(
            @JsonProperty("endpoints") List<String> endpoints,
            @JsonProperty("protocol-version") String protocolVersion) {}
}
