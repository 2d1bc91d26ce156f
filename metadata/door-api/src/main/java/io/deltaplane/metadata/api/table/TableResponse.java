package io.deltaplane.metadata.api.table;

import static io.swagger.v3.oas.annotations.media.Schema.AdditionalPropertiesValue.TRUE;

import com.fasterxml.jackson.annotation.JsonRawValue;
import io.deltaplane.metadata.table.PublishStatus;
import io.deltaplane.metadata.table.TableEntry;
import io.swagger.v3.oas.annotations.media.Schema;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import tools.jackson.databind.json.JsonMapper;

/**
 * A table as {@code /api/v1} shows it: a {@link TableEntry} in this door's shape, mapped by its
 * controllers ({@link #of}). {@code schema} and {@code properties} are the Delta StructType and
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

        PublishStatus publish) {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    static final String SCHEMA_EXAMPLE = "{\"type\":\"struct\",\"fields\":["
            + "{\"name\":\"id\",\"type\":\"long\",\"nullable\":false,\"metadata\":{}},"
            + "{\"name\":\"amount\",\"type\":\"double\",\"nullable\":true,\"metadata\":{}}]}";

    /** The entry in {@code /api/v1}'s shape. */
    public static TableResponse of(TableEntry table) {
        var row = table.row();
        return new TableResponse(
                row.id(),
                row.fullName(),
                row.catalog(),
                row.schema(),
                row.name(),
                row.location(),
                table.type().name(),
                row.currentVersion(),
                table.schemaString(),
                row.partitionColumns(),
                JSON.writeValueAsString(table.configuration()),
                row.comment(),
                row.createdAt(),
                row.updatedAt(),
                table.owner(),
                table.publish());
    }
}
