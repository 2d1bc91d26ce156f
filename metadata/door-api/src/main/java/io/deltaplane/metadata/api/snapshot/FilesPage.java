package io.deltaplane.metadata.api.snapshot;

import static io.swagger.v3.oas.annotations.media.Schema.AdditionalPropertiesValue.TRUE;

import io.swagger.v3.oas.annotations.media.ArraySchema;
import io.swagger.v3.oas.annotations.media.Schema;
import java.util.List;
import java.util.Map;

/**
 * The JSON page of {@code GET /api/v1/tables/{full_name}/snapshot/files}, for the contract only:
 * {@link SnapshotController#files} writes the page itself, copying each add action's JSON from the
 * database as it is, so no instance of this record is ever serialised.
 */
@Schema(description = "One page of the live files at a version, ordered by path")
public record FilesPage(
        @Schema(description = "The version listed (the page token pins it)")
        long version,

        @ArraySchema(
                schema = @Schema(implementation = Map.class, additionalProperties = TRUE),
                arraySchema =
                        @Schema(
                                description = "The live files' Delta add actions (the add objects, not wrapped)",
                                example = "[{\"path\":\"part-0.parquet\",\"partitionValues\":{},\"size\":1024,"
                                        + "\"modificationTime\":1767225600000,\"dataChange\":true}]"))
        List<Map<String, Object>> files,

        @Schema(description = "The next page's token; null on the last page")
        String nextPageToken) {}
