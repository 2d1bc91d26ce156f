package io.deltaplane.metadata.snapshot;

import static io.swagger.v3.oas.annotations.media.Schema.AdditionalPropertiesValue.TRUE;

import com.fasterxml.jackson.annotation.JsonRawValue;
import io.swagger.v3.oas.annotations.media.ArraySchema;
import io.swagger.v3.oas.annotations.media.Schema;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;

/**
 * A table's state at one version. {@code protocol} and {@code metadata} are the Delta actions'
 * objects; {@code app_versions} maps each txn appId to its latest version; {@code domain_metadata}
 * lists the live domainMetadata actions. They are passed through as the database's JSON; their
 * {@code @Schema}s tell the contract what they hold.
 */
public record SnapshotResponse(
        UUID tableId,
        String fullName,
        String location,
        long version,
        Instant timestamp,

        @JsonRawValue
        @Schema(
                implementation = Map.class,
                additionalProperties = TRUE,
                description = "The Delta protocol action in force at this version",
                example = "{\"minReaderVersion\":1,\"minWriterVersion\":2}")
        String protocol,

        @JsonRawValue
        @Schema(
                implementation = Map.class,
                additionalProperties = TRUE,
                description = "The Delta metaData action in force at this version (its schemaString is the"
                        + " table schema as JSON text, as in the Delta log)",
                example = METADATA_EXAMPLE)
        String metadata,

        long numFiles,
        long sizeBytes,

        @JsonRawValue
        @Schema(
                implementation = Map.class,
                additionalPropertiesSchema = Long.class,
                description = "For each application id of a txn action, its latest txn version at this version",
                example = "{\"daily_sales_etl\":42}")
        String appVersions,

        @JsonRawValue
        @ArraySchema(
                schema = @Schema(implementation = Map.class, additionalProperties = TRUE),
                arraySchema =
                        @Schema(
                                types = "array",
                                description = "The live domainMetadata actions at this version, by domain: domain,"
                                        + " configuration (the domain's configuration string) and removed (false)",
                                example = DOMAIN_METADATA_EXAMPLE))
        String domainMetadata) {

    static final String METADATA_EXAMPLE = "{\"id\":\"0b3c2a53-54a3-4c0e-8e0e-3c0a6f0f7b11\","
            + "\"format\":{\"provider\":\"parquet\",\"options\":{}},"
            + "\"schemaString\":\"{\\\"type\\\":\\\"struct\\\",\\\"fields\\\":[]}\","
            + "\"partitionColumns\":[],\"configuration\":{},\"createdTime\":1767225600000}";
    static final String DOMAIN_METADATA_EXAMPLE = "[{\"domain\":\"delta.rowTracking\","
            + "\"configuration\":\"{\\\"rowIdHighWaterMark\\\":9}\",\"removed\":false}]";
}
