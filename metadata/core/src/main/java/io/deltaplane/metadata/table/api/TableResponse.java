package io.deltaplane.metadata.table.api;

import static io.swagger.v3.oas.annotations.media.Schema.AdditionalPropertiesValue.TRUE;

import com.fasterxml.jackson.annotation.JsonRawValue;
import io.deltaplane.metadata.table.PublishStatusSource;
import io.swagger.v3.oas.annotations.media.Schema;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * A table as the API shows it. {@code schema} and {@code properties} are the Delta StructType and
 * configuration of the current metaData, passed through as JSON objects; their {@code @Schema}s say
 * so in the contract, which would otherwise call them strings.
 */
public record TableResponse(
        UUID tableId,
        String fullName,
        String catalogName,
        String schemaName,
        String name,
        String location,

        @Schema(
                description = "MANAGED: the platform chose the location (its files are the table's);"
                        + " EXTERNAL: its creator named it",
                allowableValues = {"MANAGED", "EXTERNAL"})
        String tableType,

        long version,

        @JsonRawValue
        @Schema(
                implementation = Map.class,
                additionalProperties = TRUE,
                description = "The table's Delta schema (a StructType): the current metaData's schemaString, parsed",
                example = SCHEMA_EXAMPLE)
        String schema,

        List<String> partitionColumns,

        @JsonRawValue
        @Schema(
                implementation = Map.class,
                additionalPropertiesSchema = String.class,
                description = "The table properties: the current metaData's configuration",
                example = "{\"delta.appendOnly\":\"true\"}")
        String properties,

        String comment,
        Instant createdAt,
        Instant updatedAt,

        @Schema(description = "The principal that owns the table (null: none recorded)")
        String owner,

        PublishStatusSource.PublishStatus publish) {

    static final String SCHEMA_EXAMPLE = "{\"type\":\"struct\",\"fields\":["
            + "{\"name\":\"id\",\"type\":\"long\",\"nullable\":false,\"metadata\":{}},"
            + "{\"name\":\"amount\",\"type\":\"double\",\"nullable\":true,\"metadata\":{}}]}";
}
